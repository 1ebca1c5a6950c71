import { getTableConfig } from 'drizzle-orm/pg-core';
import { vectorIndexes, type IndexDrift, type VectorIndexStatus } from 'drizzle-pgvector';
import type { ConfigFlags } from '../../config/load-config.js';
import { EXIT } from '../../errors.js';

import type { CommandResult } from '../command.js';
import { withDatabase } from '../context.js';
import { inspectColumns, type ColumnReport } from './columns.js';
import { finding, type Finding } from './findings.js';
import { operationalFindings } from './operations.js';
import { renderDoctor } from './render.js';
import { inspectServer, type ServerReport, type SettingReport } from './server.js';

export interface DoctorFlags extends ConfigFlags {
  json: boolean;
  /** Count rows exactly (`count(*)` per table) instead of the planner's estimate. */
  exactCounts?: boolean;
}

/** `doctor --json`. */
export interface DoctorDocument {
  readonly database: string;
  readonly schemaTables: readonly string[];
  readonly server: ServerReport;
  readonly settings: readonly SettingReport[];
  readonly columns: readonly ColumnReport[];
  /** vectorIndexes(db, { tables }).indexes */
  readonly indexes: readonly VectorIndexStatus[];
  /** vectorIndexes(db, { tables }).drift (empty without a schema). */
  readonly drift: readonly IndexDrift[];
  readonly findings: readonly Finding[];
  readonly summary: { readonly action: number; readonly warning: number; readonly info: number };
}

function indexFindings(indexes: readonly VectorIndexStatus[], drift: readonly IndexDrift[]): Finding[] {
  const out: Finding[] = [];
  for (const i of indexes) {
    // The library's inspection is the one source: its severity, its message, its SQL.
    for (const p of i.problems) out.push(finding(p.severity, p.kind === 'invalid' ? 'index-invalid' : p.kind, i.name, p.message, p.sql));
  }
  for (const d of drift) {
    const hint = d.kind === 'missing' ? ` Or: drizzle-pgvector build ${d.index}` : '';
    out.push(finding('action', `drift-${d.kind}`, d.index, `${d.message}${hint}`, d.sql, d.schemaLine));
  }
  return out;
}

/**
 * `doctor`: the pgvector version and settings, the vector columns (with dimension distributions), the vector
 * indexes with their health and drift from the schema, and advice — every finding with the SQL or schema line
 * that changes it. Exit 1 when a finding needs action.
 */
export async function doctor(flags: DoctorFlags): Promise<CommandResult<DoctorDocument>> {
  return withDatabase(flags, 'optional', async ({ database, tables }) => {
    const { db } = database;
    const { server, settings, findings: serverFindings } = await inspectServer(db);
    let indexes: readonly VectorIndexStatus[] = [];
    let drift: readonly IndexDrift[] = [];
    const findings: Finding[] = [...serverFindings];
    if (server.extension.installed !== undefined) {
      // Tables without a vector column have no vector indexes (and vectorIndexes refuses them).
      const vectorTables = tables.filter((t) => getTableConfig(t.table).columns.some((c) => /^(vector|halfvec|sparsevec|bit)\b/.test(c.getSQLType())));
      const report = await vectorIndexes(db, { ...(tables.length > 0 ? { tables: vectorTables.map((t) => t.table) } : {}), rows: flags.exactCounts ? 'count' : 'estimate' });
      indexes = report.indexes;
      drift = report.drift;
      findings.push(...indexFindings(indexes, drift));
      findings.push(...(await operationalFindings(db, indexes)));
    }
    const { columns, findings: columnFindings } = server.extension.installed !== undefined ? await inspectColumns(db, tables, indexes) : { columns: [], findings: [] };
    findings.push(...columnFindings);
    const order = { action: 0, warning: 1, info: 2 } as const;
    findings.sort((a, b) => order[a.severity] - order[b.severity]);
    const summary = {
      action: findings.filter((f) => f.severity === 'action').length,
      warning: findings.filter((f) => f.severity === 'warning').length,
      info: findings.filter((f) => f.severity === 'info').length,
    };
    const document: DoctorDocument = {
      database: database.description,
      schemaTables: tables.map((t) => t.qualified),
      server,
      settings,
      columns,
      indexes,
      drift,
      findings,
      summary,
    };
    return { exitCode: summary.action > 0 ? EXIT.actionNeeded : EXIT.ok, document, text: () => renderDoctor(document) };
  });
}

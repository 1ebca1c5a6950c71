import type { PgTable } from 'drizzle-orm/pg-core';
import { BUILD_SETTINGS, SETTINGS } from '../catalog/index.js';
import { driverOf, type AnyPgDatabase, type SqlExecutor } from '../driver/index.js';
import { checkOptionKeys, describe, pgVectorError } from '../errors/index.js';
import { loadVectorLibrary, readServer, readSettings } from '../pg-catalog/index.js';
import { operationalChecks } from './operational-checks.js';
import type { DatabaseInspection, InspectDatabaseOptions, InspectionFinding, ServerReport, SettingReport } from './report-types.js';
import type { IndexDrift, VectorIndexStatus } from './types.js';
import { vectorColumns } from './vector-columns.js';
import { rowsOption, tablesOption, vectorIndexes } from './vector-indexes.js';

const FN = 'inspectDatabase';

function checkOptions(options: unknown): { tables: PgTable[] | undefined; rows: 'estimate' | 'count' } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: options must be an object ({ tables?, rows? }), got ${describe(options)}.`, { options: describe(options) });
  }
  const o = options as InspectDatabaseOptions;
  checkOptionKeys(FN, o, ['tables', 'rows'], 'INVALID_OPERATION_OPTION');
  return { rows: rowsOption(FN, o.rows), tables: tablesOption(o.tables) };
}

/** `extension-missing` / `extension-update`. */
function extensionFindings(server: ServerReport): InspectionFinding[] {
  const { installed, available } = server.extension;
  if (installed === undefined) {
    return [
      {
        severity: 'action',
        kind: 'extension-missing',
        subject: 'vector',
        message: available
          ? `pgvector ${available} is available but not installed in this database.`
          : 'pgvector is not available on this server: install it (https://github.com/pgvector/pgvector#installation).',
        sql: available ? ['CREATE EXTENSION IF NOT EXISTS vector;'] : [],
        schemaLine: undefined,
      },
    ];
  }
  if (available && available !== installed) {
    return [
      {
        severity: 'info',
        kind: 'extension-update',
        subject: 'vector',
        message: `pgvector ${installed} is installed; ${available} is available on the server.`,
        sql: ['ALTER EXTENSION vector UPDATE;'],
        schemaLine: undefined,
      },
    ];
  }
  return [];
}

/** Each index problem and each drift as a finding: the library's severity, message and SQL. */
function indexFindings(indexes: readonly VectorIndexStatus[], drift: readonly IndexDrift[]): InspectionFinding[] {
  const out: InspectionFinding[] = [];
  for (const i of indexes) {
    for (const p of i.problems) out.push({ severity: p.severity, kind: p.kind === 'invalid' ? 'index-invalid' : p.kind, subject: i.name, message: p.message, sql: p.sql, schemaLine: undefined });
  }
  for (const d of drift) out.push({ severity: 'action', kind: `drift-${d.kind}`, subject: d.index, message: d.message, sql: d.sql, schemaLine: d.schemaLine });
  return out;
}

const ORDER = { action: 0, warning: 1, info: 2 } as const;

/**
 * Everything the CLI's `doctor` reports, as one value: the server and pgvector versions (installed / available), the
 * settings in effect in a fresh session (pgvector's `hnsw.*` / `ivfflat.*` and PostgreSQL's build settings, with
 * their defaults), the vector columns ({@link vectorColumns}), every HNSW / IVFFlat index with its health and the
 * drift from the schema ({@link vectorIndexes}), and every finding — index problems, drift (`drift-<kind>`),
 * {@link operationalChecks}, the columns' findings, `extension-missing` / `extension-update` — each with the SQL or
 * schema line that changes it, `'action'` first. Without pgvector installed, only the server, the settings and
 * `extension-missing`. Changes nothing (loads pgvector's library into the session, so its settings show).
 *
 * SQL it runs: the server version, pgvector as installed (`pg_extension`) and as available
 * (`pg_available_extensions`), `SELECT vector_dims('[1]'::vector)` (loads pgvector), one query of `pg_settings`, then
 * what `vectorIndexes`, `operationalChecks` and `vectorColumns` run.
 *
 * @example
 * ```ts
 * import * as schema from './schema';
 *
 * const report = await inspectDatabase(db, { tables: schema });
 * report.server.extension; // { installed: '0.8.1', available: '0.8.1', schema: 'public' }
 * for (const f of report.findings) console.log(f.severity, f.kind, f.subject, f.sql.join('\n'), f.schemaLine ?? '');
 * // action drift-missing items_embedding_hnsw CREATE INDEX "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops);
 * if (report.summary.action > 0) process.exitCode = 1;
 * ```
 *
 * @throws PgVectorError before any SQL: `INVALID_DATABASE`, `INVALID_OPERATION_OPTION` (options not an object, an
 *   unknown option, `tables` not an array of tables / a schema module, `rows` not 'estimate' | 'count'),
 *   `NO_VECTOR_COLUMNS` (a table in the `tables` array has no vector column); `INVALID_INDEX_DEFINITION` when the
 *   server refuses an index the schema declares.
 */
export async function inspectDatabase(db: AnyPgDatabase, options: InspectDatabaseOptions = {}): Promise<DatabaseInspection> {
  const { tables, rows } = checkOptions(options);
  driverOf(db);
  const exec = db as unknown as SqlExecutor;
  const server = await readServer(exec);
  const installed = server.extension.installed !== undefined;
  if (installed) await loadVectorLibrary(exec, server.extension.schema!);
  const wanted = [...SETTINGS.map((s) => ({ name: s.guc, default: String(s.default) })), ...BUILD_SETTINGS];
  const live = await readSettings(exec, wanted.map((w) => w.name));
  const settings: SettingReport[] = wanted.map((w, i) => Object.freeze({ ...live[i]!, default: w.default }));
  const findings = extensionFindings(server);
  let report: Pick<DatabaseInspection, 'columns' | 'indexes' | 'drift'> = { columns: [], indexes: [], drift: [] };
  if (installed) {
    const scope = { ...(tables !== undefined ? { tables } : {}), rows };
    const { indexes, drift } = await vectorIndexes(db, scope);
    findings.push(...indexFindings(indexes, drift));
    findings.push(...(await operationalChecks(db, { indexes })).map((f) => ({ severity: f.severity, kind: f.kind, subject: f.subject, message: f.message, sql: f.sql, schemaLine: undefined })));
    const columns = await vectorColumns(db, { ...scope, indexes });
    findings.push(...columns.findings);
    report = { columns: columns.columns, indexes, drift };
  }
  findings.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const count = (severity: keyof typeof ORDER): number => findings.filter((f) => f.severity === severity).length;
  return Object.freeze({
    server,
    settings: Object.freeze(settings),
    ...report,
    findings: Object.freeze(findings.map((f) => Object.freeze(f))),
    summary: Object.freeze({ action: count('action'), warning: count('warning'), info: count('info') }),
  });
}

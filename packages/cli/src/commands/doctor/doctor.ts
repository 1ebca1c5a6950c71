import { inspectDatabase, type DatabaseInspection, type InspectionFinding } from 'drizzle-pgvector';
import type { ConfigFlags } from '../../config/load-config.js';
import { EXIT } from '../../errors.js';
import type { CommandResult } from '../command.js';
import { withDatabase } from '../context.js';
import { renderDoctor } from './render.js';

export interface DoctorFlags extends ConfigFlags {
  json: boolean;
  /** Count rows exactly (`count(*)` per table) instead of the planner's estimate. */
  exactCounts?: boolean;
}

/** `doctor --json`: the database, the schema's tables, and inspectDatabase's report. */
export interface DoctorDocument extends DatabaseInspection {
  readonly database: string;
  readonly schemaTables: readonly string[];
}

/** A missing index is one `build` away. */
function withHint(f: InspectionFinding): InspectionFinding {
  return f.kind === 'drift-missing' ? { ...f, message: `${f.message} Or: drizzle-pgvector build ${f.subject}` } : f;
}

/**
 * `doctor`: inspectDatabase — the pgvector version and settings, the vector columns, the vector indexes with their
 * health and drift from the schema, and every finding with the SQL or schema line that changes it. Exit 1 when a
 * finding needs action.
 */
export async function doctor(flags: DoctorFlags): Promise<CommandResult<DoctorDocument>> {
  return withDatabase(flags, 'optional', async ({ database, tables }) => {
    // The schema's tables as a schema module: inspectDatabase keeps those with vector columns.
    const schema = tables.length > 0 ? { tables: Object.fromEntries(tables.map((t, i) => [String(i), t.table])) } : {};
    const report = await inspectDatabase(database.db, { ...schema, rows: flags.exactCounts ? 'count' : 'estimate' });
    const document: DoctorDocument = {
      database: database.description,
      schemaTables: tables.map((t) => t.qualified),
      ...report,
      findings: report.findings.map(withHint),
    };
    return { exitCode: report.summary.action > 0 ? EXIT.actionNeeded : EXIT.ok, document, text: () => renderDoctor(document) };
  });
}

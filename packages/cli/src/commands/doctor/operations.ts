import { operationalChecks, type VectorIndexStatus } from 'drizzle-pgvector';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { finding, type Finding } from './findings.js';

/**
 * The library's `operationalChecks` as doctor findings: pgvector without the HNSW vacuum fixes, IVFFlat probes the
 * planner answers with a sequential scan, a rebuild that will not fit `maintenance_work_mem`, parallel builds off.
 */
export async function operationalFindings(db: PgDatabase<PgQueryResultHKT>, indexes: readonly VectorIndexStatus[]): Promise<Finding[]> {
  const checks = await operationalChecks(db as never, { indexes });
  return checks.map((c) => finding(c.severity, c.kind, c.subject, c.message, c.sql));
}

import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';

/** @internal The table's single-column primary key (declared on the column or as a one-column `primaryKey()`), if any. */
export function primaryKeyOf(table: PgTable): PgColumn | undefined {
  const config = getTableConfig(table);
  const marked = config.columns.filter((c) => c.primary);
  if (marked.length === 1) return marked[0];
  const composite = config.primaryKeys[0];
  if (marked.length === 0 && config.primaryKeys.length === 1 && composite !== undefined && composite.columns.length === 1) return composite.columns[0];
  return undefined;
}

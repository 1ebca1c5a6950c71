import type { RowQuery } from '../driver/index.js';

/** @internal A table's size statistics, as the planner scales them (`estimate_rel_size`). */
export interface TableStats {
  /** The table's `pg_class.reltuples` (−1: never vacuumed or analysed). */
  readonly tableReltuples: number;
  /** The table's `pg_class.relpages` (pages when reltuples was taken). */
  readonly tableRelpages: number;
  /** The table's pages now (`pg_relation_size / block_size`). */
  readonly tablePages: number;
}

/** @internal The select list of {@link TableStats} for the `pg_class` row aliased `rel` (the live-index reader reads them per index). */
export function tableStatsColumns(rel: string): string {
  return `${rel}.reltuples::float8 AS reltuples, ${rel}.relpages::float8 AS relpages, (pg_catalog.pg_relation_size(${rel}.oid) / pg_catalog.current_setting('block_size')::int)::float8 AS pages`;
}

/** @internal {@link TableStats} from a row holding {@link tableStatsColumns}. */
export function tableStatsOf(row: Record<string, unknown> | undefined): TableStats {
  return { tableReltuples: Number(row?.['reltuples'] ?? -1), tableRelpages: Number(row?.['relpages'] ?? 0), tablePages: Number(row?.['pages'] ?? 0) };
}

/**
 * @internal The statistics of the table `regclass` names (`"schema"."table"`, quoted).
 *
 * ```sql
 * SELECT c.reltuples, c.relpages, pg_relation_size(c.oid) / current_setting('block_size')::int FROM pg_class c WHERE c.oid = $1::regclass;
 * ```
 */
export async function readTableStats(query: RowQuery, regclass: string): Promise<TableStats> {
  const [row] = await query(`SELECT ${tableStatsColumns('c')} FROM pg_catalog.pg_class c WHERE c.oid = $1::regclass`, [regclass]);
  return tableStatsOf(row);
}

/**
 * @internal The planner's own row estimate (PostgreSQL's `estimate_rel_size`): `reltuples` scaled by how the table
 * grew since it was taken, `reltuples / relpages × pages now`. Undefined when there is nothing to scale — never
 * analysed (reltuples −1), or analysed empty and grown since — and the caller counts instead.
 */
export function estimatedRows(stats: TableStats): number | undefined {
  const { tableReltuples: tuples, tableRelpages: relpages, tablePages: pages } = stats;
  if (tuples < 0) return undefined;
  if (relpages > 0) return Math.round((tuples / relpages) * pages);
  return pages === 0 ? Math.round(tuples) : undefined;
}

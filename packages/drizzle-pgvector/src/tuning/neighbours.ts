import { sql, type SQL } from 'drizzle-orm';
import { nearest } from '../queries/index.js';
import type { AnyPgDatabase, VectorSettings } from '../settings/index.js';
import { queryRows } from '../driver/index.js';
import type { RerankMeasure } from './rerank-options.js';
import type { RecallQuery } from './query-set.js';
import type { SearchContext } from './search-context.js';

/** Exact queries are sent in batches of this many query vectors (one LATERAL join each). */
const EXACT_BATCH = 50;

/** Rows fetched per query: k, or k + 1 when the query's own row has to be dropped. */
export function fetchSize(queries: readonly RecallQuery[], k: number): number {
  return queries.some((q) => q.sourceId !== undefined) ? k + 1 : k;
}

/** Drop the query's own row and keep the first k ids. */
function keep(ids: readonly string[], query: RecallQuery, k: number): string[] {
  const out: string[] = [];
  for (const id of ids) {
    if (id === query.sourceId) continue;
    out.push(id);
    if (out.length === k) break;
  }
  return out;
}

/**
 * The exact k nearest ids of every query, computed in the database: the same distance expression, the same filter
 * and the target's predicate, one LATERAL join per batch of query vectors. Run it with index scans disabled
 * (`SET LOCAL enable_indexscan = off`, `enable_bitmapscan = off`) so the ordering is exact.
 *
 * ```sql
 * with "q" as materialized (select "j"."i", "j"."v"::vector(32) as "qv"
 *   from json_array_elements_text($1::text::json) with ordinality as "j"("v", "i"))      -- each query vector parsed once
 * select "q"."i"::int as "i", "nn"."id" from "q" cross join lateral (
 *   select ("items"."id")::text as "id", "items"."embedding" <-> "q"."qv" as "d" from "items"
 *   where "items"."embedding" is not null order by "items"."embedding" <-> "q"."qv" limit 11) as "nn"
 * order by "q"."i", "nn"."d"
 * ```
 */
export async function exactNeighbours(tx: AnyPgDatabase, context: SearchContext, queries: readonly RecallQuery[], k: number, where: SQL | undefined): Promise<string[][]> {
  const { target, table } = context;
  const limit = fetchSize(queries, k);
  const distance = sql`${target.sql} ${sql.raw(context.operator)} "q"."qv"`;
  const conditions: SQL[] = [];
  if (where !== undefined) conditions.push(sql`(${where})`);
  if (target.predicate !== undefined) conditions.push(target.predicate);
  conditions.push(sql`${target.column} is not null`);
  const out: string[][] = queries.map(() => []);
  for (let start = 0; start < queries.length; start += EXACT_BATCH) {
    const batch = queries.slice(start, start + EXACT_BATCH);
    const found = await queryRows<Record<string, unknown>>(
      tx,
      sql`with "q" as materialized (select "j"."i", ${target.queryExpression(sql.raw('"j"."v"'))} as "qv" from json_array_elements_text(${JSON.stringify(batch.map((q) => q.text))}::text::json) with ordinality as "j"("v", "i")) select "q"."i"::int as "i", "nn"."id" as "id" from "q" cross join lateral (select ${context.idText} as "id", ${distance} as "d" from ${table} where ${sql.join(conditions, sql` and `)} order by ${distance} limit ${sql.raw(String(limit))}) as "nn" order by "q"."i", "nn"."d"`,
    );
    for (const r of found) out[start + Number(r['i']) - 1]!.push(String(r['id']));
  }
  return out.map((ids, i) => keep(ids, queries[i]!, k));
}

export interface ApproximateResult {
  ids: string[][];
  ms: number[];
}

/** Run nearest once per query (on `tx`, so the caller's planner settings apply), timing each call. */
export async function approximateNeighbours(
  tx: AnyPgDatabase,
  context: SearchContext,
  queries: readonly RecallQuery[],
  k: number,
  options: { settings: VectorSettings | undefined; where: SQL | undefined; rerank?: RerankMeasure | undefined },
): Promise<ApproximateResult> {
  const limit = fetchSize(queries, k);
  const ids: string[][] = [];
  const ms: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    const found = await nearest(tx, context.target, query.value, {
      k: limit,
      metric: context.metric,
      index: context.index?.name,
      settings: options.settings,
      where: options.where,
      select: { id: context.idSelect },
      rerank: options.rerank,
    });
    ms.push(performance.now() - started);
    ids.push(
      keep(
        found.map((r) => String(r.id)),
        query,
        k,
      ),
    );
  }
  return { ids, ms };
}

/** Per-query recall |approx ∩ exact| / |exact| (1 when the exact list is empty and so is the approximate one). */
export function recallOf(found: readonly string[], expected: readonly string[]): number {
  if (expected.length === 0) return found.length === 0 ? 1 : 0;
  const truth = new Set(expected);
  let hits = 0;
  for (const id of found) if (truth.has(id)) hits++;
  return hits / expected.length;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** 95th percentile, nearest-rank. */
export function p95(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)]!;
}

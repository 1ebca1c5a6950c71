import { FILTERED_SEARCH } from '../../catalog/index.js';
import type { Driver } from '../../driver/index.js';
import { BoundedCaches } from './bounded-cache.js';
import type { RowEstimate } from './strategy.js';

/**
 * The planner's row estimates a filtered search is decided on: `EXPLAIN (FORMAT JSON)` of `select 1 from <table>
 * where <filter>` and of `select 1 from <table>` — what PostgreSQL's own statistics say, no rows read. Each
 * estimate is cached per database for {@link FILTERED_SEARCH}`.estimateTtlMs` (the same filter with the same
 * parameters, and the table), so repeated searches pay no extra round trip.
 */

interface Cached {
  readonly rows: number;
  readonly at: number;
}

const ESTIMATES = new BoundedCaches<Cached>(FILTERED_SEARCH.maxCachedEstimates);

/** The top plan node's `Plan Rows` of an `EXPLAIN (FORMAT JSON)` result row (json, or its text on some drivers). */
function planRows(rows: unknown[][]): number {
  let value = rows[0]?.[0];
  if (typeof value === 'string') value = JSON.parse(value) as unknown;
  const plan = (Array.isArray(value) ? value[0] : value) as { Plan?: { 'Plan Rows'?: unknown } } | undefined;
  const n = plan?.Plan?.['Plan Rows'];
  return typeof n === 'number' && Number.isFinite(n) ? n : Number.NaN;
}

/** A cache key for parameters, or undefined when they cannot be keyed faithfully (then the estimate is not cached). */
function paramsKey(params: readonly unknown[]): string | undefined {
  let key = '';
  for (const p of params) {
    if (p === null || typeof p === 'number' || typeof p === 'boolean' || typeof p === 'bigint') key += `${typeof p}:${String(p)}\u0001`;
    else if (typeof p === 'string') key += `s:${p}\u0001`;
    else if (p instanceof Date) key += `d:${p.toISOString()}\u0001`;
    else return undefined;
  }
  return key;
}

async function cachedPlanRows(owner: object, driver: Driver, text: string, params: readonly unknown[], now: number): Promise<number> {
  const pk = paramsKey(params);
  const cache = ESTIMATES.of(owner);
  const key = pk === undefined ? undefined : `${text}\u0000${pk}`;
  const hit = key === undefined ? undefined : cache.get(key);
  if (hit !== undefined && now - hit.at < FILTERED_SEARCH.estimateTtlMs) return hit.rows;
  const rows = await driver.query(`explain (format json) ${text}`, params, planRows, true);
  if (key !== undefined && Number.isFinite(rows)) cache.set(key, { rows, at: now });
  return rows;
}

/**
 * @internal The planner's estimate of the rows `conditions` keeps and of the table's rows. `owner` keys the cache
 * (the database's dialect). Both statements are parameterised exactly as the search is.
 */
export async function estimateRows(owner: object, driver: Driver, tableText: string, conditionsText: string, params: readonly unknown[]): Promise<RowEstimate> {
  const now = Date.now();
  const [filtered, table] = await Promise.all([
    cachedPlanRows(owner, driver, `select 1 from ${tableText} where ${conditionsText}`, params, now),
    cachedPlanRows(owner, driver, `select 1 from ${tableText}`, [], now),
  ]);
  return { filtered, table };
}

/** @internal Forget every cached estimate of `owner` (tests; after a bulk load the TTL does it). */
export function forgetEstimates(owner: object): void {
  ESTIMATES.clear(owner);
}

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

/** The cached estimate of `text` with `params`, or undefined (expired, never read, or parameters that cannot be keyed). */
function cached(owner: object, text: string, params: readonly unknown[], now: number): { rows: number | undefined; key: string | undefined } {
  const pk = paramsKey(params);
  const key = pk === undefined ? undefined : `${text}\u0000${pk}`;
  const hit = key === undefined ? undefined : ESTIMATES.of(owner).get(key);
  return { rows: hit !== undefined && now - hit.at < FILTERED_SEARCH.estimateTtlMs ? hit.rows : undefined, key };
}

async function planRowsOf(owner: object, driver: Driver, text: string, params: readonly unknown[], key: string | undefined, now: number): Promise<number> {
  const rows = await driver.query(`explain (format json) ${text}`, params, planRows, true);
  if (key !== undefined && Number.isFinite(rows)) ESTIMATES.of(owner).set(key, { rows, at: now });
  return rows;
}

/**
 * @internal The planner's estimate of the rows the filter keeps and of the table's rows: from the cache without
 * a round trip when both are there (a value, not a promise), else read with `EXPLAIN`. `owner` keys the cache (the
 * database's dialect).
 */
export function estimateRows(
  owner: object,
  driver: Driver,
  texts: { readonly filtered: string; readonly table: string },
  params: readonly unknown[],
): RowEstimate | Promise<RowEstimate> {
  const now = Date.now();
  const filtered = cached(owner, texts.filtered, params, now);
  const table = cached(owner, texts.table, [], now);
  if (filtered.rows !== undefined && table.rows !== undefined) return { filtered: filtered.rows, table: table.rows };
  return Promise.all([
    filtered.rows ?? planRowsOf(owner, driver, texts.filtered, params, filtered.key, now),
    table.rows ?? planRowsOf(owner, driver, texts.table, [], table.key, now),
  ]).then(([f, t]) => ({ filtered: f, table: t }));
}

/** @internal Forget every cached estimate of `owner` (tests; after a bulk load the TTL does it). */
export function forgetEstimates(owner: object): void {
  ESTIMATES.clear(owner);
}

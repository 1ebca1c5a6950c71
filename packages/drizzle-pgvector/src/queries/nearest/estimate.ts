import { FILTERED_SEARCH } from '../../catalog/index.js';
import type { Driver } from '../../driver/index.js';
import { BoundedCache } from './bounded-cache.js';
import type { RowEstimate } from './strategy.js';

/**
 * The planner's row estimates a filtered search is decided on: `EXPLAIN (FORMAT JSON)` of `select 1 from <table>
 * where <filter>` and of `select 1 from <table>` — what PostgreSQL's own statistics say, no rows read. Each query
 * shape keeps its statements and, for {@link FILTERED_SEARCH}`.estimateTtlMs`, its estimates per parameter values:
 * a repeated filter costs no round trip and no promise. It also keeps how its index scans came out — per values and
 * for the shape — which sends filters whose rows lie away from the queries to the exact search.
 */

interface Cached {
  readonly rows: number;
  readonly at: number;
  /** An index scan with these values came back short (reset when the estimate expires). */
  short?: boolean;
  /** An index scan with these values came back full: the shape's record does not apply to them. */
  full?: boolean;
}

/** @internal A filter's estimate statements and its cached estimates (one per query shape). */
export class FilterEstimates {
  private readonly byParams = new BoundedCache<string, Cached>(FILTERED_SEARCH.maxCachedEstimates);
  private tableRows: Cached | undefined;
  /** The shape's last index scans (any values): when each ran and whether it came back short, oldest first. */
  private readonly outcomeAt: number[] = [];
  private readonly outcomeShort: boolean[] = [];

  constructor(
    /** `select 1 from <table> where <conditions>`, the filter's placeholders numbered from $1. */
    readonly filtered: string,
    /** `select 1 from <table>`. */
    readonly table: string,
    /** How many parameters the filter has. */
    readonly params: number,
  ) {}

  /** The estimates for `params`: from the cache without a round trip when both are fresh, else read with EXPLAIN. */
  rows(driver: Driver, params: readonly unknown[]): RowEstimate | Promise<RowEstimate> {
    const now = Date.now();
    const key = paramsKey(params);
    const hit = key === undefined ? undefined : this.byParams.get(key);
    const filtered = hit !== undefined && now - hit.at < FILTERED_SEARCH.estimateTtlMs ? hit.rows : undefined;
    const table = this.tableRows !== undefined && now - this.tableRows.at < FILTERED_SEARCH.estimateTtlMs ? this.tableRows.rows : undefined;
    if (filtered !== undefined && table !== undefined) {
      if (hit!.short === true) return { filtered, table, short: 'values' };
      return hit!.full !== true && this.shapeRunsShort(now) ? { filtered, table, short: 'filter' } : { filtered, table };
    }
    return Promise.all([
      filtered ??
        explainRows(driver, this.filtered, params).then((rows) => {
          if (key !== undefined && Number.isFinite(rows)) this.byParams.set(key, { rows, at: now });
          return rows;
        }),
      table ??
        explainRows(driver, this.table, []).then((rows) => {
          if (Number.isFinite(rows)) this.tableRows = { rows, at: now };
          return rows;
        }),
    ]).then(([f, t]): RowEstimate => (hit?.full !== true && this.shapeRunsShort(now) ? { filtered: f, table: t, short: 'filter' } : { filtered: f, table: t }));
  }

  /**
   * Record how an index scan with these values came out: short (these values are then searched exactly while their
   * estimate lives) or full. Either way it joins the shape's record (see `FILTERED_SEARCH.shapeShortShare`).
   */
  indexOutcome(params: readonly unknown[], short: boolean): void {
    const key = paramsKey(params);
    const hit = key === undefined ? undefined : this.byParams.get(key);
    if (hit !== undefined) {
      if (short) hit.short = true;
      else hit.full = true;
    }
    this.outcomeAt.push(Date.now());
    this.outcomeShort.push(short);
    if (this.outcomeAt.length > FILTERED_SEARCH.shapeShortWindow) {
      this.outcomeAt.shift();
      this.outcomeShort.shift();
    }
  }

  /** Whether most of this shape's recent index scans came back short (the row limits are `decide`'s business). */
  private shapeRunsShort(now: number): boolean {
    if (this.outcomeAt.length < FILTERED_SEARCH.shapeShortMin) return false;
    let recent = 0;
    let short = 0;
    for (let i = 0; i < this.outcomeAt.length; i++) {
      if (now - this.outcomeAt[i]! >= FILTERED_SEARCH.estimateTtlMs) continue;
      recent++;
      if (this.outcomeShort[i]) short++;
    }
    return recent >= FILTERED_SEARCH.shapeShortMin && short >= FILTERED_SEARCH.shapeShortShare * recent;
  }
}

function explainRows(driver: Driver, text: string, params: readonly unknown[]): Promise<number> {
  return driver.query(`explain (format json) ${text}`, params, planRows, true);
}

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

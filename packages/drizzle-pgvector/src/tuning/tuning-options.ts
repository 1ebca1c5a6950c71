import { is, SQL } from 'drizzle-orm';
import { METRICS_LIST, SETTINGS, type Metric } from '../catalog/index.js';
import { checkOptionKeys, PgVectorError, pgVectorError } from '../errors/index.js';
import { NEAREST_MAX_K, type NearestQuery } from '../queries/index.js';
import { validateVectorSettings, type VectorSettings } from '../settings/index.js';
import type { VectorTarget } from '../targets/index.js';

/** Queries sampled from the table when neither `queries` nor `sampleSize` is given (measureRecall / tuneSearch). */
export const DEFAULT_RECALL_SAMPLE_SIZE = 100;
export const DEFAULT_TUNING_SAMPLE_SIZE = 200;
/** Most query vectors one measurement takes (each is one `nearest` call per setting). */
export const MAX_RECALL_QUERIES = 10_000;

/** Options shared by {@link measureRecall} and {@link tuneSearch}. */
export interface RecallQueryOptions {
  /** Query vectors (validated against the target). Not together with `sampleSize`. */
  queries?: readonly NearestQuery[];
  /** Sample this many rows of the table as queries (integer ≥ 2; default 100 / 200); each query's own row is excluded. */
  sampleSize?: number;
  /** Neighbours per query, an integer 1..NEAREST_MAX_K (1..NEAREST_MAX_K − 1 when sampling: k + 1 rows are fetched). */
  k: number;
  /** Distance metric, as for `nearest` (optional when the target's indexes use one metric, or with `index`). */
  metric?: Metric;
  /**
   * The declared vector index to measure, by name — for a target with more than one (e.g. an HNSW and an IVFFlat
   * index on one column). The other method's setting is raised so the planner picks this one, and EXPLAIN checks it.
   */
  index?: string;
  /** Filter applied to both the index search and the exact search. */
  where?: SQL;
  /** Seed of the deterministic row sample (and of the tuning/validation split); default 1. */
  seed?: number;
}

export interface ParsedQueryOptions {
  fn: string;
  queries: readonly { value: NearestQuery; text: string }[] | undefined;
  sampleSize: number | undefined;
  k: number;
  metric: Metric | undefined;
  where: SQL | undefined;
  seed: number;
}

/** `INVALID_TUNING_OPTION` with the function name in front. */
export function invalidTuning(fn: string, message: string, details: Record<string, unknown> = {}): never {
  throw pgVectorError('INVALID_TUNING_OPTION', `${fn}: ${message}`, details);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value !== 'object') return String(value);
  return (value as object).constructor?.name ?? 'object';
}

/** Check the object shape and reject unknown keys. */
export function optionObject(fn: string, options: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    invalidTuning(fn, `options must be an object like { k: 10, sampleSize: 100 }, got ${show(options)}.`, { received: show(options) });
  }
  const o = options as Record<string, unknown>;
  checkOptionKeys(fn, o, allowed, 'INVALID_TUNING_OPTION', { limit: 'k', topK: 'k', filter: 'where' });
  return o;
}

/** An integer option in [min, max], or the default when undefined. */
export function integerOption(fn: string, o: Record<string, unknown>, name: string, min: number, max: number, fix: string): number | undefined {
  const value = o[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalidTuning(fn, `${name} must be an integer from ${min} to ${max}, got ${show(value)}. ${fix}`, { option: name, value, min, max });
  }
  return value;
}

/** Validate the options both functions share; `target` validates explicit query vectors. */
export function parseQueryOptions(fn: string, target: VectorTarget, o: Record<string, unknown>, defaultSampleSize: number): ParsedQueryOptions {
  const queriesInput = o['queries'];
  const sampling = queriesInput === undefined;
  const kMax = sampling ? NEAREST_MAX_K - 1 : NEAREST_MAX_K;
  const k = integerOption(fn, o, 'k', 1, kMax, `Pass the number of neighbours, e.g. k: 10${sampling ? ' (sampling fetches k + 1 rows to drop the query’s own row)' : ''}.`);
  if (k === undefined) invalidTuning(fn, `k is required: the number of neighbours per query, an integer from 1 to ${kMax}, e.g. k: 10.`, { option: 'k', min: 1, max: kMax });
  const sampleSize = integerOption(fn, o, 'sampleSize', 2, MAX_RECALL_QUERIES, 'Pass how many rows to sample as queries, e.g. sampleSize: 100.');
  let queries: { value: NearestQuery; text: string }[] | undefined;
  if (!sampling) {
    if (sampleSize !== undefined) {
      invalidTuning(fn, `pass either queries or sampleSize, not both (sampleSize draws the queries from the table).`, { option: 'sampleSize' });
    }
    if (!Array.isArray(queriesInput) || queriesInput.length < 2 || queriesInput.length > MAX_RECALL_QUERIES) {
      invalidTuning(
        fn,
        `queries must be an array of 2 to ${MAX_RECALL_QUERIES} query vectors, got ${show(queriesInput)}. Pass more vectors, or sampleSize to sample rows of the table.`,
        { option: 'queries', received: show(queriesInput), min: 2, max: MAX_RECALL_QUERIES },
      );
    }
    queries = (queriesInput as unknown[]).map((value, i) => {
      try {
        return { value: value as NearestQuery, text: target.encodeQuery(value) };
      } catch (e) {
        if (e instanceof PgVectorError) throw new PgVectorError(e.code, `${fn}: queries[${i}]: ${e.message}`, { details: { ...e.details, index: i }, cause: e });
        throw e;
      }
    });
  }
  const metric = o['metric'];
  if (metric !== undefined && (typeof metric !== 'string' || !(METRICS_LIST as readonly string[]).includes(metric))) {
    throw pgVectorError('UNSUPPORTED_METRIC', `${fn}: unknown metric ${show(metric)}. Use one of ${METRICS_LIST.map((m) => `'${m}'`).join(', ')}.`, {
      metric,
      allowed: METRICS_LIST,
    });
  }
  const where = o['where'];
  if (where !== undefined && !is(where, SQL)) {
    invalidTuning(fn, `where must be an SQL condition such as eq(items.lang, 'en'), got ${show(where)}.`, { option: 'where', received: show(where) });
  }
  const seed = integerOption(fn, o, 'seed', 0, 2 ** 31 - 1, 'Pass any integer, e.g. seed: 42.') ?? 1;
  return {
    fn,
    queries,
    sampleSize: sampling ? (sampleSize ?? defaultSampleSize) : undefined,
    k,
    metric: metric as Metric | undefined,
    where: where as SQL | undefined,
    seed,
  };
}

/** measureRecall's `settings`, validated like nearest's. */
export function parseSettings(fn: string, settings: unknown): VectorSettings | undefined {
  if (settings === undefined) return undefined;
  validateVectorSettings(settings as VectorSettings, `${fn}(…).settings`);
  return settings as VectorSettings;
}

/** tuneSearch's `targetRecall`: a number in (0, 1]. */
export function parseTargetRecall(fn: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    invalidTuning(fn, `targetRecall must be a number in (0, 1] (a fraction of the exact neighbours), got ${show(value)}. Pass e.g. targetRecall: 0.95.`, {
      option: 'targetRecall',
      value,
      min: 0,
      max: 1,
    });
  }
  return value;
}

/** tuneSearch's `candidates`: ascending, distinct integers within the setting's catalog range. */
export function parseCandidates(fn: string, value: unknown, key: 'efSearch' | 'probes', min: number): number[] | undefined {
  const info = SETTINGS.find((s) => s.key === key)!;
  return parseValueList(fn, value, key, min, info.max!, `${info.guc}${key === 'efSearch' ? '; at least the rows fetched per query' : ''}`);
}

/** `candidates` as a list of `what` values: a non-empty array of ascending, distinct integers in [min, max]. */
export function parseValueList(fn: string, value: unknown, what: string, min: number, max: number, note: string): number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    invalidTuning(fn, `candidates must be a non-empty array of ${what} values, got ${show(value)}.`, { option: 'candidates', received: show(value) });
  }
  const list = value as unknown[];
  list.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      invalidTuning(fn, `candidates[${i}] must be an integer ${what} from ${min} to ${max} (${note}), got ${show(v)}.`, {
        option: 'candidates',
        index: i,
        value: v,
        min,
        max,
      });
    }
    if (i > 0 && (v as number) <= (list[i - 1] as number)) {
      invalidTuning(fn, `candidates must be ascending and distinct; candidates[${i}] = ${String(v)} follows ${String(list[i - 1])}.`, { option: 'candidates', index: i });
    }
  });
  return list as number[];
}

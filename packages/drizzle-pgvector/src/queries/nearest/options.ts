import { is, SQL } from 'drizzle-orm';
import { METRICS_LIST, QUANTIZED_SEARCH, type Metric } from '../../catalog/index.js';
import { checkOptionKeys, describe, pgVectorError } from '../../errors/index.js';
import { validateVectorSettings, type VectorSettings, type VectorSettingValue } from '../../settings/index.js';
import { isVectorTarget, type VectorTarget } from '../../targets/index.js';
import type { NearestStrategyOption } from './strategy.js';
import { NEAREST_MAX_K } from './types.js';

/** Validation of `nearest`'s options object: every check runs before any SQL. */

/** @internal Throw `INVALID_QUERY_OPTION` for `fn`. */
export function invalid(fn: string, message: string, details: Record<string, unknown> = {}): never {
  throw pgVectorError('INVALID_QUERY_OPTION', `${fn}: ${message}`, details);
}

const OPTION_KEYS: readonly string[] = ['k', 'metric', 'select', 'where', 'maxDistance', 'minSimilarity', 'settings', 'strategy', 'index', 'requireIndex', 'rerank'];
/** Other libraries' names for an option (no edit distance finds them). */
const OPTION_ALIASES: Readonly<Record<string, string>> = Object.freeze({ limit: 'k', topK: 'k', filter: 'where' });
const RERANK_KEYS: readonly string[] = ['via', 'candidates'];
const STRATEGIES: readonly NearestStrategyOption[] = ['auto', 'exact', 'index'];

/** @internal The options, validated. */
export interface Validated {
  k: number;
  metric: Metric | undefined;
  select: unknown;
  where: SQL | undefined;
  maxDistance: number | undefined;
  minSimilarity: number | undefined;
  settings: readonly VectorSettingValue[];
  settingsKey: string;
  strategy: NearestStrategyOption;
  index: string | undefined;
  requireIndex: boolean;
  /** `rerank`, checked in shape (its target is checked against the searched column in `rerank.ts`). */
  rerank: { via: VectorTarget; candidates: number | undefined } | undefined;
}

function checkFinite(fn: string, name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    invalid(fn, `${name} must be a finite number, got ${describe(value)}.`, { option: name, value });
  }
}

export function validateOptions(fn: string, options: unknown): Validated {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    invalid(fn, `options must be an object like { k: 10 }, got ${describe(options)}.`, { received: describe(options) });
  }
  const o = options as Record<string, unknown>;
  checkOptionKeys(fn, o, OPTION_KEYS, 'INVALID_QUERY_OPTION', OPTION_ALIASES);
  const k = o['k'];
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > NEAREST_MAX_K) {
    invalid(fn, `k must be an integer from 1 to ${NEAREST_MAX_K}, got ${describe(k)}. Pass the number of neighbours, e.g. k: 10.`, {
      option: 'k',
      value: k,
      min: 1,
      max: NEAREST_MAX_K,
    });
  }
  const metric = o['metric'];
  if (metric !== undefined && (typeof metric !== 'string' || !(METRICS_LIST as readonly string[]).includes(metric))) {
    throw pgVectorError(
      'UNSUPPORTED_METRIC',
      `${fn}: unknown metric ${describe(metric)}. Use one of ${METRICS_LIST.map((m) => `'${m}'`).join(', ')}.`,
      { metric, allowed: METRICS_LIST },
    );
  }
  const where = o['where'];
  if (where !== undefined && !is(where, SQL)) {
    invalid(fn, `where must be an SQL condition such as eq(items.lang, 'en'), got ${describe(where)}.`, { received: describe(where) });
  }
  const maxDistance = o['maxDistance'];
  const minSimilarity = o['minSimilarity'];
  checkFinite(fn, 'maxDistance', maxDistance);
  checkFinite(fn, 'minSimilarity', minSimilarity);
  if (maxDistance !== undefined && minSimilarity !== undefined) {
    invalid(fn, `pass either maxDistance or minSimilarity, not both (they are the same bound on distance).`, { maxDistance, minSimilarity });
  }
  const strategy = o['strategy'] ?? 'auto';
  if (typeof strategy !== 'string' || !(STRATEGIES as readonly string[]).includes(strategy)) {
    invalid(fn, `strategy must be one of ${STRATEGIES.map((s) => `'${s}'`).join(', ')}, got ${describe(strategy)}. Leave it out to let nearest choose per query.`, {
      option: 'strategy',
      value: strategy,
      allowed: STRATEGIES,
    });
  }
  const index = o['index'];
  if (index !== undefined && (typeof index !== 'string' || index.length === 0)) {
    invalid(fn, `index must be the name of a vector index declared on the target, got ${describe(index)}.`, { option: 'index', value: index });
  }
  const requireIndex = o['requireIndex'] ?? false;
  if (typeof requireIndex !== 'boolean') {
    invalid(fn, `requireIndex must be true or false, got ${describe(requireIndex)}.`, { option: 'requireIndex', value: requireIndex });
  }
  if (requireIndex && strategy === 'exact') {
    invalid(fn, `requireIndex: true and strategy: 'exact' contradict each other (an exact search uses no vector index). Drop one of them.`, {
      option: 'strategy',
      value: strategy,
    });
  }
  const settings = o['settings'];
  if (strategy === 'exact' && settings !== undefined) {
    invalid(fn, `settings have no effect with strategy: 'exact' (an exact search uses no vector index). Drop one of them.`, { option: 'settings', strategy });
  }
  const rerank = validateRerank(fn, o['rerank'], k, strategy as NearestStrategyOption);
  const values = settings === undefined ? NO_SETTINGS : validateVectorSettings(settings as VectorSettings, `${fn}(…).settings`).values;
  return {
    k,
    metric: metric as Metric | undefined,
    select: o['select'],
    where: where as SQL | undefined,
    maxDistance: maxDistance as number | undefined,
    minSimilarity: minSimilarity as number | undefined,
    settings: values,
    settingsKey: values.length === 0 ? '' : values.map((v) => `${v.key}=${v.value}`).join(','),
    strategy: strategy as NearestStrategyOption,
    index: index as string | undefined,
    requireIndex,
    rerank,
  };
}

/** `rerank: { via, candidates? }`: its shape and `candidates` (an integer from k to the most candidates). */
function validateRerank(fn: string, value: unknown, k: number, strategy: NearestStrategyOption): Validated['rerank'] {
  if (value === undefined) return undefined;
  if (isVectorTarget(value)) {
    invalid(fn, `rerank must be { via: … }, not the target itself: write rerank: { via: ${value.label.replace(/\(.*/, '')}(…) }.`, { option: 'rerank', value: value.label });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    invalid(fn, `rerank must be an object like { via: binaryQuantize(items.embedding) }, got ${describe(value)}.`, { option: 'rerank', value: describe(value) });
  }
  const r = value as Record<string, unknown>;
  checkOptionKeys(`${fn}(…).rerank`, r, RERANK_KEYS, 'INVALID_QUERY_OPTION');
  const via = r['via'];
  if (!isVectorTarget(via)) {
    invalid(fn, `rerank.via must be an expression target on the searched column — binaryQuantize(col), asHalfvec(col) or subvector(col, start, count) — got ${describe(via)}.`, {
      option: 'rerank.via',
      value: describe(via),
    });
  }
  const candidates = r['candidates'];
  const max = QUANTIZED_SEARCH.maxCandidates;
  if (candidates !== undefined && (typeof candidates !== 'number' || !Number.isInteger(candidates) || candidates < k || candidates > max)) {
    invalid(fn, `rerank.candidates must be an integer from k (${k}) to ${max}, got ${describe(candidates)}. Leave it out for the default (${QUANTIZED_SEARCH.candidatesPerK.binaryQuantize}·k for binaryQuantize).`, {
      option: 'rerank.candidates',
      value: candidates,
      min: k,
      max,
    });
  }
  if (strategy === 'exact') {
    invalid(fn, `rerank has no effect with strategy: 'exact' (an exact search reads the full vectors, no index). Drop one of them.`, { option: 'rerank', strategy });
  }
  return { via, candidates: candidates as number | undefined };
}

const NO_SETTINGS: readonly VectorSettingValue[] = Object.freeze([]);

import {
  GENERATION_CHUNK_HEADER,
  INDEX_METHODS_LIST,
  INDEX_OPTIONS,
  METRICS_LIST,
  VECTOR_TYPES,
  VECTOR_TYPES_LIST,
  operatorClassFor,
  reducedRepresentationAdvice,
  type IndexMethod,
  type Metric,
  type ServerBits,
  type VectorType,
} from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';

/** Validation shared by the advice functions: every failure is an `INVALID_ADVICE_INPUT` PgVectorError. */

function fail(fn: string, message: string, details: Record<string, unknown>): never {
  throw pgVectorError('INVALID_ADVICE_INPUT', `${fn}: ${message}`, details);
}

/** Reject a non-object options argument. */
export function checkOptions(fn: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) fail(fn, `options must be an object, got ${String(options)}.`, { options });
}

/** A non-negative integer count (rows, writes per day, workers). */
export function checkCount(fn: string, name: string, value: unknown, hint: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(fn, `${name} must be a non-negative integer (${hint}), got ${String(value)}. Pass e.g. ${name}: 1000000.`, { [name]: value, min: 0 });
  }
  return value;
}

export function checkType(fn: string, type: unknown): VectorType {
  if (!(VECTOR_TYPES_LIST as readonly unknown[]).includes(type)) {
    fail(fn, `unknown type ${JSON.stringify(type)}; use one of ${VECTOR_TYPES_LIST.map((t) => `'${t}'`).join(', ')}.`, {
      type,
      allowed: [...VECTOR_TYPES_LIST],
    });
  }
  return type as VectorType;
}

export function checkMethod(fn: string, method: unknown): IndexMethod {
  if (!(INDEX_METHODS_LIST as readonly unknown[]).includes(method)) {
    fail(fn, `unknown index method ${JSON.stringify(method)}; use 'hnsw' or 'ivfflat'.`, { method, allowed: [...INDEX_METHODS_LIST] });
  }
  return method as IndexMethod;
}

/** Dimensions of a column of `type`: 1 .. the type's storage limit, and, with `method`, ≤ the method's index limit. */
export function checkDimensions(fn: string, type: VectorType, dimensions: unknown, method?: IndexMethod): number {
  const info = VECTOR_TYPES[type];
  if (typeof dimensions !== 'number' || !Number.isSafeInteger(dimensions) || dimensions < 1 || dimensions > info.maxDimensions) {
    fail(fn, `dimensions must be an integer from 1 to ${info.maxDimensions} for ${type}, got ${String(dimensions)}. Pass the column's dimension count.`, {
      dimensions,
      min: 1,
      max: info.maxDimensions,
      type,
    });
  }
  if (method !== undefined) {
    const max = info.indexMaxDimensions[method];
    if (max === undefined) {
      fail(fn, `${method} cannot index ${type} (pgvector has no ${method} operator class for it). Use method 'hnsw'.`, { type, method });
    }
    if (dimensions > max) {
      fail(
        fn,
        `${type}(${dimensions}) has more dimensions than ${method} indexes (at most ${max}). ${reducedRepresentationAdvice(type, dimensions, method, 'column') || 'Reduce the dimensions before indexing.'} Estimate for the type and size that gets indexed.`,
        { dimensions, max, type, method },
      );
    }
  }
  return dimensions;
}

/** An index option (m, lists, efConstruction) within the catalog's range. */
export function checkIndexOption(fn: string, key: 'm' | 'lists' | 'efConstruction', value: unknown): number {
  const info = INDEX_OPTIONS.find((o) => o.key === key);
  if (!info) throw new Error(`catalog has no index option ${key}`);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < info.min || value > info.max) {
    fail(fn, `${key} must be an integer from ${info.min} to ${info.max} (pgvector's ${info.sqlName} range), got ${String(value)}.`, {
      [key]: value,
      min: info.min,
      max: info.max,
    });
  }
  return value;
}

/** A metric that has an operator class for `type` (and `method`). */
export function checkMetric(fn: string, type: VectorType, method: IndexMethod, metric: unknown): Metric {
  if (!(METRICS_LIST as readonly unknown[]).includes(metric)) {
    fail(fn, `unknown metric ${JSON.stringify(metric)}; use one of ${METRICS_LIST.map((m) => `'${m}'`).join(', ')}.`, { metric });
  }
  const row = operatorClassFor(type, metric as Metric);
  if (!row || !row.methods.includes(method)) {
    fail(fn, `${method} has no operator class for ${type} with '${String(metric)}'. Choose a metric pgvector indexes for ${type}.`, {
      metric,
      type,
      method,
    });
  }
  return metric as Metric;
}

/** The server facts a memory model needs. */
export interface ServerFacts {
  readonly major: number;
  readonly bits: ServerBits;
}

/**
 * `serverVersion`: a major version (15, 16, 18) or `server_version_num` (150020); default: assume PostgreSQL ≤ 15
 * (the larger memory-context header, so estimates err high). `serverBits`: 64 (default) or 32 (PGlite / wasm32).
 */
export function checkServer(fn: string, serverVersion: unknown, serverBits: unknown): ServerFacts {
  let major: number = GENERATION_CHUNK_HEADER.defaultMajor;
  if (serverVersion !== undefined) {
    if (typeof serverVersion !== 'number' || !Number.isInteger(serverVersion) || serverVersion < 10 || serverVersion > 9_999_999) {
      fail(fn, `serverVersion must be a PostgreSQL major version (e.g. 16) or server_version_num (e.g. 160004), got ${String(serverVersion)}. Read it with SHOW server_version_num.`, {
        serverVersion,
      });
    }
    major = serverVersion >= 10_000 ? Math.floor(serverVersion / 10_000) : serverVersion;
  }
  if (serverBits !== undefined && serverBits !== 32 && serverBits !== 64) {
    fail(fn, `serverBits must be 64 or 32 (PGlite runs a 32-bit wasm32 server; select version() ends with '64-bit' or '32-bit'), got ${String(serverBits)}.`, {
      serverBits,
    });
  }
  return { major, bits: (serverBits ?? 64) as ServerBits };
}

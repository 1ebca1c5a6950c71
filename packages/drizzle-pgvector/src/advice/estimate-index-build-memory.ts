import type { PgColumn } from 'drizzle-orm/pg-core';
import { INDEX_OPTIONS, MAINTENANCE_WORK_MEM, MEMORY_UNITS, type IndexMethod, type Metric, type VectorType } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import { toTarget, type VectorTarget } from '../targets/index.js';
import {
  checkCount,
  checkDimensions,
  checkIndexOption,
  checkMethod,
  checkMetric,
  checkOptions,
  checkServer,
  checkType,
} from './advice-input.js';
import { chunkHeaderBytes, hnswFits, hnswRequiredBytes, hnswTupleBytes } from './hnsw-memory.js';
import { hnswIndexPages, ivfflatIndexPages, pagesToBytes } from './index-size.js';
import { ivfflatMemory } from './ivfflat-memory.js';
import { formatMemorySize, maintenanceWorkMemRange, sizeText, toMaintenanceWorkMem, type MemorySize } from './memory-size.js';
import { recommendIvfflat } from './recommend-ivfflat.js';
import { valueBytes } from './value-bytes.js';

const DEFAULT_M = INDEX_OPTIONS.find((o) => o.key === 'm')?.default ?? 16;

/** Options of {@link estimateIndexBuildMemory}. */
export interface EstimateIndexBuildMemoryOptions {
  method: IndexMethod;
  /**
   * What gets indexed — a vector column or a target: `asHalfvec(col, n)` (halfvec(n)), `binaryQuantize(col, n)`
   * (bit(n)), `subvector(col, start, n)` (n dimensions of the column's type). Gives `type` and `dimensions`.
   */
  target?: PgColumn | VectorTarget;
  /** The indexed type (without `target`): the column's, or the expression's (`asHalfvec` → 'halfvec', `binaryQuantize` → 'bit'). */
  type?: VectorType;
  /** The indexed dimensions (without `target`). */
  dimensions?: number;
  /** Rows to index (non-NULL values). */
  rows: number;
  /** HNSW m (default 16). */
  m?: number;
  /** IVFFlat lists (default: `recommendIvfflat({ rows }).lists`). */
  lists?: number;
  /** Parallel workers besides the leader (HNSW: a parallel build uses a shared area without chunk headers). Default 0. */
  parallelWorkers?: number;
  /** Validated against the type and method; values are the same size for every metric. */
  metric?: Metric;
  /** PostgreSQL major version (16) or server_version_num (160004). Default: ≤ 15 — larger headers, estimate errs high. */
  serverVersion?: number;
  /** 64 (default) or 32 (PGlite, wasm32). */
  serverBits?: 32 | 64;
  /** IVFFlat: the table's heap pages (`pg_relation_size(t) / 8192`), which cap the sample count. Default: not capped. */
  heapPages?: number;
  /** sparsevec: average non-zero elements per value (default 1000, the HNSW limit). */
  nonZero?: number;
  /** Also say what happens with this maintenance_work_mem. */
  maintenanceWorkMem?: MemorySize;
}

/** What a build with the given maintenance_work_mem does. */
export interface BuildMemoryFit {
  readonly maintenanceWorkMem: string;
  /** True when the whole build stays in memory (HNSW) / passes pgvector's memory check (IVFFlat). */
  readonly enough: boolean;
  /** HNSW: tuples the in-memory graph holds before pgvector's "no longer fits … after N tuples" notice. */
  readonly tuplesThatFit?: number;
}

/** Result of {@link estimateIndexBuildMemory}. */
export interface IndexBuildMemoryEstimate {
  readonly method: IndexMethod;
  /**
   * Bytes the build needs: HNSW, maintenance_work_mem for the graph to stay in memory (whole 1 MB blocks in a serial
   * build); IVFFlat, the total pgvector checks against maintenance_work_mem before k-means.
   */
  readonly bytes: number;
  /** `bytes` rounded up to a setting: `SET LOCAL maintenance_work_mem = '<this>'`. */
  readonly maintenanceWorkMem: string;
  /** Expected on-disk size of the index built in memory, in bytes (compare `pg_relation_size('<index>')`). */
  readonly indexBytes: number;
  /** `indexBytes` as text, e.g. `'157MB'` (rounded up to whole MB; kB below 1 MB). */
  readonly indexSize: string;
  /** HNSW: expected graph bytes per tuple. */
  readonly bytesPerTuple?: number;
  /** IVFFlat: the N of pgvector's "memory required is N MB" error. */
  readonly reportedMB?: number;
  /** IVFFlat: the smallest maintenance_work_mem, in kB, that passes pgvector's check. */
  readonly minimumKb?: number;
  /** IVFFlat: rows k-means samples (target and actual). */
  readonly samples?: { readonly target: number; readonly actual: number };
  /** The assumptions behind the numbers. */
  readonly assumptions: { readonly serverMajor: number; readonly serverBits: 32 | 64; readonly chunkHeaderBytes: number; readonly parallel: boolean };
  readonly fit?: BuildMemoryFit;
  readonly why: string;
}

/** `bytes` rounded up to whole MB, as setting text (never above the server's maximum). */
function settingFor(bytes: number, bits: 32 | 64): string {
  const maxBytes = MAINTENANCE_WORK_MEM.maxKb[bits] * MEMORY_UNITS.kB;
  const mb = Math.max(Math.ceil(bytes / MEMORY_UNITS.MB), 1);
  return formatMemorySize(Math.min(mb * MEMORY_UNITS.MB, maxBytes));
}

/** `type` and `dimensions` from a target, or as given. */
function indexedShape(fn: string, options: EstimateIndexBuildMemoryOptions): { type: unknown; dimensions: unknown } {
  if (options.target === undefined) return { type: options.type, dimensions: options.dimensions };
  const target = toTarget(options.target, `${fn} target`);
  for (const [key, value, fromTarget] of [['type', options.type, target.type], ['dimensions', options.dimensions, target.dimensions]] as const) {
    if (value !== undefined && value !== fromTarget) {
      throw pgVectorError('INVALID_ADVICE_INPUT', `${fn}: ${key} ${String(value)} contradicts the target ${target.label} (${target.sqlType}). Pass the target alone.`, {
        [key]: value,
        target: target.label,
      });
    }
  }
  if (target.dimensions === undefined) {
    throw pgVectorError('INVALID_ADVICE_INPUT', `${fn}: the target ${target.label} has no fixed dimensions. Pass a target with dimensions, e.g. asVector(col, 1536).`, {
      target: target.label,
    });
  }
  return { type: target.type, dimensions: target.dimensions };
}

/**
 * Estimate the `maintenance_work_mem` an index build needs, from pgvector's own memory accounting: for HNSW the
 * in-memory graph (past it the build continues on disk, much more slowly, after the notice "hnsw graph no longer
 * fits into maintenance_work_mem after N tuples"); for IVFFlat the k-means arrays (below it the build fails with
 * "memory required is N MB"). Matches pgvector's figures within 1 % (HNSW) and to the kB (IVFFlat). Also the size
 * of the finished index on disk (`indexBytes`, from pgvector's page layout). Pass the column or an expression target
 * to estimate an expression index: `binaryQuantize(col)` (bit(n): n/8 bytes per value), `asHalfvec(col)` (2 bytes
 * per dimension), `subvector(col, 1, n)`.
 *
 * @example
 * ```ts
 * const e = estimateIndexBuildMemory({ method: 'hnsw', type: 'vector', dimensions: 1536, rows: 1_000_000, serverVersion: 16 });
 * e.maintenanceWorkMem; // '6541MB'
 * e.indexSize; // '7813MB'
 * // The same column, binary-quantized (bit(1536)): ≈ 7× less build memory ('927MB'), a 16× smaller index ('479MB').
 * estimateIndexBuildMemory({ method: 'hnsw', target: binaryQuantize(items.embedding), rows: 1_000_000 }).maintenanceWorkMem;
 * await db.transaction(async (tx) => {
 *   await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '${e.maintenanceWorkMem}'`));
 *   await tx.execute(sql`CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops)`);
 * });
 * ```
 * No SQL of its own: pure function; the SQL above is what its result is for.
 *
 * @throws {@link PgVectorError} `INVALID_ADVICE_INPUT` for bad options (unknown method/type, dimensions above the
 *   method's limit, m or lists out of range), `INVALID_MEMORY_SIZE` for a bad `maintenanceWorkMem`.
 */
export function estimateIndexBuildMemory(options: EstimateIndexBuildMemoryOptions): IndexBuildMemoryEstimate {
  const fn = 'estimateIndexBuildMemory';
  checkOptions(fn, options);
  const method = checkMethod(fn, options.method);
  const shape = indexedShape(fn, options);
  const type = checkType(fn, shape.type);
  const dimensions = checkDimensions(fn, type, shape.dimensions, method);
  const rows = checkCount(fn, 'rows', options.rows, 'rows to index');
  if (options.metric !== undefined) checkMetric(fn, type, method, options.metric);
  const server = checkServer(fn, options.serverVersion, options.serverBits);
  const workers = checkCount(fn, 'parallelWorkers', options.parallelWorkers ?? 0, 'workers besides the leader');
  const nonZero = options.nonZero === undefined ? undefined : checkCount(fn, 'nonZero', options.nonZero, 'non-zero elements per value');
  const mwm = options.maintenanceWorkMem === undefined ? undefined : toMaintenanceWorkMem(options.maintenanceWorkMem, { serverVersion: options.serverVersion, serverBits: server.bits });
  const size = valueBytes(type, dimensions, nonZero);

  if (method === 'hnsw') {
    const m = checkIndexOption(fn, 'm', options.m ?? DEFAULT_M);
    const parallel = workers > 0;
    const perTuple = hnswTupleBytes(m, size, server, parallel);
    const bytes = hnswRequiredBytes(rows, perTuple, parallel);
    const setting = settingFor(bytes, server.bits);
    let fit: BuildMemoryFit | undefined;
    if (mwm) {
      const tuplesThatFit = hnswFits(mwm.bytes, perTuple, parallel);
      fit = { maintenanceWorkMem: mwm.text, enough: tuplesThatFit >= rows, tuplesThatFit };
    }
    const indexBytes = pagesToBytes(hnswIndexPages(rows, m, size));
    const why =
      `HNSW keeps the whole graph in maintenance_work_mem while building: about ${Math.round(perTuple)} bytes per ${type}(${dimensions}) tuple at m=${m}` +
      `${parallel ? ' (parallel build: shared area, plus 4 MB pgvector keeps aside)' : ''}, so ${rows} rows need ${setting}. ` +
      (fit
        ? fit.enough
          ? `With ${fit.maintenanceWorkMem} the graph fits.`
          : `With ${fit.maintenanceWorkMem} only ${fit.tuplesThatFit} tuples fit; after them pgvector builds on disk, which is much slower.`
        : 'With less, pgvector finishes the build on disk, much more slowly.') +
      ` The finished index takes ≈ ${sizeText(indexBytes)} on disk.`;
    return Object.freeze({
      method,
      bytes,
      maintenanceWorkMem: setting,
      indexBytes,
      indexSize: sizeText(indexBytes),
      bytesPerTuple: perTuple,
      assumptions: { serverMajor: server.major, serverBits: server.bits, chunkHeaderBytes: chunkHeaderBytes(server, parallel), parallel },
      ...(fit ? { fit } : {}),
      why,
    });
  }

  const lists = checkIndexOption(fn, 'lists', options.lists ?? recommendIvfflat({ rows }).lists);
  const heapPages = options.heapPages === undefined ? undefined : checkCount(fn, 'heapPages', options.heapPages, "the table's 8 kB heap pages");
  const k = ivfflatMemory(lists, dimensions, size, rows, heapPages, server.bits);
  const minimumKb = Math.max(k.minimumKb, maintenanceWorkMemRange({ serverVersion: options.serverVersion, serverBits: server.bits }).minKb);
  const bytes = k.bytes;
  const setting = settingFor(minimumKb * MEMORY_UNITS.kB, server.bits);
  const fit: BuildMemoryFit | undefined = mwm ? { maintenanceWorkMem: mwm.text, enough: mwm.kB >= k.minimumKb } : undefined;
  const indexBytes = pagesToBytes(ivfflatIndexPages(rows, lists, size));
  const why =
    `IVFFlat trains ${lists} lists by k-means on ${k.samples} sampled rows (sample buffer for ${k.targetSamples}); pgvector needs ${k.bytes} bytes for it ` +
    `and refuses to build with less ("memory required is ${k.reportedMB} MB"), so set maintenance_work_mem to at least ${formatMemorySize(minimumKb * MEMORY_UNITS.kB)} (${setting}).` +
    (fit ? (fit.enough ? ` ${fit.maintenanceWorkMem} is enough.` : ` ${fit.maintenanceWorkMem} is not enough.`) : '') +
    ' Assigning rows to lists then sorts within maintenance_work_mem and spills to disk if needed.' +
    ` The finished index takes ≈ ${sizeText(indexBytes)} on disk.`;
  return Object.freeze({
    method,
    bytes,
    maintenanceWorkMem: setting,
    indexBytes,
    indexSize: sizeText(indexBytes),
    reportedMB: k.reportedMB,
    minimumKb,
    samples: { target: k.targetSamples, actual: k.samples },
    assumptions: { serverMajor: server.major, serverBits: server.bits, chunkHeaderBytes: 0, parallel: workers > 0 },
    ...(fit ? { fit } : {}),
    why,
  });
}

import {
  GENERATION_CHUNK_HEADER,
  HNSW_BUILD_MEMORY,
  HNSW_GRAPH_LAYOUT,
  INDEX_OPTIONS,
  MAX_ALIGN,
  type VectorType,
} from '../catalog/index.js';
import { checkCount, checkDimensions, checkIndexOption, checkOptions, checkServer, checkType, type ServerFacts } from './advice-input.js';
import { toMaintenanceWorkMem, type MemorySize } from './memory-size.js';
import { valueBytes } from './value-bytes.js';

const DEFAULT_M = INDEX_OPTIONS.find((o) => o.key === 'm')?.default ?? 16;

function maxAlign(bytes: number): number {
  return Math.ceil(bytes / MAX_ALIGN) * MAX_ALIGN;
}

/** The chunk header of one graph allocation: none in a parallel build (bump allocator in shared memory). */
export function chunkHeaderBytes(server: ServerFacts, parallel: boolean): number {
  if (parallel) return 0;
  return server.major >= GENERATION_CHUNK_HEADER.compactSinceMajor
    ? GENERATION_CHUNK_HEADER.compactBytes
    : GENERATION_CHUNK_HEADER.legacyBytes[server.bits];
}

/**
 * Expected bytes one tuple takes in pgvector's in-memory HNSW graph: the element, its neighbor-pointer array, one
 * neighbor array per level (2·m candidates on layer 0, m above) and the value, each MAXALIGNed plus a chunk header,
 * averaged over pgvector's random level distribution (P(level ≥ k) = m^−k, capped).
 */
export function hnswTupleBytes(m: number, valueSize: number, server: ServerFacts, parallel: boolean): number {
  const L = HNSW_GRAPH_LAYOUT;
  const h = chunkHeaderBytes(server, parallel);
  const chunk = (bytes: number): number => maxAlign(bytes) + h;
  const neighborArray = (lm: number): number => chunk(L.neighborArrayHeaderBytes[server.bits] + L.candidateBytes[server.bits] * lm);
  const base = chunk(L.elementBytes[server.bits]) + neighborArray(L.layerZeroMultiplier * m) + chunk(valueSize);
  const maxLevel = Math.min(Math.floor(L.neighborTidsPerPage / m) - 2, L.maxLevelCap);
  let expected = 0;
  for (let level = 0; level <= maxLevel; level++) {
    const p = level === maxLevel ? m ** -level : (1 - 1 / m) * m ** -level;
    const cost = base + chunk(L.pointerBytes[server.bits] * (level + 1)) + level * neighborArray(m);
    expected += p * cost;
  }
  return expected;
}

/** Bytes of maintenance_work_mem the graph may fill before pgvector flushes it to disk. */
export function hnswGraphCapacity(maintenanceWorkMemBytes: number, parallel: boolean): number {
  const B = HNSW_BUILD_MEMORY;
  if (!parallel) return Math.floor(maintenanceWorkMemBytes / B.blockBytes) * B.blockBytes;
  const area = maintenanceWorkMemBytes > B.parallelReservedBytes ? maintenanceWorkMemBytes - B.parallelReservedBytes : maintenanceWorkMemBytes;
  return Math.max(0, area - B.parallelMarginBytes - B.parallelAreaStartBytes);
}

/** maintenance_work_mem (bytes) an HNSW build of `rows` tuples of `tupleBytes` needs to keep the graph in memory. */
export function hnswRequiredBytes(rows: number, tupleBytes: number, parallel: boolean): number {
  const B = HNSW_BUILD_MEMORY;
  const graph = Math.ceil(rows * tupleBytes);
  if (!parallel) return Math.max(1, Math.ceil(graph / B.blockBytes)) * B.blockBytes;
  return graph + B.parallelReservedBytes + B.parallelMarginBytes + B.parallelAreaStartBytes;
}

/** Options of {@link hnswTuplesThatFit}. */
export interface HnswTuplesThatFitOptions {
  type: VectorType;
  dimensions: number;
  /** The maintenance_work_mem of the build: bytes or PostgreSQL text ('64MB'). */
  maintenanceWorkMem: MemorySize;
  /** HNSW m (default 16). */
  m?: number;
  /** Parallel workers besides the leader (default 0: serial build). */
  parallelWorkers?: number;
  /** sparsevec only: average non-zero elements per value (default 1000, pgvector's HNSW limit). */
  nonZero?: number;
  /** PostgreSQL major version or server_version_num (default: ≤ 15, the conservative header size). */
  serverVersion?: number;
  /** 64 (default) or 32 (PGlite). */
  serverBits?: 32 | 64;
}

/**
 * How many tuples pgvector's HNSW build keeps in memory under a given maintenance_work_mem — the N of its notice
 * "hnsw graph no longer fits into maintenance_work_mem after N tuples" (after which the build continues on disk,
 * much more slowly).
 *
 * @example
 * ```ts
 * hnswTuplesThatFit({ type: 'vector', dimensions: 3, m: 16, maintenanceWorkMem: '8MB', serverVersion: 15 }); // 10542
 * ```
 * No SQL: pure function; compare with the notice of `SET LOCAL maintenance_work_mem = '8MB'; CREATE INDEX … USING hnsw …`.
 *
 * @throws {@link PgVectorError} `INVALID_ADVICE_INPUT` / `INVALID_MEMORY_SIZE` for bad options.
 */
export function hnswTuplesThatFit(options: HnswTuplesThatFitOptions): number {
  const fn = 'hnswTuplesThatFit';
  checkOptions(fn, options);
  const type = checkType(fn, options.type);
  const dimensions = checkDimensions(fn, type, options.dimensions, 'hnsw');
  const m = checkIndexOption(fn, 'm', options.m ?? DEFAULT_M);
  const parallel = checkCount(fn, 'parallelWorkers', options.parallelWorkers ?? 0, 'workers besides the leader') > 0;
  const nonZero = options.nonZero === undefined ? undefined : checkCount(fn, 'nonZero', options.nonZero, 'non-zero elements per value');
  const server = checkServer(fn, options.serverVersion, options.serverBits);
  const mwm = toMaintenanceWorkMem(options.maintenanceWorkMem, { serverVersion: options.serverVersion, serverBits: server.bits });
  const tuple = hnswTupleBytes(m, valueBytes(type, dimensions, nonZero), server, parallel);
  return hnswFits(mwm.bytes, tuple, parallel);
}

/**
 * Tuples of `tupleBytes` the graph holds within `maintenanceWorkMemBytes`. A serial build always takes the first
 * tuple (its memory is counted only after it is allocated), even below one 1 MB block (PostgreSQL 17+ allow 64 kB).
 */
export function hnswFits(maintenanceWorkMemBytes: number, tupleBytes: number, parallel: boolean): number {
  const fits = Math.floor(hnswGraphCapacity(maintenanceWorkMemBytes, parallel) / tupleBytes);
  return parallel ? fits : Math.max(fits, 1);
}

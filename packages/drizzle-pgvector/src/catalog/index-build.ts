/**
 * Facts about building pgvector indexes: the memory each build needs, the settings that bound it, and the rules of
 * thumb pgvector's README gives for `lists`, `probes`, `m`, `ef_construction` and `ef_search`. The advice functions
 * (`recommendIvfflat`, `recommendHnsw`, `chooseIndex`, `estimateIndexBuildMemory`) read every number from here.
 *
 * Sources: pgvector 0.8.x src/hnsw.h, src/hnswutils.c, src/hnswbuild.c (HNSW graph memory), src/ivfbuild.c,
 * src/ivfkmeans.c, src/ivfutils.c, src/ivfflat.h (IVFFlat k-means memory), PostgreSQL src/backend/utils/mmgr/
 * generation.c (chunk headers), guc_tables.c (maintenance_work_mem). See `shared/reference/pgvector.md` §5.
 */

import { VECTOR_TYPES } from './catalog.js';

/** Bytes in one kB / MB / GB / TB, PostgreSQL's (binary) memory units. */
export const MEMORY_UNITS = Object.freeze({ B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 });
/** PostgreSQL's memory unit names, case-sensitive, largest first. */
export const MEMORY_UNIT_NAMES = ['TB', 'GB', 'MB', 'kB', 'B'] as const;
export type MemoryUnit = (typeof MEMORY_UNIT_NAMES)[number];

/** The server facts the memory models depend on: pointer width and PostgreSQL major version. */
export type ServerBits = 32 | 64;

/**
 * `maintenance_work_mem` (guc_tables.c): unit kB, default 64MB; minimum 1024 kB, lowered to 64 kB in PostgreSQL 17;
 * maximum MAX_KILOBYTES: 2147483647 kB on 64-bit servers, 2097151 kB on 32-bit ones (PGlite).
 */
export const MAINTENANCE_WORK_MEM = Object.freeze({
  minKb: 1024,
  lowMinKb: 64,
  lowMinSinceMajor: 17,
  maxKb: { 64: 2_147_483_647, 32: 2_097_151 } as Readonly<Record<ServerBits, number>>,
  defaultKb: 65_536,
  unit: 'kB' as const,
});

/** MAXALIGN on every supported platform (x86-64, arm64 and wasm32 alike: 8). */
export const MAX_ALIGN = 8;

/**
 * HNSW in-memory graph layout (src/hnsw.h). Sizes by pointer width: 64-bit servers, and 32-bit ones such as
 * PGlite (PostgreSQL compiled to wasm32).
 */
export const HNSW_GRAPH_LAYOUT = Object.freeze({
  /** sizeof(HnswElementData). */
  elementBytes: { 64: 128, 32: 108 } as Readonly<Record<ServerBits, number>>,
  /** sizeof(HnswNeighborArrayPtr): one per level, in one array. */
  pointerBytes: { 64: 8, 32: 4 } as Readonly<Record<ServerBits, number>>,
  /** offsetof(HnswNeighborArray, items). */
  neighborArrayHeaderBytes: { 64: 8, 32: 8 } as Readonly<Record<ServerBits, number>>,
  /** sizeof(HnswCandidate). */
  candidateBytes: { 64: 16, 32: 12 } as Readonly<Record<ServerBits, number>>,
  /** Layer 0 keeps 2·m neighbors, upper layers m. */
  layerZeroMultiplier: 2,
  /** HnswGetMaxLevel: Min(neighborTidsPerPage / m − 2, 63). */
  maxLevelCap: 63,
  neighborTidsPerPage: 1358,
  /** Allocations per element: element, neighbor-pointer array, layer-0 neighbor array, value (+1 per upper level). */
  chunksPerElement: 4,
});

/**
 * Generation memory context (serial HNSW build): chunk header per allocation. PostgreSQL ≤ 15: GenerationChunk
 * (size, block, context pointers: 24 B on 64-bit, 16 B on 32-bit after MAXALIGN); PostgreSQL ≥ 16: MemoryChunk, 8 B.
 */
export const GENERATION_CHUNK_HEADER = Object.freeze({
  /** First PostgreSQL major version with the 8-byte MemoryChunk header. */
  compactSinceMajor: 16,
  legacyBytes: { 64: 24, 32: 16 } as Readonly<Record<ServerBits, number>>,
  compactBytes: 8,
  /**
   * The default when the server version is unknown: the larger, PostgreSQL ≤ 15 header, so estimates err on the side
   * of more memory (≤ 64 B per row, 1–3 % for typical dimensions).
   */
  defaultMajor: 15,
});

/** HNSW build memory accounting (src/hnswbuild.c). */
export const HNSW_BUILD_MEMORY = Object.freeze({
  /** Serial builds allocate the graph in 1 MiB generation blocks and stop once the blocks reach maintenance_work_mem. */
  blockBytes: 1024 * 1024,
  /** Parallel builds keep this much of maintenance_work_mem outside the shared graph area (when mwm is larger). */
  parallelReservedBytes: 3 * 1024 * 1024,
  /** …and stop inserting when less than this margin is left in the area. */
  parallelMarginBytes: 1024 * 1024,
  /** The area's first allocation (MAXALIGN(1)). */
  parallelAreaStartBytes: 8,
});

/** Most non-zero elements a sparsevec may have to be indexed by HNSW (the catalog's sparsevec indexMaxNonZero). */
export const HNSW_INDEX_MAX_NON_ZERO = VECTOR_TYPES.sparsevec.indexMaxNonZero ?? 1000;

/** Sizes of the values pgvector stores, by type: header + per-element bytes (src/vector.h, src/halfvec.h, …). */
export const VALUE_LAYOUT = Object.freeze({
  vector: { headerBytes: 8, bytesPerDimension: 4 },
  halfvec: { headerBytes: 8, bytesPerDimension: 2 },
  /** bit(n): varlena header + bit length, then ⌈n/8⌉ bytes. */
  bit: { headerBytes: 8, bitsPerByte: 8 },
  /** sparsevec: dim, nnz, unused + per non-zero element an int32 index and a float4 value. */
  sparsevec: { headerBytes: 16, bytesPerNonZero: 8 },
});

/** IVFFlat build memory (src/ivfbuild.c ComputeCenters, src/ivfkmeans.c ElkanKmeans, src/ivfflat.h). */
export const IVFFLAT_BUILD_MEMORY = Object.freeze({
  /** Target k-means samples: samplesPerList · lists, at least minSamples … */
  samplesPerList: 50,
  minSamples: 10_000,
  /** … but at most heap blocks · MaxHeapTuplesPerPage (8 kB pages). */
  maxHeapTuplesPerPage: 291,
  /** sizeof(VectorArrayData). */
  vectorArrayHeaderBytes: { 64: 32, 32: 20 } as Readonly<Record<ServerBits, number>>,
  /** sizeof(float) = sizeof(int) for the k-means bound and count arrays. */
  scalarBytes: 4,
  /** The error text prints total / 1 MiB + 1. */
  reportedMbOffset: 1,
});

/** pgvector README rules for IVFFlat (README "IVFFlat": lists and probes). */
export const IVFFLAT_RULES = Object.freeze({
  /** lists = rows / rowsPerList … */
  rowsPerList: 1000,
  /** … up to this many rows; sqrt(rows) above. */
  sqrtAboveRows: 1_000_000,
  /**
   * Below this many rows k-means trains on too few samples to place its centers well (pgvector samples at least
   * 10,000 rows when the table has them): build the index later, or use HNSW.
   */
  minTrainingRows: 10_000,
});

/**
 * HNSW presets by recall target. pgvector's defaults (m 16, ef_construction 64, ef_search 40) give roughly 0.9–0.95
 * recall on typical embeddings; higher targets raise ef_search first (a query-time setting, no rebuild), then the
 * graph's quality (ef_construction, m). Heuristics, not guarantees: measure recall on your data.
 */
export const HNSW_PRESETS: readonly { readonly maxRecall: number; readonly m: number; readonly efConstruction: number; readonly efSearch: number }[] =
  Object.freeze([
    { maxRecall: 0.9, m: 16, efConstruction: 64, efSearch: 40 },
    { maxRecall: 0.95, m: 16, efConstruction: 64, efSearch: 100 },
    { maxRecall: 0.98, m: 24, efConstruction: 128, efSearch: 200 },
    { maxRecall: 0.99, m: 32, efConstruction: 200, efSearch: 400 },
    { maxRecall: 1, m: 48, efConstruction: 400, efSearch: 800 },
  ]);

/** Default recall target of `recommendHnsw`. */
export const DEFAULT_RECALL_TARGET = 0.9;

/** Rules `chooseIndex` applies besides the type limits. */
export const CHOOSE_INDEX_RULES = Object.freeze({
  /** Daily writes above this share of the table make IVFFlat's clusters drift quickly. */
  highChurnShare: 0.1,
  /** Below this many rows an exact (sequential) scan is usually fast enough. */
  exactSearchRows: 10_000,
});

/**
 * The pages an index build writes (PostgreSQL bufpage.h; pgvector src/hnsw.h, src/hnswbuild.c CreateGraphPages,
 * src/ivfflat.h, src/ivfbuild.c CreateListPages / InsertTuples): 8 kB pages with a 24-byte header, an 8-byte special
 * area (next block, page id) and a 4-byte line pointer per tuple; one meta page. HNSW writes per element an element
 * tuple `MAXALIGN(72 + value)` and a neighbor tuple `MAXALIGN(4 + 6·(level + 2)·m)`, on the same page when both fit;
 * IVFFlat writes one list tuple `MAXALIGN(8 + center)` per list, then each list's entries
 * `MAXALIGN(8 + value)` on pages of their own.
 */
export const INDEX_PAGE_LAYOUT = Object.freeze({
  blockBytes: 8192,
  pageHeaderBytes: 24,
  specialBytes: 8,
  linePointerBytes: 4,
  metaPages: 1,
  /** offsetof(HnswElementTupleData, data): type, level, deleted, version, 10 heap TIDs, neighbor TID, unused. */
  hnswElementHeaderBytes: 72,
  /** offsetof(HnswNeighborTupleData, indextids). */
  hnswNeighborHeaderBytes: 4,
  /** sizeof(ItemPointerData). */
  itemPointerBytes: 6,
  /** HNSW_MAX_SIZE: an element and its neighbors share a page only when together they fit in this. */
  hnswMaxTupleBytes: 8192 - 24 - 8 - 4,
  /** sizeof(IndexTupleData) before an IVFFlat entry's value. */
  indexTupleHeaderBytes: 8,
  /** offsetof(IvfflatListData, center): start page, insert page. */
  ivfflatListHeaderBytes: 8,
});

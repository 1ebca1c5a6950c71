import { IVFFLAT_BUILD_MEMORY, MAX_ALIGN, MEMORY_UNITS, type ServerBits } from '../catalog/index.js';

/** What pgvector's IVFFlat build computes before k-means (src/ivfbuild.c, src/ivfkmeans.c). */
export interface IvfflatMemory {
  /** Total bytes pgvector checks against maintenance_work_mem (centers, samples, Elkan k-means arrays). */
  readonly bytes: number;
  /** Target sample count (sizes the sample array). */
  readonly targetSamples: number;
  /** Rows actually sampled (sizes the k-means bound arrays). */
  readonly samples: number;
  /** The N pgvector prints in "memory required is N MB" when maintenance_work_mem is too small. */
  readonly reportedMB: number;
  /** Smallest maintenance_work_mem (kB) that passes pgvector's check: ⌊bytes / 1024⌋. */
  readonly minimumKb: number;
}

/**
 * pgvector's IVFFlat memory check: `T = 2·VA(lists) + VA(S_t) + 4·(lists·D + 3·lists + lists² + 2·S + S·lists)` with
 * `VA(n) = sizeof(VectorArrayData) + n·MAXALIGN(item)`, `S_t = max(50·lists, 10000)` capped at heap pages · 291
 * (unknown pages: not capped, an upper bound) and `S = min(S_t, rows)`. An empty table skips k-means.
 */
export function ivfflatMemory(
  lists: number,
  dimensions: number,
  itemBytes: number,
  rows: number,
  heapPages: number | undefined,
  bits: ServerBits,
): IvfflatMemory {
  const K = IVFFLAT_BUILD_MEMORY;
  const item = Math.ceil(itemBytes / MAX_ALIGN) * MAX_ALIGN;
  const vectorArray = (n: number): number => K.vectorArrayHeaderBytes[bits] + n * item;
  let targetSamples = Math.max(lists * K.samplesPerList, K.minSamples);
  if (heapPages !== undefined) targetSamples = Math.max(Math.min(targetSamples, heapPages * K.maxHeapTuplesPerPage), 1);
  const samples = Math.min(targetSamples, rows);
  let bytes = vectorArray(lists) + vectorArray(targetSamples);
  if (samples > 0) {
    bytes +=
      vectorArray(lists) +
      K.scalarBytes * (lists * dimensions + 3 * lists + lists * lists + 2 * samples + samples * lists);
  }
  return Object.freeze({
    bytes,
    targetSamples,
    samples,
    reportedMB: Math.floor(bytes / MEMORY_UNITS.MB) + K.reportedMbOffset,
    minimumKb: Math.floor(bytes / MEMORY_UNITS.kB),
  });
}

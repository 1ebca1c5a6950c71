/**
 * How much `maintenance_work_mem` an index build needs, by pgvector 0.8's own allocation rules (the formulas and
 * their validation are in the project's pgvector reference, "HNSW memory model" and "IVFFlat k-means memory"):
 *
 * - HNSW keeps the whole graph in memory while it fits. Per row, serial build (PostgreSQL generation context,
 *   chunk header H = 24 B on PG ≤ 15, 8 B on PG ≥ 16): `E = 144 + 32m + MAXALIGN(8 + 4D) + 4H + (16 + 16m + H)/(m − 1)`;
 *   parallel build (one DSM segment): `E = 144 + 32m + MAXALIGN(8 + 4D) + (16 + 16m)/(m − 1)`, plus 4 MiB.
 *   Below that the build goes on, one tuple at a time on disk, much slower ("hnsw graph no longer fits").
 * - IVFFlat's k-means must fit or CREATE INDEX fails ("memory required is … MB"):
 *   `T = 2·VA(lists) + VA(S_t) + 4·(lists·D + 3·lists + lists² + 2·S + S·lists)`, `VA(n) = 32 + n·MAXALIGN(8 + 4D)`,
 *   `S_t = max(50·lists, 10000)` capped at `heap blocks × 291`, `S` the rows actually sampled.
 */

const maxAlign = (n: number): number => Math.ceil(n / 8) * 8;

export interface HnswMemoryInput {
  readonly rows: number;
  readonly dimensions: number;
  readonly m: number;
  /** PostgreSQL major version (the allocator's chunk header differs from 16 on). */
  readonly serverMajor: number;
  /** Parallel maintenance workers the build will use (0: serial). */
  readonly workers: number;
}

/** Bytes of `maintenance_work_mem` an HNSW build (vector type) needs to keep its graph in memory. */
export function hnswBuildBytes({ rows, dimensions, m, serverMajor, workers }: HnswMemoryInput): number {
  const value = maxAlign(8 + 4 * dimensions);
  if (workers > 0) return Math.ceil(rows * (144 + 32 * m + value + (16 + 16 * m) / (m - 1))) + 4 * 1024 * 1024;
  const header = serverMajor >= 16 ? 8 : 24;
  return Math.ceil(rows * (144 + 32 * m + value + 4 * header + (16 + 16 * m + header) / (m - 1)));
}

export interface IvfflatMemoryInput {
  readonly rows: number;
  readonly dimensions: number;
  readonly lists: number;
  /** Heap pages of the table (`pg_relation_size / 8192`). */
  readonly heapBlocks: number;
}

/** Bytes of `maintenance_work_mem` IVFFlat's k-means needs (vector type); less and CREATE INDEX fails. */
export function ivfflatBuildBytes({ rows, dimensions, lists, heapBlocks }: IvfflatMemoryInput): number {
  const item = maxAlign(8 + 4 * dimensions);
  const vectorArray = (n: number): number => 32 + n * item;
  const target = Math.max(1, Math.min(Math.max(50 * lists, 10_000), heapBlocks * 291));
  const sampled = Math.min(rows, target);
  return 2 * vectorArray(lists) + vectorArray(target) + 4 * (lists * dimensions + 3 * lists + lists * lists + 2 * sampled + sampled * lists);
}

/** `maintenance_work_mem` text for at least `bytes`, in whole MB, never below `floorMb`. */
export function maintenanceWorkMem(bytes: number, floorMb = 64): string {
  return `${Math.max(floorMb, Math.ceil((bytes * 1.1) / (1024 * 1024)))}MB`;
}

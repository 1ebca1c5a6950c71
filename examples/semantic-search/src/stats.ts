/** Small helpers for timing and recall. */

/** The q-quantile (0..1) of `values` by linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Run `fn`, return its result and the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

/**
 * recall@k of an approximate result against the exact one: the share of the exact top-k found. Ties count:
 * a returned row whose distance is not greater than the exact k-th distance is a hit even if the exact scan
 * happened to list another row of the same distance (generated text has exact duplicates).
 */
export function recallAtK(exact: readonly { id: number; distance: number }[], approx: readonly { id: number; distance: number }[], k: number): number {
  const truth = exact.slice(0, k);
  if (truth.length === 0) return 1;
  const kth = truth[truth.length - 1]!.distance;
  const ids = new Set(truth.map((r) => r.id));
  let hits = 0;
  for (const r of approx.slice(0, k)) if (ids.has(r.id) || r.distance <= kth + 1e-6) hits++;
  return Math.min(hits, truth.length) / truth.length;
}

export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + ' ms';
export const seconds = (x: number): string => (x / 1000).toFixed(1) + ' s';
export const mib = (bytes: number): string => (bytes / 1048576).toFixed(1) + ' MiB';
export const int = (x: number): string => Math.round(x).toLocaleString('en-US');

export { markdownTable as table } from '@drizzle-pgvector/testing/report';

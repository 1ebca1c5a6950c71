/**
 * Statistics and number formatting shared by the benchmarks. Test data (seeded PRNG, vectors) comes from
 * `@drizzle-pgvector/testing/data`, the table printer from `@drizzle-pgvector/testing/report`.
 */

/** The q-quantile (0..1) by linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/**
 * A new random order of `0 … n − 1` (Fisher–Yates, from `random`): the order a benchmark runs its variants in for
 * one query. A fixed rotation would always run each variant right after the same other one, whose reads and
 * allocations it then pays for (+0.15 ms a call measured in the filtered-search bench).
 */
export function shuffledOrder(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let j = n - 1; j > 0; j--) {
    const swap = Math.floor(random() * (j + 1));
    [order[j], order[swap]] = [order[swap]!, order[j]!];
  }
  return order;
}

/** Milliseconds with three significant decimals for sub-millisecond values. */
export function ms(x: number): string {
  return x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : x >= 1 ? `${x.toFixed(2)} ms` : `${x.toFixed(3)} ms`;
}

export function us(xMs: number): string {
  const x = xMs * 1000;
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)} µs`;
}

export function percent(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

export function opsPerSecond(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Machine and runtime line for the report header. */
export async function environment(): Promise<string> {
  const os = await import('node:os');
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `Node ${process.version}, ${os.cpus().length} × ${cpu}, ${os.platform()} ${os.arch()}`;
}

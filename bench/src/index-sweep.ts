/**
 * The query side of the index comparison: every configuration (exact scan, IVFFlat at each `probes`, HNSW at each
 * `ef_search`) answers the same query vectors through `nearest()`, interleaved query by query in a rotated order
 * so drift (GC, CPU frequency, other processes) hits all alike. Recall@k is measured against the exact scan.
 */
import { sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { nearest, nearestSql, type NearestOptions, type NearestSelection } from 'drizzle-pgvector';
import type { Db } from './bench-database.js';
import { drizzleTemplate } from './sql-template.js';
import { median, quantile } from './stats.js';

export type Method = 'Sequential scan' | 'IVFFlat' | 'HNSW';

export interface SweepConfig {
  readonly method: Method;
  /** `probes` / `ef_search`; undefined for the exact scan. */
  readonly setting: { readonly name: 'probes' | 'ef_search'; readonly value: number } | undefined;
  /** True for the point the index guidance recommends. */
  readonly advice: boolean;
  readonly column: PgColumn;
  readonly options: NearestOptions<NearestSelection>;
}

export interface SweepResult {
  readonly method: Method;
  readonly setting: SweepConfig['setting'];
  readonly advice: boolean;
  /** What PostgreSQL's plan scans (from EXPLAIN of the first query). */
  readonly plan: string;
  readonly medianMs: number;
  readonly p95Ms: number;
  /** Mean over the queries of |result ∩ exact| / k. */
  readonly recall: number;
  readonly times: readonly number[];
}

/** `Sequential scan`, `IVFFlat probes = 4`… */
export function configLabel(c: Pick<SweepConfig, 'method' | 'setting'>): string {
  return c.setting ? `${c.method} ${c.setting.name} = ${c.setting.value}` : c.method;
}

/** The exact scan runs in a transaction with index scans off; `db` may be that transaction. */
async function search(db: Db, c: SweepConfig, q: number[]): Promise<number[]> {
  const run = (d: Db) => nearest(d, c.column, q, c.options);
  const rows = c.method === 'Sequential scan' ? await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_indexscan = off`);
    return run(tx as unknown as Db);
  }) : await run(db);
  return rows.map((r) => Number(r['id']));
}

interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function describePlan(node: PlanNode): string {
  const nodes: PlanNode[] = [];
  const walk = (n: PlanNode): void => {
    nodes.push(n);
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(node);
  const indexed = nodes.find((n) => n['Index Name'] !== undefined);
  if (indexed) return `${indexed['Node Type']} using ${indexed['Index Name']}`;
  const parallel = nodes.some((n) => n['Node Type']?.startsWith('Gather'));
  const scan = nodes.find((n) => n['Node Type']?.endsWith('Seq Scan'))?.['Node Type'] ?? nodes.at(-1)?.['Node Type'] ?? '?';
  return parallel ? `${scan} (parallel)` : scan;
}

/** EXPLAIN of exactly what `nearest()` runs (its SET LOCAL statements included) for this configuration. */
async function explain(db: Db, c: SweepConfig, q: number[]): Promise<string> {
  const plan = await nearestSql(db, c.column, q, c.options);
  const query = drizzleTemplate(plan.sql)(plan.params);
  const result = await db.transaction(async (tx) => {
    if (c.method === 'Sequential scan') await tx.execute(sql`set local enable_indexscan = off`);
    for (const s of plan.statements) await tx.execute(sql.raw(s));
    return tx.execute(sql`explain (format json) ${query}`);
  });
  const cell = Object.values((result as unknown as { rows: Record<string, unknown>[] }).rows[0] ?? {})[0];
  const parsed = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
  return describePlan(parsed[0]!.Plan);
}

/**
 * Run every configuration on every query (after `warmup` untimed rounds). `configs[0]` must be the exact scan:
 * its results are the ground truth for recall.
 */
export async function runSweep(db: Db, configs: readonly SweepConfig[], queries: readonly number[][], k: number, warmup: number, progress: (line: string) => void): Promise<SweepResult[]> {
  if (configs[0]?.method !== 'Sequential scan') throw new Error('runSweep: the first configuration must be the exact scan');
  const plans: string[] = [];
  for (const c of configs) plans.push(await explain(db, c, queries[0]!));
  if (!plans[0]!.includes('Seq Scan')) throw new Error(`exact scan is not a sequential scan: ${plans[0]}`);
  for (let i = 0; i < warmup; i++) for (const c of configs) await search(db, c, queries[i % queries.length]!);
  const times = configs.map(() => [] as number[]);
  const found = configs.map(() => 0);
  let lastReport = performance.now();
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    const results: number[][] = configs.map(() => []);
    for (let j = 0; j < configs.length; j++) {
      const index = (i + j) % configs.length;
      const started = performance.now();
      results[index] = await search(db, configs[index]!, q);
      times[index]!.push(performance.now() - started);
    }
    const exact = new Set(results[0]!);
    if (exact.size !== k) throw new Error(`exact scan returned ${exact.size} rows, expected ${k}`);
    results.forEach((r, j) => (found[j]! += r.filter((id) => exact.has(id)).length));
    if (performance.now() - lastReport > 10_000) {
      progress(`  ${i + 1} / ${queries.length} queries`);
      lastReport = performance.now();
    }
  }
  return configs.map((c, j) => ({
    method: c.method,
    setting: c.setting,
    advice: c.advice,
    plan: plans[j]!,
    medianMs: median(times[j]!),
    p95Ms: quantile(times[j]!, 0.95),
    recall: found[j]! / (k * queries.length),
    times: times[j]!,
  }));
}

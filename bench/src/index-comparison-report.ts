/** The index comparison's results (the JSON written to bench-results/) and their markdown tables. */
import { configLabel, type SweepResult } from './index-sweep.js';
import { markdownTable as table } from '@drizzle-pgvector/testing/report';

import { ms } from './stats.js';

export interface BuildResult {
  readonly method: 'HNSW' | 'IVFFlat';
  readonly index: string;
  /** `m = 16, ef_construction = 64` / `lists = 20`. */
  readonly options: string;
  readonly buildMs: number;
  /** `pg_relation_size` of the index. */
  readonly indexBytes: number;
  /** `pg_table_size` of its table (heap + TOAST). */
  readonly tableBytes: number;
  /** `maintenance_work_mem` the build needs by pgvector's allocation formulas, for the workers it used. */
  readonly memoryNeededBytes: number;
  /** What the build ran with (SET LOCAL). */
  readonly maintenanceWorkMem: string;
  /** Parallel workers the server reported (DEBUG1 "using N parallel workers"); 0 on PGlite. */
  readonly workers: number;
  /** The "hnsw graph no longer fits" notice if the build spilled, null if not, undefined when not captured (PGlite). */
  readonly spilled: string | null | undefined;
}

export type SweepPoint = Omit<SweepResult, 'times'>;

export interface IndexComparisonData {
  readonly backend: string;
  readonly environment: string;
  readonly date: string;
  readonly dataSet: {
    readonly rows: number;
    readonly dimensions: number;
    readonly clusters: number;
    readonly spread: number;
    readonly seed: number;
    readonly queries: number;
    readonly metric: 'cosine';
    readonly k: number;
  };
  /** The starting point index-guidance recommends, marked in the tables and charts. */
  readonly guidance: { readonly lists: number; readonly probes: number; readonly efSearch: number; readonly m: number; readonly efConstruction: number };
  readonly loadMs: number;
  readonly builds: readonly BuildResult[];
  readonly sweep: readonly SweepPoint[];
  readonly totalMs: number;
}

export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let x = n;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return `${x >= 100 || u === 0 ? x.toFixed(0) : x.toFixed(1)} ${units[u]}`;
}

/** `rows × dims` heading text, e.g. `20,000 × 128-d`. */
export function dataSetLabel(d: IndexComparisonData): string {
  return `${d.dataSet.rows.toLocaleString('en-US')} × ${d.dataSet.dimensions}-d`;
}

const ratio = (x: number): string => (x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(1)}×`);

/** The advice points (and the exact scan), in the order seq, IVFFlat, HNSW. */
export function headline(d: IndexComparisonData): SweepPoint[] {
  return [d.sweep[0]!, ...d.sweep.filter((p) => p.advice)];
}

export function indexComparisonMarkdown(d: IndexComparisonData): string {
  const exact = d.sweep[0]!;
  const g = d.guidance;
  const buildRows = d.builds.map((b) => [
    `${b.method} (${b.options})`,
    ms(b.buildMs),
    bytes(b.indexBytes),
    bytes(b.memoryNeededBytes),
    b.maintenanceWorkMem,
    b.workers === 0 ? 'serial' : `${b.workers} + leader`,
    b.method === 'IVFFlat' ? '—' : b.spilled === undefined ? 'not captured (PGlite)' : b.spilled ? 'no: spilled to disk' : 'yes',
  ]);
  const sweepRows = d.sweep.map((p) => [
    configLabel(p) + (p.advice ? ' ◆' : ''),
    p.plan,
    `${ms(p.medianMs)} / ${ms(p.p95Ms)}`,
    ratio(exact.medianMs / p.medianMs),
    p.recall.toFixed(3),
  ]);
  const [seq, ivf, hnsw] = headline(d);
  const summary =
    ivf && hnsw && seq
      ? `At the guidance's starting point: sequential scan ${ms(seq.medianMs)}, IVFFlat ${ms(ivf.medianMs)} ` +
        `(${ratio(seq.medianMs / ivf.medianMs)} faster, recall@${d.dataSet.k} ${ivf.recall.toFixed(3)}), HNSW ${ms(hnsw.medianMs)} ` +
        `(${ratio(seq.medianMs / hnsw.medianMs)} faster, recall@${d.dataSet.k} ${hnsw.recall.toFixed(3)}) — median per query.`
      : '';
  return [
    `## Index comparison: sequential scan vs IVFFlat vs HNSW (${dataSetLabel(d)}, cosine, ${d.backend})`,
    '',
    `${d.environment}. ${d.dataSet.rows.toLocaleString('en-US')} unit vectors in ${d.dataSet.clusters} Gaussian clusters (seed ${d.dataSet.seed}), ` +
      `loaded in ${ms(d.loadMs)} (both tables). ${d.dataSet.queries} query vectors from the same clusters, not in the table; ` +
      `top ${d.dataSet.k} by \`nearest()\`; every configuration answers every query, interleaved. ` +
      `◆ = the guidance's starting point: lists = rows / 1000 = ${g.lists}, probes = √lists ≈ ${g.probes}, ef_search = ${g.efSearch} (default), m = ${g.m}, ef_construction = ${g.efConstruction}.`,
    '',
    summary,
    '',
    table(['index', 'build time', 'index size', 'maintenance_work_mem needed (pgvector formula)', 'built with', 'workers', 'graph fit in memory'], buildRows, ['l', 'r', 'r', 'r', 'r', 'r', 'l']),
    '',
    table(['search', 'plan', 'median / p95', 'speed-up vs seq scan', `recall@${d.dataSet.k}`], sweepRows, ['l', 'l', 'r', 'r', 'r']),
    '',
    `Whole comparison: ${(d.totalMs / 1000).toFixed(0)} s.`,
    '',
  ].join('\n');
}

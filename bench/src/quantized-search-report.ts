/** The quantized-search benchmark's results (the JSON written to bench-results/), markdown and charts. */
import { markdownTable as table } from '@drizzle-pgvector/testing/report';
import { CONFIG, render } from './index-charts.js';
import { bytes } from './index-comparison-report.js';
import type { Chart } from './report.js';
import { ms } from './stats.js';

export interface MethodBuild {
  readonly method: string;
  readonly index: string;
  readonly sql: string;
  readonly buildMs: number;
  readonly indexBytes: number;
  /** What buildIndex set (from the estimate). */
  readonly maintenanceWorkMem: string;
  /** estimateIndexBuildMemory's bytes for this index (undefined: no estimate). */
  readonly estimateBytes: number | undefined;
  readonly estimateWhy: string | undefined;
}

export interface SweepPoint {
  readonly method: string;
  readonly setting: 'ef_search' | 'candidates';
  readonly value: number;
  readonly efSearch: number;
  readonly recall: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

export interface TimedVariant {
  readonly label: string;
  readonly method: string;
  readonly through: 'nearest()' | 'same SQL by hand' | 'by hand';
  readonly setting: string;
  readonly recall: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

export interface QuantizedSearchData {
  readonly backend: string;
  readonly environment: string;
  readonly date: string;
  readonly dataSet: { generator: string; rows: number; dimensions: number; seed: number; meanCosine: number; queries: number; metric: 'cosine'; k: number };
  readonly target: number;
  readonly rounds: number;
  readonly loadMs: number;
  readonly tableBytes: number;
  /** Set when this run reused an earlier run's table (QS_REUSE): the date of the run that loaded and built it. */
  readonly buildsFrom?: string | undefined;
  readonly builds: readonly MethodBuild[];
  readonly exact: { readonly medianMs: number; readonly p95Ms: number };
  readonly sweep: readonly SweepPoint[];
  readonly chosen: Record<'full' | 'half' | 'bq', { readonly chosen: number; readonly reached: boolean }>;
  readonly timed: readonly TimedVariant[];
  /** What nearest({ rerank }) sends (nearestSql), per re-ranked method. */
  readonly nearestPlans: readonly { readonly method: string; readonly statements: readonly string[]; readonly sql: string }[];
  /** Searches whose hand-written SQL the planner ran without their index (EXPLAIN; a small table). */
  readonly notIndexed: readonly string[];
  readonly loadAverage: { readonly median: number; readonly max: number };
  readonly totalMs: number;
}

const ratio = (x: number): string => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;

export function quantizedSearchMarkdown(d: QuantizedSearchData): string {
  const ds = d.dataSet;
  const full = d.builds[0]!;
  const out: string[] = [
    `## Quantized search with exact re-rank (${ds.rows.toLocaleString('en-US')} × ${ds.dimensions}-d, cosine, ${d.backend})`,
    '',
    `${d.environment}. **Synthetic text-like data** (${ds.generator}, seed ${ds.seed}, mean cosine between unrelated points ≈ ${ds.meanCosine}; ` +
      `not real embeddings), loaded with copyRows in ${ms(d.loadMs)} (table ${bytes(d.tableBytes)}). HNSW m = 16, ef_construction = 64 on each ` +
      `expression, built serially by buildIndex with maintenance_work_mem from estimateIndexBuildMemory. ${ds.queries} held-out queries; ` +
      `recall@${ds.k} against the exact answer (sequential scan: median ${ms(d.exact.medianMs)}). Load average (2 shared cores): median ` +
      `${d.loadAverage.median.toFixed(1)}, max ${d.loadAverage.max.toFixed(1)}.`,
    '',
    ...(d.buildsFrom ? [`Table, load and builds from the run of ${d.buildsFrom} (QS_REUSE); the searches below from this run.`, ''] : []),
    table(
      ['index', 'build time', 'build vs full', 'index size', 'size vs full', 'maintenance_work_mem (estimate)'],
      d.builds.map((b) => [
        b.method,
        ms(b.buildMs),
        b === full ? '1×' : `${ratio(full.buildMs / b.buildMs)} faster`,
        bytes(b.indexBytes),
        b === full ? '1×' : `${ratio(full.indexBytes / b.indexBytes)} smaller`,
        `${b.maintenanceWorkMem}${b.estimateBytes === undefined ? ' (no estimate)' : ` (${bytes(b.estimateBytes)})`}`,
      ]),
    ),
    '',
    `Each search at the smallest swept setting reaching recall@${ds.k} ≥ ${d.target} (ef_search for full precision, candidates for the ` +
      `re-ranks, with ef_search = max(40, candidates)); ${d.rounds} rounds over the queries, variants interleaved in a rotated order:`,
    '',
  ];
  const fullTimed = d.timed.find((x) => x.method === full.method);
  const same = (x: TimedVariant) => d.timed.find((y) => y.method === x.method && y.through === 'same SQL by hand');
  out.push(
    table(
      ['search', 'setting', 'recall@10', 'median / p95', 'vs full precision', 'nearest() vs the same SQL by hand'],
      d.timed.map((x) => {
        const h = x.through === 'nearest()' && x.method !== full.method ? same(x) : undefined;
        return [
          x.label,
          x.setting,
          x.recall.toFixed(3),
          `${ms(x.medianMs)} / ${ms(x.p95Ms)}`,
          fullTimed && x !== fullTimed ? `${(x.medianMs / fullTimed.medianMs).toFixed(2)}×` : '',
          h ? `${(((x.medianMs / h.medianMs) - 1) * 100).toFixed(1)}%` : '',
        ];
      }),
    ),
    '',
  );
  if (d.notIndexed.length > 0) out.push(`The planner did not use the index for ${d.notIndexed.join(', ')} (EXPLAIN): the table is too small for this comparison.`, '');
  out.push(
    "*by hand* is the re-rank as a user writes it (the SQL in bench/README.md, no transaction when ef_search is pgvector's default 40); " +
      "*nearestSql()'s SQL by hand* sends exactly what nearest() sends, through the same Drizzle session: the difference to nearest() is the library's own work.",
    '',
  );
  for (const p of d.nearestPlans) out.push(`\`nearest()\` for ${p.method}: \`${[...p.statements, p.sql].join('; ')}\``, '');
  out.push(`### Sweep (hand-written SQL, one pass over the queries each, stops at recall@${ds.k} ≥ ${d.target})`, '');
  out.push(
    table(
      ['search', 'setting', 'ef_search', 'recall@10', 'median / p95'],
      d.sweep.map((p) => [p.method, `${p.setting} ${p.value}`, String(p.efSearch), p.recall.toFixed(3), `${ms(p.medianMs)} / ${ms(p.p95Ms)}`]),
    ),
    '',
  );
  for (const [key, label] of [['full', 'full precision (ef_search)'], ['half', 'asHalfvec (candidates)'], ['bq', 'binaryQuantize (candidates)']] as const) {
    const c = d.chosen[key];
    if (!c.reached) out.push(`${label}: recall@${ds.k} ${d.target} not reached up to ${c.chosen}.`);
  }
  out.push('', `Whole run: ${(d.totalMs / 1000).toFixed(0)} s.`, '');
  return out.join('\n');
}

export async function quantizedSearchCharts(d: QuantizedSearchData): Promise<Chart[]> {
  const values = d.sweep.map((p) => ({ ...p, label: `${p.setting === 'ef_search' ? 'ef' : 'C'} ${p.value}` }));
  const subtitle = [`${d.dataSet.rows.toLocaleString('en-US')} × ${d.dataSet.dimensions}-d synthetic text-like vectors, ${d.backend}`, `hand-written SQL, median of ${d.dataSet.queries} queries`];
  const sweepSvg = await render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    title: { text: 'Recall@10 vs latency: full precision vs re-ranked quantized indexes', subtitle },
    width: 520,
    height: 300,
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'medianMs', type: 'quantitative', scale: { type: 'log' }, title: 'median latency (ms, log)' },
          y: { field: 'recall', type: 'quantitative', scale: { zero: false }, title: 'recall@10' },
          color: { field: 'method', type: 'nominal', title: 'index' },
          order: { field: 'value', type: 'quantitative' },
        },
      },
      { mark: { type: 'text', dx: 4, dy: -6, align: 'left', fontSize: 9 }, encoding: { x: { field: 'medianMs', type: 'quantitative' }, y: { field: 'recall', type: 'quantitative' }, text: { field: 'label' } } },
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: d.target } } },
    ],
  } as never);
  const buildValues = d.builds.flatMap((b) => [
    { method: b.method, measure: 'build time (s)', value: b.buildMs / 1000 },
    { method: b.method, measure: 'index size (MB)', value: b.indexBytes / 2 ** 20 },
  ]);
  const buildSvg = await render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    title: { text: 'Index build time and size', subtitle: subtitle.slice(0, 1) },
    data: { values: buildValues },
    facet: { column: { field: 'measure', type: 'nominal', title: null } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 240,
      height: 90,
      mark: 'bar',
      encoding: {
        y: { field: 'method', type: 'nominal', title: null, sort: d.builds.map((b) => b.method) },
        x: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'method', type: 'nominal', legend: null },
      },
    },
  } as never);
  return [
    { file: 'quantized-search-recall-latency.svg', title: 'Recall@10 vs latency: full precision vs re-ranked quantized indexes', svg: sweepSvg },
    { file: 'quantized-search-builds.svg', title: 'Index build time and size', svg: buildSvg },
  ];
}

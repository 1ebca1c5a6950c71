/** The candidates sweep's results (the JSON written to bench-results/), its markdown and its chart. */
import { markdownTable as table } from '@drizzle-pgvector/testing/report';
import { CONFIG, render } from './index-charts.js';
import { bytes } from './index-comparison-report.js';
import type { Chart } from './report.js';
import { ms } from './stats.js';

export interface CurvePoint {
  readonly dims: number;
  readonly via: string;
  readonly kind: string;
  readonly candidates: number;
  readonly efSearch: number;
  readonly recall: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

export interface CandidatesData {
  readonly backend: string;
  readonly environment: string;
  readonly date: string;
  readonly dataSet: Record<string, string | number>;
  readonly hnsw: string;
  readonly loadAverage: { readonly start: number; readonly median: number; readonly max: number };
  readonly builds: readonly { dims: number; via: string; buildMs: number; indexBytes: number; maintenanceWorkMem: string }[];
  readonly curves: readonly CurvePoint[];
  /** Vias whose index the planner did not use (a small table): not swept. */
  readonly skipped: readonly string[];
  readonly totalMs: number;
}

/** The smallest swept `candidates` whose recall@10 reaches `target` (undefined: none did). */
export function smallestReaching(curves: readonly CurvePoint[], dims: number, via: string, target: number): CurvePoint | undefined {
  return curves.filter((p) => p.dims === dims && p.via === via && p.recall >= target).sort((a, b) => a.candidates - b.candidates)[0];
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

export function quantizedCandidatesMarkdown(d: CandidatesData): string {
  const dimsList = unique(d.curves.map((p) => p.dims));
  const viaList = unique(d.curves.map((p) => p.via.replace(/ \(\d+\)$/, '')));
  const label = (via: string, dims: number): string => d.curves.find((p) => p.dims === dims && p.via.startsWith(via))?.via ?? via;
  const cs = unique(d.curves.map((p) => p.candidates)).sort((a, b) => a - b);
  const ds = d.dataSet;
  const out: string[] = [
    `## Re-rank candidates: recall@${d.dataSet.k} vs candidates (${Number(ds.rows).toLocaleString('en-US')} rows per dimension count, ${d.backend})`,
    '',
    `${d.environment}. **Synthetic text-like data** (${ds.generator}): unit vectors with a shared mean direction (mean cosine between unrelated ` +
      `points ≈ ${ds.meanCosine}), ${ds.topics} overlapping topics in a ${ds.latent}-d latent space (1/(k+1) spectrum) projected up by a random ` +
      `matrix, isotropic noise ${ds.noise}; seed ${ds.seed}. Not real embeddings: no real data set is reachable from here. ${ds.queries} held-out ` +
      `queries per dimension count; recall@${ds.k} against the exact cosine answer (sequential scan). HNSW ${d.hnsw}; the hand-written re-rank ` +
      `(inner ORDER BY the via's operator LIMIT C, outer exact cosine LIMIT ${ds.k}). Load average during the sweep: median ${d.loadAverage.median.toFixed(1)}, ` +
      `max ${d.loadAverage.max.toFixed(1)} (2 cores, shared).`,
    '',
    `### Smallest candidates reaching recall@${ds.k} 0.9 / 0.95 (× k in brackets)`,
    '',
  ];
  const cell = (p: CurvePoint | undefined): string => (p ? `${p.candidates} (${p.candidates / Number(ds.k)}×) ${ms(p.medianMs)}` : '> swept');
  out.push(
    table(
      ['via', ...dimsList.flatMap((n) => [`${n}-d ≥ 0.9`, `${n}-d ≥ 0.95`])],
      viaList.map((v) => [v, ...dimsList.flatMap((n) => [cell(smallestReaching(d.curves, n, label(v, n), 0.9)), cell(smallestReaching(d.curves, n, label(v, n), 0.95))])]),
    ),
    '',
  );
  for (const n of dimsList) {
    out.push(`### ${n} dimensions: recall@${ds.k} by candidates (median latency in brackets)`, '');
    const vs = viaList.map((v) => label(v, n));
    out.push(
      table(
        ['candidates', ...vs],
        cs.map((c) => [String(c), ...vs.map((v) => {
          const p = d.curves.find((x) => x.dims === n && x.via === v && x.candidates === c);
          return p ? `${p.recall.toFixed(3)} (${ms(p.medianMs)})` : '';
        })]),
      ),
      '',
    );
  }
  out.push('### Index builds (buildIndex, serial, maintenance_work_mem from estimateIndexBuildMemory)', '');
  out.push(table(['dims', 'via', 'build', 'index size', 'maintenance_work_mem'], d.builds.map((b) => [String(b.dims), b.via, ms(b.buildMs), bytes(b.indexBytes), b.maintenanceWorkMem])), '');
  if (d.skipped.length > 0) out.push(`Not swept (the planner did not use their index on so small a table): ${d.skipped.join(', ')}.`, '');
  out.push(`Whole sweep: ${(d.totalMs / 1000).toFixed(0)} s.`, '');
  return out.join('\n');
}

export async function quantizedCandidatesCharts(d: CandidatesData): Promise<Chart[]> {
  const values = d.curves.map((p) => ({ ...p, via: p.via.replace(/ \(\d+\)$/, ''), dimsLabel: `${p.dims}-d` }));
  const svg = await render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    title: { text: `Re-rank: recall@${d.dataSet.k} vs candidates`, subtitle: [`synthetic text-like data, ${Number(d.dataSet.rows).toLocaleString('en-US')} rows, ${d.backend}`] },
    data: { values },
    facet: { column: { field: 'dimsLabel', type: 'ordinal', title: null, sort: unique(values.map((v) => v.dimsLabel)) } },
    spec: {
      width: 230,
      height: 220,
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'candidates', type: 'quantitative', scale: { type: 'log' }, title: 'candidates (log)' },
            y: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] }, title: `recall@${d.dataSet.k}` },
            color: { field: 'via', type: 'nominal', title: 'via' },
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 0.9 } } },
      ],
    },
  } as never);
  const suffix = Number(d.dataSet.k) === 10 ? '' : `-k${d.dataSet.k}`;
  return [{ file: `quantized-candidates${suffix}.svg`, title: `Re-rank: recall@${d.dataSet.k} vs candidates`, svg }];
}

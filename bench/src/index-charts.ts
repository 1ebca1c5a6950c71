/**
 * The index comparison's charts, as Vega-Lite specs rendered headless to SVG (vega's `renderer: 'none'` +
 * `toSVG()`): recall vs latency per index (the probes / ef_search sweep) and latency bars per method.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { IndexComparisonData, SweepPoint } from './index-comparison-report.js';
import { dataSetLabel, headline } from './index-comparison-report.js';
import type { Chart } from './report.js';
import { ms } from './stats.js';

const COLORS = { 'Sequential scan': '#555555', IVFFlat: '#e45756', HNSW: '#4c78a8' } as const;
const color = {
  field: 'method',
  type: 'nominal',
  title: 'method',
  scale: { domain: Object.keys(COLORS), range: Object.values(COLORS) },
} as const;

type Layer = Extract<vl.TopLevelSpec, { layer: unknown }>['layer'][number];

export const CONFIG = {
  font: 'sans-serif',
  title: { fontSize: 16, subtitleFontSize: 11, anchor: 'start', frame: 'bounds', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
} as const;

/**
 * Without node-canvas vega estimates every character at 0.8 em, which makes titles and labels look twice their
 * width and pads the SVG with blank space. vega-scenegraph's `textMetrics.width` is the documented hook for a
 * better measure (vl-convert uses it); this one uses typical sans-serif advance widths per character class.
 */
function approximateTextWidth(item: { fontSize?: number; text?: unknown }, text: unknown): number {
  const size = item.fontSize ?? 11;
  let em = 0;
  for (const ch of String(text ?? '').trim()) {
    if (/[ilj.,:;'|!()[\]/ ]/.test(ch)) em += 0.32;
    else if (/[mwMW@%—]/.test(ch)) em += 0.9;
    else if (/[A-Z]/.test(ch)) em += 0.72;
    else em += 0.6;
  }
  return em * size;
}
(vega as unknown as { textMetrics: { width: typeof approximateTextWidth } }).textMetrics.width = approximateTextWidth;

/** A Vega-Lite spec as an SVG string (headless, with the text measure above). */
export async function render(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function subtitle(d: IndexComparisonData): string[] {
  return [
    `${dataSetLabel(d)} unit vectors in ${d.dataSet.clusters} Gaussian clusters (seed ${d.dataSet.seed}), cosine, top ${d.dataSet.k}`,
    `${d.backend}; medians of ${d.dataSet.queries} queries through nearest()`,
  ];
}

const ratio = (x: number): string => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;

const settingText = (p: SweepPoint): string => (p.setting ? `${p.setting.name === 'probes' ? 'probes' : 'ef'} ${p.setting.value}` : 'exact');

/** Recall@k against median latency, one line per index through its sweep; the guidance points circled. */
async function recallLatencyChart(d: IndexComparisonData): Promise<Chart> {
  const values = d.sweep.map((p) => {
    const indexUsed = p.plan.includes('Index');
    return {
      method: p.method,
      label: p.method === 'Sequential scan' ? 'exact scan' : indexUsed ? `${settingText(p)}${p.advice ? ' (guidance)' : ''}` : '',
      order: p.setting?.value ?? 0,
      latency: p.medianMs,
      recall: p.recall,
      advice: p.advice,
      plan: indexUsed ? 'index scan' : 'sequential scan (planner)',
    };
  });
  const x = { field: 'latency', type: 'quantitative', scale: { type: 'log', nice: false, padding: 24 }, title: 'median query latency, ms (log scale)' } as const;
  const y = { field: 'recall', type: 'quantitative', scale: { zero: false, nice: false, domainMax: 1, padding: 14 }, title: `recall@${d.dataSet.k} (vs exact scan)`, axis: { format: '.2f' } } as const;
  const labels = (method: string, dy: number, align: 'left' | 'right'): Layer => ({
    transform: [{ filter: `datum.method === '${method}'` }],
    mark: { type: 'text', align, dx: align === 'left' ? 7 : -7, dy, fontSize: 11 },
    encoding: { text: { field: 'label' } },
  });
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Recall vs latency: IVFFlat probes and HNSW ef_search sweeps`,
      subtitle: [...subtitle(d), 'Open diamond: the index guidance starting point (probes = √lists, ef_search = 40).', 'Hollow circle: the planner chose a sequential scan at that setting (exact, as slow as the scan).'],
    },
    width: 640,
    height: 400,
    background: 'white',
    data: { values },
    encoding: { x, y, color },
    layer: [
      { transform: [{ filter: "datum.method !== 'Sequential scan'" }], mark: { type: 'line', strokeWidth: 2 }, encoding: { order: { field: 'order' } } },
      { transform: [{ filter: "datum.method === 'Sequential scan'" }], mark: { type: 'point', shape: 'square', size: 80, filled: true } },
      { transform: [{ filter: "datum.method !== 'Sequential scan' && datum.plan === 'index scan'" }], mark: { type: 'point', size: 60, filled: true } },
      { transform: [{ filter: "datum.plan !== 'index scan'" }], mark: { type: 'point', size: 60, filled: false, strokeWidth: 2, fill: 'white' } },
      { transform: [{ filter: 'datum.advice' }], mark: { type: 'point', shape: 'diamond', size: 420, filled: false, strokeWidth: 2.5 } },
      labels('HNSW', -10, 'left'),
      labels('IVFFlat', 4, 'left'),
      labels('Sequential scan', 16, 'right'),
    ],
    config: { ...CONFIG, legend: { orient: 'bottom-right', labelFontSize: 12, titleFontSize: 12, symbolType: 'circle' } },
  };
  return { file: 'index-recall-latency.svg', title: `Recall@${d.dataSet.k} vs median latency per index (${dataSetLabel(d)})`, svg: await render(spec) };
}

/** Median latency per method (exact scan and each index at the guidance's setting), p95 as a whisker. */
async function latencyBarsChart(d: IndexComparisonData): Promise<Chart> {
  const points = headline(d);
  const exact = points[0]!.medianMs;
  const values = points.map((p) => ({
    method: p.method,
    name: p.setting ? `${p.method}, ${p.setting.name} = ${p.setting.value}` : 'Sequential scan (exact)',
    median: p.medianMs,
    p95: p.p95Ms,
    label: `${ms(p.medianMs)}${p.setting ? ` — ${ratio(exact / p.medianMs)} faster, recall ${p.recall.toFixed(3)}` : ' — exact'}`,
  }));
  const max = Math.max(...values.map((v) => v.p95));
  const y = { field: 'name', type: 'nominal', sort: null, title: null, axis: { labelFontSize: 12, labelLimit: 260 } } as const;
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Query latency per method', subtitle: [...subtitle(d), 'Bar: median; whisker: p95. Each index at the guidance starting point (probes = √lists, ef_search = 40).'] },
    width: 560,
    height: 54 * values.length,
    background: 'white',
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar', height: 26 },
        encoding: {
          x: { field: 'median', type: 'quantitative', title: 'latency per query, ms', scale: { domain: [0, max * 1.6] }, axis: { tickCount: 6, labelOverlap: true } },
          color: { ...color, legend: null },
        },
      },
      { mark: { type: 'rule', strokeWidth: 1.5, color: '#222' }, encoding: { x: { field: 'median', type: 'quantitative' }, x2: { field: 'p95' } } },
      { mark: { type: 'tick', orient: 'vertical', thickness: 1.5, size: 14, color: '#222' }, encoding: { x: { field: 'p95', type: 'quantitative' } } },
      { mark: { type: 'text', align: 'left', dx: 8, fontSize: 11 }, encoding: { x: { field: 'p95', type: 'quantitative' }, text: { field: 'label' } } },
    ],
    config: CONFIG,
  };
  return { file: 'index-latency.svg', title: `Median query latency per method (${dataSetLabel(d)})`, svg: await render(spec) };
}

export async function indexCharts(d: IndexComparisonData): Promise<Chart[]> {
  return [await recallLatencyChart(d), await latencyBarsChart(d)];
}

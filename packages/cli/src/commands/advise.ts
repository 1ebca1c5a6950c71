import {
  chooseIndex,
  estimateIndexBuildMemory,
  recommendHnsw,
  recommendIvfflat,
  type HnswRecommendation,
  type IndexBuildMemoryEstimate,
  type IndexChoice,
  type IndexMethod,
  type IvfflatRecommendation,
  type Metric,
  type VectorType,
} from 'drizzle-pgvector';
import { VECTOR_TYPES } from 'drizzle-pgvector/catalog';
import { EXIT } from '../errors.js';
import { heading, table } from '../output/table.js';
import type { CommandResult } from './command.js';

export interface AdviseFlags {
  rows: number;
  dims: number;
  type: VectorType;
  metric?: Metric;
  recall?: number;
  k?: number;
  writesPerDay?: number;
  memoryBudget?: string;
  indexSizeBudget?: string;
  parallelWorkers?: number;
  serverVersion?: number;
}

/** `advise --json`: the library's answers, unchanged. */
export interface AdviseDocument {
  readonly input: AdviseFlags;
  readonly choice: IndexChoice;
  /** undefined when IVFFlat cannot index the type (sparsevec) or nothing can be indexed. */
  readonly ivfflat: IvfflatRecommendation | undefined;
  readonly hnsw: HnswRecommendation | undefined;
  /** Build memory per method (for what is indexed: `choice.indexedType` × `choice.indexedDimensions`). */
  readonly memory: { readonly hnsw: IndexBuildMemoryEstimate | undefined; readonly ivfflat: IndexBuildMemoryEstimate | undefined };
}

function supports(method: IndexMethod, type: VectorType, dims: number): boolean {
  const max = VECTOR_TYPES[type].indexMaxDimensions[method];
  return max !== undefined && dims <= max;
}

/** chooseIndex, recommendIvfflat, recommendHnsw and estimateIndexBuildMemory for one table shape; no database. */
export function advise(flags: AdviseFlags): CommandResult<AdviseDocument> {
  const choice = chooseIndex({
    rows: flags.rows,
    dimensions: flags.dims,
    type: flags.type,
    ...(flags.metric ? { metric: flags.metric } : {}),
    ...(flags.writesPerDay !== undefined ? { writesPerDay: flags.writesPerDay } : {}),
    ...(flags.memoryBudget !== undefined ? { memoryBudget: flags.memoryBudget } : {}),
    ...(flags.indexSizeBudget !== undefined ? { indexSizeBudget: flags.indexSizeBudget } : {}),
  });
  const type = choice.indexedType;
  const dims = choice.indexedDimensions;
  const indexable = choice.method !== undefined;
  const ivf = indexable && supports('ivfflat', type, dims) ? recommendIvfflat({ rows: flags.rows }) : undefined;
  const hnsw =
    indexable && supports('hnsw', type, dims)
      ? recommendHnsw({ rows: flags.rows, dimensions: dims, type, ...(flags.recall !== undefined ? { recallTarget: flags.recall } : {}), ...(flags.k !== undefined ? { k: flags.k } : {}) })
      : undefined;
  // Binary quantization is indexed by Hamming distance; the query's metric re-ranks.
  const indexMetric = choice.rerank ? 'hamming' : flags.metric;
  const common = { type, dimensions: dims, rows: flags.rows, ...(indexMetric ? { metric: indexMetric } : {}), ...(flags.serverVersion !== undefined ? { serverVersion: flags.serverVersion } : {}) };
  const memory = {
    hnsw: hnsw ? estimateIndexBuildMemory({ method: 'hnsw', ...common, m: hnsw.m, ...(flags.parallelWorkers !== undefined ? { parallelWorkers: flags.parallelWorkers } : {}) }) : undefined,
    ivfflat: ivf ? estimateIndexBuildMemory({ method: 'ivfflat', ...common, lists: ivf.lists }) : undefined,
  };
  const document: AdviseDocument = { input: flags, choice, ivfflat: ivf, hnsw, memory };
  return { exitCode: EXIT.ok, document, text: () => renderAdvise(document) };
}

function renderAdvise(d: AdviseDocument): string {
  const { choice } = d;
  const out: string[] = [];
  const shape = `${d.input.rows.toLocaleString('en-US')} rows of ${d.input.type}(${d.input.dims})`;
  out.push(`Advice for ${shape}${d.input.metric ? `, ${d.input.metric}` : ''}`);
  out.push(heading(`Index: ${choice.method ? choice.method.toUpperCase() : 'none possible'}${choice.target !== 'column' ? ` on ${choice.target}(column, ${choice.indexedDimensions}) → ${choice.indexedType}(${choice.indexedDimensions})` : ''}`));
  for (const r of choice.reasons) out.push(`- [${r.rule}] ${r.message}`);
  const rows: string[][] = [];
  if (d.hnsw) rows.push(['HNSW', `m = ${d.hnsw.m}, ef_construction = ${d.hnsw.efConstruction}`, `hnsw.ef_search = ${d.hnsw.efSearch}`, d.memory.hnsw?.maintenanceWorkMem ?? '']);
  if (d.ivfflat) rows.push(['IVFFlat', `lists = ${d.ivfflat.lists}`, `ivfflat.probes = ${d.ivfflat.probes}`, d.memory.ivfflat?.maintenanceWorkMem ?? '']);
  if (rows.length > 0) {
    out.push(heading('Parameters'));
    out.push(table(['method', 'build', 'query', 'maintenance_work_mem to build in memory'], rows));
  }
  if (choice.alternatives.length > 0) {
    out.push(heading('Trade-off: what each representation costs'));
    out.push(
      table(
        ['method', 'index', 'build memory', 'index size', 'search', 'within budget'],
        choice.alternatives.map((a) => [
          a.method === 'hnsw' ? 'HNSW' : 'IVFFlat',
          a.target === 'column' ? `column ${a.indexedType}(${a.indexedDimensions})` : `${a.target}(column, ${a.indexedDimensions}) → ${a.indexedType}`,
          a.maintenanceWorkMem,
          a.indexSize,
          a.rerank ? 'hamming + re-rank' : 'direct',
          a.withinBudget ? 'yes' : 'no',
        ]),
      ),
    );
  }
  if (d.hnsw) out.push(`\nHNSW: ${d.hnsw.why}`);
  if (d.ivfflat) out.push(`\nIVFFlat: ${d.ivfflat.why}`);
  if (d.memory.hnsw) out.push(`\nHNSW build memory: ${d.memory.hnsw.why}`);
  if (d.memory.ivfflat) out.push(`\nIVFFlat build memory: ${d.memory.ivfflat.why}`);
  const method = choice.method;
  if (method) {
    const target = choice.target === 'column' ? 't.embedding' : `${choice.target}(t.embedding, ${choice.indexedDimensions})`;
    const metric = d.input.metric ?? 'cosine';
    const w = method === 'hnsw' && d.hnsw ? `.with({ m: ${d.hnsw.m}, efConstruction: ${d.hnsw.efConstruction} })` : d.ivfflat ? `.with({ lists: ${d.ivfflat.lists} })` : '';
    const settings = method === 'hnsw' && d.hnsw ? `{ efSearch: ${d.hnsw.efSearch} }` : d.ivfflat ? `{ probes: ${d.ivfflat.probes} }` : '{}';
    out.push(heading('In code'));
    // Binary quantization: a Hamming index on the bits, searched through the column with an exact re-rank.
    out.push(`${method}Index('items_embedding_${method}').on(${target}, '${choice.rerank ? 'hamming' : metric}')${w}`);
    out.push(
      choice.rerank
        ? `nearest(db, items.embedding, query, { k: 10, metric: '${metric}', rerank: { via: ${target.replace(/\bt\./, 'items.')} }, settings: ${settings} })`
        : `nearest(db, ${target.replace(/\bt\./, 'items.')}, query, { k: 10, settings: ${settings} })`,
    );
  }
  return out.join('\n');
}

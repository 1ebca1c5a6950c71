import { adviseIndex, type IndexAdvice, type Metric, type VectorType } from 'drizzle-pgvector';
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

/** `advise --json`: the flags and adviseIndex's answer, unchanged (choice, ivfflat, hnsw, memory, indexMetric, schemaLine, settings). */
export interface AdviseDocument extends IndexAdvice {
  readonly input: AdviseFlags;
}

/** adviseIndex for one table shape (chooseIndex, recommendIvfflat / recommendHnsw, estimateIndexBuildMemory); no database. */
export function advise(flags: AdviseFlags): CommandResult<AdviseDocument> {
  const { dims, recall, ...rest } = flags;
  const advice = adviseIndex({ ...rest, dimensions: dims, ...(recall !== undefined ? { recallTarget: recall } : {}) });
  const document: AdviseDocument = { input: flags, ...advice };
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
  if (d.schemaLine) {
    const target = choice.target === 'column' ? 'items.embedding' : `${choice.target}(items.embedding, ${choice.indexedDimensions})`;
    const settings = `{ ${Object.entries(d.settings ?? {}).map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`;
    out.push(heading('In code'));
    // Binary quantization: a Hamming index on the bits, searched through the column with an exact re-rank.
    out.push(d.schemaLine);
    out.push(
      choice.rerank
        ? `nearest(db, items.embedding, query, { k: 10, metric: '${d.input.metric ?? 'cosine'}', rerank: { via: ${target} }, settings: ${settings} })`
        : `nearest(db, ${target}, query, { k: 10, settings: ${settings} })`,
    );
  }
  return out.join('\n');
}

/**
 * The query steps of `pnpm bench:seed`: the exact top-10 of every held-out query by a sequential scan (the ground
 * truth, and the sequential-scan latency), then IVFFlat and HNSW-on-binary-quantization + exact re-rank, with
 * recall@10 against that ground truth.
 */
import type pg from 'pg';
import { binaryQuantize, nearest, nearestSql, type NearestOptions } from 'drizzle-pgvector';
import { SEED_DATA_DEFAULTS, seedData } from './seed-data.js';
import { BQ_INDEX, IVFFLAT, IVFFLAT_INDEX, SEED_DIMENSIONS, SEED_QUERIES, SEED_ROWS, log, seedItems, type Db, type SeedState } from './seed-schema.js';
import { median, quantile } from './stats.js';
import { exactTopK } from './seed-truth.js';
import { seededRandom } from '@drizzle-pgvector/testing/data';

const K = 10;
/** Re-rank candidate counts (hnsw.ef_search follows, ≥ 40; pgvector's maximum is 1000). */
export const CANDIDATES = [40, 100, 200, 400, 1000] as const;
/** IVFFlat probes tried besides recommendIvfflat's. */
const PROBES = [8, 16, 64];
/** Timed passes over all queries (after one warm-up pass). */
const PASSES = 2;
const BQ_TARGET = binaryQuantize(seedItems.embedding, SEED_DIMENSIONS);

function queryVectors(): number[][] {
  return seedData({ ...SEED_DATA_DEFAULTS, rows: SEED_ROWS }).queries(SEED_QUERIES).map((q) => Array.from(q));
}

const idsOf = (rows: readonly { id: unknown }[]): number[] => rows.map((r) => Number(r.id));

/** Timed sequential scans (the first N queries); BENCH_SEED_SEQ_SCANS. */
const SEQ_SCANS = Number(process.env.BENCH_SEED_SEQ_SCANS ?? 10);

/**
 * The exact top-10 of every query (one COPY pass, seed-truth.ts), then SEQ_SCANS real sequential scans through
 * `nearest(…, { strategy: 'exact' })`: their latency, and their ids checked against the one-pass result.
 */
export async function runGroundTruth(db: Db, client: pg.Client): Promise<Record<string, unknown>> {
  const queries = queryVectors();
  const text = `[${queries[0]!.join(',')}]`;
  const plan = (await client.query<{ 'QUERY PLAN': string }>(`explain (costs off) select id from seed_items order by embedding <=> $1::vector(${SEED_DIMENSIONS}) limit ${K}`, [text])).rows
    .map((r) => r['QUERY PLAN'].replace(/'\[[^\]]*\]'::vector\(\d+\)/, `$1::vector(${SEED_DIMENSIONS})`))
    .join('\n');
  const passStarted = performance.now();
  const ids = await exactTopK(client, queries, SEED_DIMENSIONS);
  const onePassSeconds = (performance.now() - passStarted) / 1000;
  log(`ground-truth: one COPY pass in ${onePassSeconds.toFixed(0)} s; now ${SEQ_SCANS} timed sequential scans`);
  const ms: number[] = [];
  let agree = 0;
  for (const [i, q] of queries.slice(0, SEQ_SCANS).entries()) {
    const started = performance.now();
    const rows = await nearest(db, seedItems.embedding, q, { k: K, metric: 'cosine', select: { id: seedItems.id }, strategy: 'exact' });
    ms.push(performance.now() - started);
    agree += idsOf(rows).filter((id) => ids[i]!.includes(id)).length / K;
    log(`ground-truth: sequential scan ${i + 1} / ${SEQ_SCANS}: ${ms.at(-1)!.toFixed(0)} ms`);
  }
  const settings = (await client.query<{ name: string; setting: string }>(
    "select name, setting from pg_settings where name in ('max_parallel_workers_per_gather', 'shared_buffers', 'work_mem', 'jit')",
  )).rows;
  return {
    ids,
    onePassSeconds,
    seqScans: ms.length,
    ms,
    medianMs: median(ms),
    p95Ms: quantile(ms, 0.95),
    seqScanAgreement: agree / ms.length,
    plan,
    settings: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
  };
}

interface Config {
  readonly name: string;
  readonly method: 'IVFFlat' | 'HNSW (bit) + re-rank';
  readonly via: 'nearest' | 'hand-written SQL';
  readonly setting: string;
  readonly advice: boolean;
  run(q: number[]): Promise<number[]>;
}

/** The hand-written re-rank query (what `nearest`'s `rerank` option generates, written out). */
async function bqHandWritten(client: pg.Client, q: number[], candidates: number): Promise<number[]> {
  const ef = Math.max(candidates, 40);
  await client.query('begin');
  try {
    await client.query(`set local hnsw.ef_search = ${ef}`);
    const d = SEED_DIMENSIONS;
    const { rows } = await client.query<{ id: number }>(
      `select id from (select id, embedding from seed_items order by (binary_quantize(embedding)::bit(${d})) <~> binary_quantize($1::vector(${d}))::bit(${d}) limit ${candidates}) c ` +
        `order by embedding <=> $1::vector(${d}) limit ${K}`,
      [`[${q.join(',')}]`],
    );
    await client.query('commit');
    return idsOf(rows);
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

async function indexExists(client: pg.Client, name: string): Promise<boolean> {
  return (await client.query('select 1 from pg_class where relname = $1', [name])).rowCount === 1;
}

/** nearest's re-rank through the binary-quantized index (`candidates` undefined: the library's default). */
function rerankOptions(candidates: number | undefined): NearestOptions<{ id: typeof seedItems.id }> {
  return { k: K, metric: 'cosine', select: { id: seedItems.id }, rerank: { via: BQ_TARGET, ...(candidates === undefined ? {} : { candidates }) } };
}

/** IVFFlat and HNSW (bit) + re-rank over every query, interleaved query by query in a rotated order. */
export async function runQueries(db: Db, client: pg.Client, state: SeedState): Promise<Record<string, unknown>> {
  const truth = (state.steps?.['ground-truth'] as { ids?: number[][] } | undefined)?.ids;
  if (!truth) throw new Error('run --step ground-truth first');
  const queries = queryVectors();
  const configs: Config[] = [];
  const only = process.env.BENCH_SEED_METHODS; // 'ivfflat' or 'bq': measure one method again, keep the other's results
  if (only !== 'bq' && (await indexExists(client, IVFFLAT_INDEX))) {
    for (const probes of [...new Set([...PROBES, IVFFLAT.probes])].sort((a, b) => a - b)) {
      configs.push({
        name: `IVFFlat probes=${probes}`,
        method: 'IVFFlat',
        via: 'nearest',
        setting: `lists = ${IVFFLAT.lists}, probes = ${probes}`,
        advice: probes === IVFFLAT.probes,
        run: async (q) => idsOf(await nearest(db, seedItems.embedding, q, { k: K, metric: 'cosine', select: { id: seedItems.id }, index: IVFFLAT_INDEX, settings: { probes } })),
      });
    }
  } else log(`queries: IVFFlat left out (${only === 'bq' ? 'BENCH_SEED_METHODS=bq' : `${IVFFLAT_INDEX} not built`})`);
  if (only !== 'ivfflat' && (await indexExists(client, BQ_INDEX))) {
    const plan = await nearestSql(db, seedItems.embedding, queries[0]!, rerankOptions(undefined));
    log(`queries: nearest's default re-rank: ${plan.rerank?.candidates ?? '?'} candidates; ${plan.statements.join(' ')}`);
    for (const candidates of [...CANDIDATES, undefined]) {
      if (candidates !== undefined) {
        const setting = `candidates = ${candidates}, ef_search = ${Math.max(candidates, 40)}`;
        configs.push({ name: `BQ hand ${candidates}`, method: 'HNSW (bit) + re-rank', via: 'hand-written SQL', setting, advice: false, run: (q) => bqHandWritten(client, q, candidates) });
      }
      configs.push({
        name: `BQ nearest ${candidates ?? 'default'}`,
        method: 'HNSW (bit) + re-rank',
        via: 'nearest',
        setting: candidates === undefined ? `candidates = default (${plan.rerank?.candidates ?? '?'})` : `candidates = ${candidates}`,
        advice: false,
        run: async (q) => idsOf(await nearest(db, seedItems.embedding, q, rerankOptions(candidates))),
      });
    }
  } else log(`queries: HNSW (bit) left out (${only === 'ivfflat' ? 'BENCH_SEED_METHODS=ivfflat' : `${BQ_INDEX} not built`})`);
  const ms = configs.map(() => [] as number[]);
  const recall = configs.map(() => [] as number[]);
  // A fresh seeded shuffle of the configurations for every query and pass: the first to run a query reads its
  // candidates' pages cold (shared_buffers is small next to the table), so no configuration may always go first.
  const random = seededRandom(16);
  for (let pass = 0; pass <= PASSES; pass++) {
    for (const [i, q] of queries.entries()) {
      const order = configs.map((_, c) => c);
      for (let j = order.length - 1; j > 0; j--) {
        const r = Math.floor(random() * (j + 1));
        [order[j], order[r]] = [order[r]!, order[j]!];
      }
      for (const c of order) {
        const started = performance.now();
        const ids = await configs[c]!.run(q);
        const elapsed = performance.now() - started;
        if (pass === 0) recall[c]!.push(ids.filter((id) => truth[i]!.includes(id)).length / K);
        else ms[c]!.push(elapsed);
      }
    }
    log(`queries: pass ${pass}/${PASSES} done${pass === 0 ? ' (warm-up; recall measured)' : ''}`);
  }
  const previous = (state.steps?.queries as { results?: { method: string }[] } | undefined)?.results ?? [];
  const kept = only === undefined ? [] : previous.filter((r) => configs.every((c) => c.method !== r.method));
  return {
    passes: PASSES,
    order: 'seeded shuffle per query and pass',
    results: [...kept, ...configs.map((c, i) => ({
      name: c.name,
      method: c.method,
      via: c.via,
      setting: c.setting,
      advice: c.advice,
      recall: recall[i]!.reduce((a, b) => a + b, 0) / recall[i]!.length,
      medianMs: median(ms[i]!),
      p95Ms: quantile(ms[i]!, 0.95),
    }))],
  };
}

/**
 * What the steps of `pnpm bench:seed` share: sizes, the table and its two declared indexes, the state file (each
 * finished step's numbers), and logging with the machine's load.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { integer, pgTable, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { binaryQuantize, hnswIndex, ivfflatIndex, recommendIvfflat, vector } from 'drizzle-pgvector';
import { RESULTS_DIR } from './report.js';
import { SEED_DATA_DEFAULTS } from './seed-data.js';

export const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? SEED_DATA_DEFAULTS.rows);
export const SEED_DIMENSIONS = SEED_DATA_DEFAULTS.dimensions;
export const SEED_QUERIES = Number(process.env.BENCH_SEED_QUERIES ?? 50);
export const MAINTENANCE_WORK_MEM = process.env.BENCH_SEED_MAINTENANCE_WORK_MEM ?? '8GB';
export const BUILD_WORKERS = Number(process.env.BENCH_SEED_BUILD_WORKERS ?? 2);

/** The library's advice for this many rows (expected: 1000 lists, 32 probes at 1M rows). */
export const IVFFLAT = recommendIvfflat({ rows: SEED_ROWS });
/** pgvector's defaults. */
export const HNSW = { m: 16, efConstruction: 64 } as const;
export const IVFFLAT_INDEX = 'seed_items_embedding_ivfflat';
export const BQ_INDEX = 'seed_items_embedding_bq_hnsw';

export const seedItems = pgTable(
  'seed_items',
  {
    id: integer('id').primaryKey(),
    embedding: vector('embedding', { dimensions: SEED_DIMENSIONS }).notNull(),
  },
  (t) => [
    ivfflatIndex(IVFFLAT_INDEX).on(t.embedding, 'cosine').with({ lists: IVFFLAT.lists }),
    hnswIndex(BQ_INDEX).on(binaryQuantize(t.embedding, SEED_DIMENSIONS), 'hamming').with(HNSW),
  ],
);
export type Db = PgDatabase<PgQueryResultHKT>;

export const STATE_FILE = join(RESULTS_DIR, 'server', 'seed-1m.json');

/** What each finished step recorded (the JSON next to seed-1m.md). */
export type SeedState = Record<string, unknown> & { steps?: Record<string, StepRecord> };
export interface StepRecord {
  startedAt: string;
  seconds: number;
  loadBefore: string;
  loadAfter: string;
  [key: string]: unknown;
}

export function readState(): SeedState {
  return existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as SeedState) : {};
}

/** Write the state, merged with the file's steps (steps may run in separate processes at the same time). */
export async function saveState(state: SeedState): Promise<void> {
  await mkdir(join(RESULTS_DIR, 'server'), { recursive: true });
  const disk = readState();
  const merged = { ...disk, ...state, steps: { ...disk.steps, ...state.steps } };
  await writeFile(STATE_FILE, JSON.stringify(merged, null, 2) + '\n');
}

/** `uptime`'s load averages, e.g. `1.04, 1.44, 1.94` (the machine is shared: recorded next to every step). */
export function loadAverage(): string {
  return execFileSync('uptime', { encoding: 'utf8' }).split('load average:')[1]?.trim() ?? '?';
}

export function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)} load ${loadAverage()}] ${message}\n`);
}

/** Run `body` as step `name` unless already recorded; records its time and the load around it. */
export async function step(state: SeedState, name: string, body: () => Promise<Record<string, unknown> | undefined>, redo = false): Promise<void> {
  if (state.steps?.[name] && !redo) {
    log(`${name}: done before (${state.steps[name]!.seconds.toFixed(0)} s), skipped`);
    return;
  }
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  log(`${name}: starting`);
  const started = performance.now();
  const extra = await body();
  if (extra === undefined) return; // nothing was measured (e.g. an index found already built by hand)
  const seconds = (performance.now() - started) / 1000;
  state.steps = { ...state.steps, [name]: { startedAt, seconds, loadBefore, loadAfter: loadAverage(), ...extra } };
  await saveState(state);
  log(`${name}: ${seconds.toFixed(0)} s`);
}


export const STEPS = ['load', 'ground-truth', 'hnsw-bq', 'ivfflat', 'queries', 'report'] as const;

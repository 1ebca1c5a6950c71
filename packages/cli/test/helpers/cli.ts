/**
 * Run the `drizzle-pgvector` CLI as a subprocess (node + tsx on the sources, the workspace's source condition) and
 * prepare the databases it runs against: a PGlite data folder, or a server database at DATABASE_URL.
 *
 * Always asynchronous (execFile): nothing here may block the event loop while a child runs.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { clusteredVectors, randomVectors } from '@drizzle-pgvector/testing/data';
import pg from 'pg';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const CLI_ROOT = dirname(dirname(here));
export const BIN = join(CLI_ROOT, 'src', 'bin.ts');
export const SCHEMA = join(CLI_ROOT, 'test', 'fixtures', 'schema.ts');
const TSX = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, when it is JSON. */
  json: Record<string, unknown> | undefined;
}

/** `drizzle-pgvector <args>` in `cwd`. Never throws for a non-zero exit: check `code`. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, FORCE_COLOR: '0', NO_COLOR: '1' };
    delete env['NODE_OPTIONS'];
    execFile(
      process.execPath,
      ['--conditions=@drizzle-pgvector/source', '--import', TSX, BIN, ...args],
      { cwd: options.cwd ?? CLI_ROOT, env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(stdout) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

/** `drizzle-pgvector <args>` that sends SIGINT (Ctrl-C) once its stderr matches `when`. */
export function interruptCli(args: readonly string[], when: RegExp, options: { timeoutMs?: number } = {}): Promise<{ code: number | null; stderr: string; interrupted: boolean }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
    delete env['NODE_OPTIONS'];
    const child = spawn(process.execPath, ['--conditions=@drizzle-pgvector/source', '--import', TSX, BIN, ...args], { cwd: CLI_ROOT, env });
    let stderr = '';
    let interrupted = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && when.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stdout.resume();
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, interrupted });
    });
  });
}

/** A scratch folder (outside the workspace) with a drizzle.config.ts; removed by `remove()`. */
export function scratchProject(config: Record<string, unknown>): { dir: string; configPath: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-pgvector-cli-'));
  const configPath = join(dir, 'drizzle.config.ts');
  writeFileSync(configPath, `export default ${JSON.stringify({ dialect: 'postgresql', ...config }, null, 2)};\n`);
  return { dir, configPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A database the CLI is pointed at, and a way for the test to look into it between runs. */
export interface CliDatabase {
  readonly kind: 'pglite' | 'url';
  /** drizzle-kit config fields that reach it. */
  readonly config: Record<string, unknown>;
  /** Run SQL (the PGlite folder is opened and closed around it: one process at a time). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

/** A PGlite data folder with pgvector (created now). */
export async function pgliteFolder(): Promise<CliDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'drizzle-pgvector-cli-pglite-'));
  const open = async <T>(fn: (db: PGlite) => Promise<T>): Promise<T> => {
    const db = await PGlite.create({ dataDir, extensions: { vector } });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  await open((db) => db.exec('create extension if not exists vector'));
  return {
    kind: 'pglite',
    config: { driver: 'pglite', dbCredentials: { url: dataDir } },
    query: (text, params) => open(async (db) => (await db.query(text, params)).rows as never),
    exec: (text) => open(async (db) => void (await db.exec(text))),
    close: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** The server at DATABASE_URL (the test's own schema `cli_e2e` is dropped first). */
export async function serverDatabase(url: string): Promise<CliDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await pool.query('create extension if not exists vector');
  return {
    kind: 'url',
    config: { dbCredentials: { url } },
    query: async (text, params) => (await pool.query(text, params)).rows,
    exec: async (text) => void (await pool.query(text)),
    close: () => pool.end(),
  };
}

/** SQL that fills the fixture schema's tables: `items` and `notes` with `rows` clustered rows, `docs` with mixed dimensions. */
export function fixtureSql(rows: number): string {
  const { vectors } = clusteredVectors({ rows, dimensions: 16, clusters: 8, seed: 7 });
  const literal = (v: readonly number[]): string => `'[${v.map((x) => x.toFixed(5)).join(',')}]'`;
  const values = vectors.map((v, i) => `(${i + 1}, 'item ${i + 1}', ${literal(v)})`).join(',\n');
  const docs = randomVectors({ rows: 30, dimensions: 3, seed: 3 })
    .map((v, i) => `(${i + 1}, ${literal(i % 3 === 0 ? [...v, 0.5] : v)})`)
    .join(',\n');
  return `
    drop schema if exists cli_e2e cascade;
    create schema cli_e2e;
    create table cli_e2e.items (id integer primary key, title text not null, embedding vector(16) not null);
    create table cli_e2e.notes (id integer primary key, embedding vector(16) not null);
    create table cli_e2e.docs (id integer primary key, embedding vector);
    create table cli_e2e.users (id integer primary key, name text);
    insert into cli_e2e.items values ${values};
    insert into cli_e2e.notes select id, embedding from cli_e2e.items;
    insert into cli_e2e.docs values ${docs};
    analyze cli_e2e.items, cli_e2e.notes, cli_e2e.docs;
  `;
}

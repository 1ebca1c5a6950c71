/**
 * Run the real drizzle-kit CLI (the version installed for this package) from tests.
 *
 * Always asynchronous: a served PGlite answers drizzle-kit's connections from this very process, so a
 * synchronous child process (spawnSync/execFileSync) would block the server and hang.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzleLine } from '../../packages/drizzle-pgvector/src/internal.js';

const require = createRequire(import.meta.url);
// drizzle-kit's exports hide package.json and bin.cjs; its main entry sits next to them.
const BIN = join(dirname(require.resolve('drizzle-kit')), 'bin.cjs');
/** The test package: drizzle-kit runs from here so the schema resolves drizzle-orm / drizzle-pgvector like the tests do. */
export const TEST_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const FIXTURES = join(TEST_ROOT, 'fixtures');

export interface DrizzleKitConfig {
  /** Schema file(s), absolute. */
  schema: string | string[];
  /** Migrations folder, absolute. */
  out?: string;
  /** Database URL for push/migrate. */
  url?: string;
}

export interface DrizzleKitRun {
  /** Exit code (0 on success). */
  code: number;
  /** stdout + stderr without ANSI colours and spinner frames. */
  output: string;
}

/** Strip colours and the `[⣷] Pulling schema…` spinner redraws. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return plain
    .split(/\r?\n/)
    .filter((line) => !/^\s*\[[⣾⣽⣻⢿⡿⣟⣯⣷]\]/.test(line))
    .join('\n');
}

/** A temporary working folder, removed by the returned `remove()`. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `drizzle-pgvector-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Write a drizzle.config.ts for `config` into `dir` and return its path. */
export function writeConfig(dir: string, config: DrizzleKitConfig): string {
  mkdirSync(dir, { recursive: true });
  const body = {
    dialect: 'postgresql',
    schema: config.schema,
    // drizzle-kit reads snapshots as `./${path}`: `out` must be relative to its working directory.
    ...(config.out ? { out: relative(TEST_ROOT, config.out) } : {}),
    ...(config.url ? { dbCredentials: { url: config.url } } : {}),
    // Only the schema the fixtures define: drizzle-kit 1.0's push would otherwise offer to drop `drizzle` (the
    // migrations table) and stop for a confirmation (0.31's default is the same filter).
    schemaFilter: ['public'],
    // push: never ask, apply everything (we only create objects in a scratch database).
    strict: false,
    verbose: true,
  };
  const path = join(dir, `drizzle.config.${Math.random().toString(36).slice(2, 8)}.ts`);
  writeFileSync(path, `export default ${JSON.stringify(body, null, 2)};\n`);
  return path;
}

/** Run `drizzle-kit <args> --config <configPath>`. Never throws for a non-zero exit: check `code`. */
export function drizzleKit(args: string[], configPath: string, timeoutMs = 60_000): Promise<DrizzleKitRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--config', configPath],
      { cwd: TEST_ROOT, timeout: timeoutMs, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: clean(`${stdout}\n${stderr}`) });
      },
    );
  });
}

/**
 * The `.sql` migration files in `out`, in order, with their statements split at drizzle-kit's breakpoints: journal
 * order (drizzle-kit 0.x, `meta/_journal.json` + `<tag>.sql`) or folder-name order (drizzle-kit 1.0,
 * `<timestamp>_<name>/migration.sql`; the tag is the folder name).
 */
export function readGenerated(out: string): { tag: string; statements: string[] }[] {
  const journalFile = join(out, 'meta', '_journal.json');
  const files = existsSync(journalFile)
    ? (JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] }).entries.map(({ tag }) => ({ tag, file: join(out, `${tag}.sql`) }))
    : readdirSync(out)
        .filter((name) => existsSync(join(out, name, 'migration.sql')))
        .sort((a, b) => a.localeCompare(b))
        .map((tag) => ({ tag, file: join(out, tag, 'migration.sql') }));
  return files.map(({ tag, file }) => ({
    tag,
    statements: readFileSync(file, 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  }));
}

/** Whitespace-insensitive form of a statement: runs of whitespace become one space, none around ( ) , ; */
export function normalizeSql(statement: string): string {
  return statement
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),;])\s*/g, '$1')
    .trim();
}

/** File names in a folder (sorted). */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).sort();
}

/**
 * Statements as the installed drizzle-kit writes them, from how 0.31 writes them. drizzle-kit 1.0 differs in
 * spelling only: WITH options separated by ', ', a predicate's columns unqualified (`"lang"` for `"items"."lang"`),
 * no `USING btree` (the default method), and `serial PRIMARY KEY` without `NOT NULL`.
 */
export function onKitLine(statements: readonly string[]): string[] {
  if (drizzleLine !== '1') return [...statements];
  return statements.map((s) =>
    s
      .replace(/WITH \(([^)]*)\)/, (_, options: string) => `WITH (${options.split(',').join(', ')})`)
      .replace(/(WHERE .*)/, (where) => where.replace(/(?:"\w+"\.)+("\w+")/g, '$1'))
      .replace(' USING btree ', ' ')
      .replace(/ serial PRIMARY KEY NOT NULL/g, ' serial PRIMARY KEY'),
  );
}

/** What the i-th migration's tag looks like with the installed drizzle-kit: `0001_name`, or (1.0) `<14 digits>_name`. */
export function kitTag(i: number, name: string): RegExp {
  return drizzleLine === '1' ? new RegExp(`^\\d{14}_${name}$`) : new RegExp(`^${String(i).padStart(4, '0')}_${name}$`);
}

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteIdent } from '../driver/identifiers.js';
import { pgVectorError } from '../errors/index.js';
import { NEW_MIGRATIONS_LAYOUT } from '../compat/index.js';
import { BREAKPOINT, journalPath, readJournal, type Journal, type JournalEntry } from './journal.js';
import { folderTimestampMillis, listMigrations, migrationDirectories, type MigrationEntry } from './migration-folder.js';
import { createsVectorExtension, splitStatements, usesPgvector, type SqlStatement } from './statements.js';

/**
 * drizzle-kit never emits `CREATE EXTENSION`: a schema with vector columns generates a first migration that fails
 * on a fresh database with `type "vector" does not exist`. These helpers put the extension into the migrations
 * themselves, as drizzle-kit's own custom migration (`drizzle-kit generate --custom`) would.
 */

/** Snapshot/journal format drizzle-kit 0.31 writes for PostgreSQL. */
const SNAPSHOT_VERSION = '7';
/** Snapshot format drizzle-kit 1.0 writes next to each `migration.sql`. */
const FOLDER_SNAPSHOT_VERSION = '9';
const FOLDER_SNAPSHOT_DIALECT = 'postgres';
const DIALECT = 'postgresql';
/** drizzle-kit's snapshot "before the first migration" id. */
const ORIGIN_ID = '00000000-0000-0000-0000-000000000000';
const DEFAULT_NAME = 'enable_pgvector';

/** Options of {@link vectorExtensionMigration}. */
export interface VectorExtensionMigrationOptions {
  /** drizzle-kit's `out` folder. Created when it does not exist. */
  migrationsFolder: string;
  /** Migration name (the tag's suffix). Default `enable_pgvector`, as in `drizzle-kit generate --custom --name=enable_pgvector`. */
  name?: string;
  /** Create the extension in this schema (`WITH SCHEMA "extensions"`). Default: the first schema of `search_path`. */
  schema?: string;
}

/** What {@link vectorExtensionMigration} did. */
export interface VectorExtensionMigrationResult {
  /**
   * - `created`: the folder had no migrations; wrote journal, snapshot and `0000_<name>.sql` (drizzle-kit 0.x), or
   *   `<timestamp>_<name>/migration.sql` and its `snapshot.json` (drizzle-kit 1.0, the layout of the installed
   *   drizzle-orm line).
   * - `filled`: wrote the SQL into the empty custom migration `drizzle-kit generate --custom --name=<name>` made.
   * - `appended`: added a new last migration (no earlier migration uses pgvector).
   * - `exists`: a migration already creates the extension before any pgvector use; nothing written.
   */
  readonly status: 'created' | 'filled' | 'appended' | 'exists';
  /** Tag of the migration that creates the extension: `0000_enable_pgvector`, or (1.0) `20260101120000_enable_pgvector`. */
  readonly tag: string;
  /** Path of its `.sql` file. */
  readonly file: string;
}

/** Where {@link assertExtensionMigration} found the extension and the first pgvector use. */
export interface ExtensionMigrationCheck {
  /** The migration that runs `CREATE EXTENSION … vector`. */
  readonly extension: { readonly tag: string; readonly statement: string };
  /** The first statement that needs pgvector, if any migration has one. */
  readonly firstVectorStatement: { readonly tag: string; readonly statement: string } | undefined;
}

interface ScannedStatement {
  /** Position of the migration in the journal. */
  readonly entry: number;
  /** Position of the statement in its migration. */
  readonly index: number;
  readonly tag: string;
  readonly statement: SqlStatement;
}

interface Scan {
  readonly layout: 'journal' | 'folders' | undefined;
  readonly journal: Journal | undefined;
  readonly entries: readonly MigrationEntry[];
  readonly extension: ScannedStatement | undefined;
  readonly firstUse: ScannedStatement | undefined;
  /** Entries whose file has no statement (only comments): drizzle-kit's fresh `--custom` migrations. */
  readonly empty: ReadonlySet<number>;
}

function extensionSql(schema: string | undefined): string {
  const target = schema === undefined ? '' : ` WITH SCHEMA ${quoteIdent(schema)}`;
  return [
    '-- pgvector must exist before any migration uses it; drizzle-kit never emits CREATE EXTENSION.',
    '-- Written by drizzle-pgvector (vectorExtensionMigration).',
    `CREATE EXTENSION IF NOT EXISTS vector${target};`,
    '',
  ].join('\n');
}

function scan(migrationsFolder: string): Scan {
  const listed = listMigrations(migrationsFolder);
  const journal = listed?.layout === 'journal' ? readJournal(migrationsFolder) : undefined;
  let extension: ScannedStatement | undefined;
  let firstUse: ScannedStatement | undefined;
  const empty = new Set<number>();
  const entries = listed?.entries ?? [];
  entries.forEach((entry, i) => {
    const file = join(migrationsFolder, entry.file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw pgVectorError('INVALID_MIGRATIONS_FOLDER', `${journalPath(migrationsFolder)} lists "${entry.tag}" but ${file} cannot be read.`, { file }, error);
    }
    const statements = text.split(BREAKPOINT).flatMap((chunk) => splitStatements(chunk));
    if (statements.length === 0) empty.add(i);
    statements.forEach((statement, index) => {
      if (extension === undefined && createsVectorExtension(statement)) extension = { entry: i, index, tag: entry.tag, statement };
      if (firstUse === undefined && usesPgvector(statement)) firstUse = { entry: i, index, tag: entry.tag, statement };
    });
  });
  return { layout: listed?.layout, journal, entries, extension, firstUse, empty };
}

/** Extension created before the first use (by migration order, then statement order)? */
function comesFirst(extension: ScannedStatement, firstUse: ScannedStatement | undefined): boolean {
  if (firstUse === undefined) return true;
  return extension.entry !== firstUse.entry ? extension.entry < firstUse.entry : extension.index < firstUse.index;
}

function short(statement: SqlStatement): string {
  const t = statement.text.replace(/\s+/g, ' ');
  return t.length > 160 ? `${t.slice(0, 160)}…` : t;
}

function usedTooEarly(firstUse: ScannedStatement, what: string): Error {
  return pgVectorError(
    'EXTENSION_MIGRATION_MISSING',
    `${what}: migration "${firstUse.tag}" already uses pgvector (${short(firstUse.statement)}) before any migration creates the extension, so a fresh database fails there with "type \\"vector\\" does not exist". Add CREATE EXTENSION IF NOT EXISTS vector;--> statement-breakpoint at the top of its file (${firstUse.tag}.sql, or ${firstUse.tag}/migration.sql; Drizzle's migrate() and drizzle-pgvector's compare created_at or the name, not the hash, so databases that already applied it are unaffected), or run migrate() with ensureExtension: true.`,
    { firstVectorMigration: firstUse.tag, statement: firstUse.statement.text },
  );
}

/**
 * Make sure the migrations folder creates pgvector before anything uses it, the way drizzle-kit's custom migrations
 * work: fills the empty file `drizzle-kit generate --custom --name=enable_pgvector` made, or — without the CLI —
 * writes that first migration itself (journal entry, snapshot and `.sql`, exactly as drizzle-kit would), so later
 * `drizzle-kit generate` runs continue from it. Idempotent: does nothing when such a migration exists.
 *
 * The migration it writes:
 * ```sql
 * CREATE EXTENSION IF NOT EXISTS vector;
 * ```
 *
 * Trade-off with `migrate(db, { ensureExtension: true })`: the migration is part of your history, so every way of
 * applying it (drizzle-kit migrate, Drizzle's `migrate()`, ours, review of the SQL) creates the extension, in the
 * schema you choose; `ensureExtension` needs no file but only helps when migrations run through drizzle-pgvector's
 * `migrate()`. Both need a role allowed to create the extension the first time and are no-ops afterwards.
 *
 * @throws PgVectorError `EXTENSION_MIGRATION_MISSING` when an existing migration already uses pgvector before any
 *   `CREATE EXTENSION` (the message says which file to prepend it to); `INVALID_MIGRATIONS_FOLDER` for an unreadable
 *   journal or migration file.
 *
 * @example
 * ```ts
 * // once, before the first `drizzle-kit generate` of a schema with vector columns (or after
 * // `drizzle-kit generate --custom --name=enable_pgvector`):
 * import { vectorExtensionMigration } from 'drizzle-pgvector/migrator';
 *
 * vectorExtensionMigration({ migrationsFolder: './drizzle' });
 * // { status: 'created', tag: '0000_enable_pgvector', file: 'drizzle/0000_enable_pgvector.sql' }
 * ```
 */
export function vectorExtensionMigration(options: VectorExtensionMigrationOptions): VectorExtensionMigrationResult {
  const folder = options.migrationsFolder;
  const name = options.name ?? DEFAULT_NAME;
  if (typeof folder !== 'string' || folder === '') {
    throw pgVectorError('INVALID_MIGRATIONS_FOLDER', 'vectorExtensionMigration({ migrationsFolder }): migrationsFolder (drizzle-kit\'s "out" folder) is required.', {});
  }
  if (!/^[\w-]+$/.test(name)) {
    throw pgVectorError('INVALID_MIGRATIONS_FOLDER', `vectorExtensionMigration({ name }): ${JSON.stringify(name)} is not a usable migration name; use letters, digits, _ and -.`, { name });
  }
  const { layout, journal, entries: listed, extension, firstUse, empty } = scan(folder);
  const fileOf = (tag: string): string => join(folder, listed.find((e) => e.tag === tag)?.file ?? `${tag}.sql`);

  if (extension !== undefined) {
    if (!comesFirst(extension, firstUse)) throw usedTooEarly(firstUse!, 'vectorExtensionMigration');
    return Object.freeze({ status: 'exists', tag: extension.tag, file: fileOf(extension.tag) });
  }

  const placeholder = listed.findIndex((e, i) => empty.has(i) && (e.tag === name || e.tag.endsWith(`_${name}`)));
  if (placeholder !== -1) {
    if (firstUse !== undefined && firstUse.entry < placeholder) throw usedTooEarly(firstUse, 'vectorExtensionMigration');
    const tag = listed[placeholder]!.tag;
    writeFileSync(fileOf(tag), extensionSql(options.schema));
    return Object.freeze({ status: 'filled', tag, file: fileOf(tag) });
  }
  if (firstUse !== undefined) throw usedTooEarly(firstUse, 'vectorExtensionMigration');
  if ((layout ?? NEW_MIGRATIONS_LAYOUT) === 'folders') return writeFolderMigration(folder, name, options.schema, listed.length === 0);

  const entries = journal?.entries ?? [];
  // Write a custom migration as `drizzle-kit generate --custom` does (drizzle-kit 0.31 writeResult):
  // a snapshot equal to the previous one with a new id, a journal entry, and the .sql file.
  const meta = join(folder, 'meta');
  mkdirSync(meta, { recursive: true });
  const last = entries[entries.length - 1];
  const idx = last === undefined ? 0 : last.idx + 1;
  const prefix = prefixFor(idx, last);
  const tag = `${prefix}_${name}`;
  const previous = previousSnapshot(meta);
  const { id: previousId, prevId: _ignored, ...rest } = previous;
  const snapshot = { id: randomUUID(), prevId: previousId, ...rest, _meta: { columns: {}, schemas: {}, tables: {} } };
  const entry: JournalEntry = {
    idx,
    version: typeof previous.version === 'string' ? previous.version : SNAPSHOT_VERSION,
    when: Math.max(Date.now(), (last?.when ?? 0) + 1),
    tag,
    breakpoints: last?.breakpoints ?? true,
  };
  const nextJournal: Journal = journal ?? { version: SNAPSHOT_VERSION, dialect: DIALECT, entries: [] };
  nextJournal.entries = [...entries, entry];
  writeFileSync(join(meta, `${prefix}_snapshot.json`), JSON.stringify(snapshot, null, 2));
  writeFileSync(journalPath(folder), JSON.stringify(nextJournal, null, 2));
  writeFileSync(fileOf(tag), extensionSql(options.schema));
  return Object.freeze({ status: last === undefined ? 'created' : 'appended', tag, file: fileOf(tag) });
}

/**
 * Write a custom migration as drizzle-kit 1.0's `generate --custom` does: a `<YYYYMMDDHHMMSS>_<name>` folder (UTC,
 * later than every existing one) holding `migration.sql` and a `snapshot.json` — the folder's one `base` snapshot
 * (an empty schema) when it is the first migration, else a `diff` snapshot with no deltas whose `prevIds` is the
 * newest folder's snapshot id.
 */
function writeFolderMigration(folder: string, name: string, schema: string | undefined, first: boolean): VectorExtensionMigrationResult {
  const folders = migrationDirectories(folder);
  const newest = folders[folders.length - 1];
  let previousId = ORIGIN_ID;
  if (newest !== undefined) {
    const path = join(folder, newest, 'snapshot.json');
    try {
      const previous = JSON.parse(readFileSync(path, 'utf8')) as { id?: unknown };
      if (typeof previous.id !== 'string') throw new Error('no "id"');
      previousId = previous.id;
    } catch (error) {
      throw pgVectorError('INVALID_MIGRATIONS_FOLDER', `${path} is not a drizzle-kit snapshot: ${(error as Error).message}.`, { path }, error);
    }
  }
  const newestMillis = newest === undefined ? 0 : folderTimestampMillis(newest);
  const stamp = new Date(Math.max(Date.now(), newestMillis + 1000)).toISOString().replace(/\D/g, '').slice(0, 14);
  const tag = `${stamp}_${name}`;
  const dir = join(folder, tag);
  mkdirSync(dir, { recursive: true });
  const common = { version: FOLDER_SNAPSHOT_VERSION, dialect: FOLDER_SNAPSHOT_DIALECT, id: randomUUID(), prevIds: [previousId], footprints: [] };
  const snapshot = newest === undefined ? { type: 'base', ...common, ddl: [] } : { type: 'diff', ...common, deltas: [] };
  writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot, null, 2));
  writeFileSync(join(dir, 'migration.sql'), extensionSql(schema));
  return Object.freeze({ status: first ? 'created' : 'appended', tag, file: join(dir, 'migration.sql') });
}

/** drizzle-kit's tag prefix (`prefix` config): `0003` (index, the default), 14-digit timestamp, unix seconds, or none. */
function prefixFor(idx: number, last: JournalEntry | undefined): string {
  const digits = last === undefined ? undefined : /^(\d*)_/.exec(last.tag)?.[1];
  if (digits === '') return '';
  if (digits?.length === 14) return new Date().toISOString().replace('T', '').replaceAll('-', '').replaceAll(':', '').slice(0, 14);
  if (digits?.length === 10) return String(Math.floor(Date.now() / 1000));
  return String(idx).padStart(4, '0');
}

/** The newest snapshot in `meta/` (drizzle-kit: files not starting with `_`, sorted by name), or the empty origin. */
function previousSnapshot(meta: string): Record<string, unknown> & { id: string; prevId: string } {
  const files = existsSync(meta) ? readdirSync(meta).filter((f) => !f.startsWith('_') && f.endsWith('.json')).sort() : [];
  const newest = files[files.length - 1];
  if (newest === undefined) {
    return {
      id: ORIGIN_ID,
      prevId: '',
      version: SNAPSHOT_VERSION,
      dialect: DIALECT,
      tables: {},
      enums: {},
      schemas: {},
      views: {},
      sequences: {},
      roles: {},
      policies: {},
      _meta: { columns: {}, schemas: {}, tables: {} },
    };
  }
  const path = join(meta, newest);
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (typeof parsed.id !== 'string') throw new Error('no "id"');
    return parsed as Record<string, unknown> & { id: string; prevId: string };
  } catch (error) {
    throw pgVectorError('INVALID_MIGRATIONS_FOLDER', `${path} is not a drizzle-kit snapshot: ${(error as Error).message}.`, { path }, error);
  }
}

/**
 * Check that the migrations create pgvector before the first statement that uses it (a vector/halfvec/sparsevec
 * type, a pgvector operator class or function, `USING hnsw` / `USING ivfflat`). Run it in a test or in CI after
 * `drizzle-kit generate`.
 *
 * @throws PgVectorError `EXTENSION_MIGRATION_MISSING` when no migration runs `CREATE EXTENSION … vector`, or one
 *   uses pgvector before it (the message names both); `INVALID_MIGRATIONS_FOLDER` when there is no journal.
 *
 * @example
 * ```ts
 * import { assertExtensionMigration } from 'drizzle-pgvector/migrator';
 *
 * test('migrations enable pgvector first', () => {
 *   const { extension } = assertExtensionMigration('./drizzle');
 *   expect(extension.tag).toBe('0000_enable_pgvector');
 * });
 * ```
 */
export function assertExtensionMigration(migrationsFolder: string): ExtensionMigrationCheck {
  const { layout, extension, firstUse } = scan(migrationsFolder);
  if (layout === undefined) {
    throw pgVectorError(
      'INVALID_MIGRATIONS_FOLDER',
      `assertExtensionMigration: ${journalPath(migrationsFolder)} does not exist and there are no <timestamp>_<name>/migration.sql folders; pass drizzle-kit's "out" folder.`,
      { migrationsFolder },
    );
  }
  if (extension === undefined) {
    throw pgVectorError(
      'EXTENSION_MIGRATION_MISSING',
      `assertExtensionMigration: no migration in ${migrationsFolder} runs CREATE EXTENSION vector${
        firstUse ? `, and "${firstUse.tag}" uses pgvector (${short(firstUse.statement)})` : ''
      }. Add one: vectorExtensionMigration({ migrationsFolder: ${JSON.stringify(migrationsFolder)} }) (or drizzle-kit generate --custom --name=enable_pgvector, then the same call to fill it).`,
      { migrationsFolder, firstVectorMigration: firstUse?.tag ?? null },
    );
  }
  if (!comesFirst(extension, firstUse)) throw usedTooEarly(firstUse!, 'assertExtensionMigration');
  return Object.freeze({
    extension: Object.freeze({ tag: extension.tag, statement: extension.statement.text }),
    firstVectorStatement: firstUse ? Object.freeze({ tag: firstUse.tag, statement: firstUse.statement.text }) : undefined,
  });
}

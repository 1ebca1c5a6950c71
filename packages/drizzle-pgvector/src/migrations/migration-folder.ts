import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pgVectorError } from '../errors/index.js';
import { BREAKPOINT, journalPath, readJournal } from './journal.js';

/**
 * The two folder layouts drizzle-kit writes, read the way each line's own migrator reads them:
 * - drizzle-kit 0.x (with drizzle-orm 0.45): `meta/_journal.json` lists the migrations in order; each is
 *   `<tag>.sql` and its `created_at` is the journal's `when`.
 * - drizzle-kit 1.0: one folder per migration, `<YYYYMMDDHHMMSS>_<name>/migration.sql` (+ `snapshot.json`), no
 *   journal; folders in name order, `created_at` from the folder name's 14-digit UTC timestamp, and the folder
 *   name is the migration's `name` in 1.0's bookkeeping table.
 * Either way the `hash` is the sha256 of the file and its statements are split at `--> statement-breakpoint`.
 */

/** A migration as Drizzle's migrators see it. */
export interface MigrationFile {
  /** Journal tag (`0001_brave_hulk`) or folder name (`20260101120000_brave_hulk`); 1.0 stores it as `name`. */
  readonly tag: string;
  /** The `created_at` Drizzle's bookkeeping stores: journal `when`, or the folder name's timestamp in ms. */
  readonly folderMillis: number;
  /** sha256 of the `.sql` file, as Drizzle stores it. */
  readonly hash: string;
  /** The file split at `--> statement-breakpoint`. */
  readonly chunks: readonly string[];
  /** The file, relative to the migrations folder (for messages). */
  readonly file: string;
}

/** Which layout a folder has: `journal` (0.x), `folders` (1.0), or `undefined` when it holds no migrations. */
export function migrationLayout(migrationsFolder: string): 'journal' | 'folders' | undefined {
  if (existsSync(journalPath(migrationsFolder))) return 'journal';
  return migrationDirectories(migrationsFolder).length > 0 ? 'folders' : undefined;
}

/** drizzle-kit 1.0's migration folders (`<timestamp>_<name>` holding `migration.sql`), in name order. */
export function migrationDirectories(migrationsFolder: string): string[] {
  if (!existsSync(migrationsFolder) || !statSync(migrationsFolder).isDirectory()) return [];
  return readdirSync(migrationsFolder)
    .filter((name) => existsSync(join(migrationsFolder, name, 'migration.sql')))
    .sort((a, b) => a.localeCompare(b));
}

/** `YYYYMMDDHHMMSS` (UTC) → milliseconds, as drizzle-orm 1.0's migrator reads a folder name. */
export function folderTimestampMillis(name: string): number {
  const d = name.slice(0, 14);
  const part = (from: number, to: number): number => Number.parseInt(d.slice(from, to), 10);
  return Date.UTC(part(0, 4), part(4, 6) - 1, part(6, 8), part(8, 10), part(10, 12), part(12, 14));
}

/** One migration of a folder, before reading it: its tag and its `.sql` file (relative to the folder). */
export interface MigrationEntry {
  readonly tag: string;
  readonly file: string;
  readonly folderMillis: number;
}

/** The migrations of a folder in order, without reading them; `undefined` when it holds neither layout. */
export function listMigrations(migrationsFolder: string): { layout: 'journal' | 'folders'; entries: MigrationEntry[] } | undefined {
  const journal = readJournal(migrationsFolder);
  if (journal !== undefined) {
    return { layout: 'journal', entries: journal.entries.map((e) => ({ tag: e.tag, file: `${e.tag}.sql`, folderMillis: e.when })) };
  }
  const folders = migrationDirectories(migrationsFolder);
  if (folders.length === 0) return undefined;
  return { layout: 'folders', entries: folders.map((name) => ({ tag: name, file: join(name, 'migration.sql'), folderMillis: folderTimestampMillis(name) })) };
}

function readFile(migrationsFolder: string, file: string, tag: string, folderMillis: number): MigrationFile {
  let text: string;
  try {
    text = readFileSync(join(migrationsFolder, file), 'utf8');
  } catch (error) {
    throw pgVectorError('INVALID_MIGRATIONS_FOLDER', `Migration "${tag}": ${join(migrationsFolder, file)} cannot be read: ${(error as Error).message}.`, { file }, error);
  }
  return { tag, folderMillis, hash: createHash('sha256').update(text).digest('hex'), chunks: text.split(BREAKPOINT), file };
}

/**
 * Read a migrations folder of either layout, in the order Drizzle applies it.
 * @throws PgVectorError `INVALID_MIGRATIONS_FOLDER` when it holds neither layout, or a file cannot be read.
 */
export function readMigrations(migrationsFolder: string): MigrationFile[] {
  const listed = listMigrations(migrationsFolder);
  if (listed === undefined) {
    throw pgVectorError(
      'INVALID_MIGRATIONS_FOLDER',
      `No drizzle-kit migrations in ${JSON.stringify(migrationsFolder)}: neither ${journalPath(migrationsFolder)} (drizzle-kit 0.x) nor <timestamp>_<name>/migration.sql folders (drizzle-kit 1.0). Generate migrations with drizzle-kit generate (its "out" folder is the migrationsFolder), or check the path (relative paths are resolved from ${process.cwd()}).`,
      { migrationsFolder },
    );
  }
  return listed.entries.map((e) => readFile(migrationsFolder, e.file, e.tag, e.folderMillis));
}

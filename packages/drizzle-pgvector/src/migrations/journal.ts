import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { pgVectorError } from '../errors/index.js';

/**
 * drizzle-kit's migrations folder: `meta/_journal.json` lists the migrations in order, each `<tag>.sql` holds the
 * statements separated by `--> statement-breakpoint`, and `meta/<prefix>_snapshot.json` the schema after it.
 * (drizzle-kit 0.31: journal/snapshot version "7", dialect "postgresql".)
 */

/** One `entries[]` item of `meta/_journal.json`. */
export interface JournalEntry {
  idx: number;
  version: string;
  /** Milliseconds since the epoch when generated; Drizzle's migrators store it as `created_at`. */
  when: number;
  /** File name without `.sql`, e.g. `0000_enable_pgvector`. */
  tag: string;
  breakpoints: boolean;
}

/** `meta/_journal.json`. */
export interface Journal {
  version: string;
  dialect: string;
  entries: JournalEntry[];
}

/** The statement separator drizzle-kit writes between statements when `breakpoints` is on. */
export const BREAKPOINT = '--> statement-breakpoint';

export function journalPath(migrationsFolder: string): string {
  return join(migrationsFolder, 'meta', '_journal.json');
}

/** Read `meta/_journal.json`; `undefined` when it does not exist. */
export function readJournal(migrationsFolder: string): Journal | undefined {
  const path = journalPath(migrationsFolder);
  if (!existsSync(path)) return undefined;
  let journal: unknown;
  try {
    journal = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw pgVectorError('INVALID_MIGRATIONS_FOLDER', `${path} is not valid JSON: ${(error as Error).message}.`, { path }, error);
  }
  const entries = (journal as { entries?: unknown } | null)?.entries;
  if (
    !Array.isArray(entries) ||
    !entries.every((e) => typeof e === 'object' && e !== null && typeof e.tag === 'string' && typeof e.when === 'number')
  ) {
    throw pgVectorError(
      'INVALID_MIGRATIONS_FOLDER',
      `${path} is not a drizzle-kit journal (expected { version, dialect, entries: [{ idx, when, tag, breakpoints }] }).`,
      { path },
    );
  }
  return journal as Journal;
}

/** A migration as Drizzle's migrators see it, plus its tag. */
export interface MigrationFile {
  readonly tag: string;
  /** Journal `when`: the `created_at` Drizzle's bookkeeping stores. */
  readonly folderMillis: number;
  /** sha256 of the file, as Drizzle stores it. */
  readonly hash: string;
  /** The file split at `--> statement-breakpoint`. */
  readonly chunks: readonly string[];
}

/**
 * Read a migrations folder exactly as Drizzle's `migrate()` does (`readMigrationFiles` from `drizzle-orm/migrator`)
 * and attach each migration's tag from the journal.
 */
export function readMigrations(migrationsFolder: string): MigrationFile[] {
  const journal = readJournal(migrationsFolder);
  if (journal === undefined) {
    throw pgVectorError(
      'INVALID_MIGRATIONS_FOLDER',
      `No drizzle-kit migrations in ${JSON.stringify(migrationsFolder)}: ${journalPath(migrationsFolder)} does not exist. Generate migrations with drizzle-kit generate (its "out" folder is the migrationsFolder), or check the path (relative paths are resolved from ${process.cwd()}).`,
      { migrationsFolder },
    );
  }
  let files: ReturnType<typeof readMigrationFiles>;
  try {
    files = readMigrationFiles({ migrationsFolder });
  } catch (error) {
    throw pgVectorError('INVALID_MIGRATIONS_FOLDER', `Could not read the migrations in ${JSON.stringify(migrationsFolder)}: ${(error as Error).message}.`, { migrationsFolder }, error);
  }
  return files.map((file, i) => ({
    tag: journal.entries[i]?.tag ?? `#${i}`,
    folderMillis: file.folderMillis,
    hash: file.hash,
    chunks: file.sql,
  }));
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgVectorError } from '../errors/index.js';

/**
 * drizzle-kit 0.x's migrations folder: `meta/_journal.json` lists the migrations in order, each `<tag>.sql` holds the
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

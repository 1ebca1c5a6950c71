/** Hand-written migration folders (journal + .sql files), as drizzle-kit lays them out, for scenarios it cannot generate. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HandMigration {
  /** File name without .sql, e.g. `0001_concurrent`. */
  tag: string;
  /** Statements; joined with drizzle-kit's `--> statement-breakpoint`. */
  statements: string[];
}

/**
 * Write `meta/_journal.json` and one `.sql` file per migration (journal `when` strictly increasing), or with
 * `layout: 'folders'` drizzle-kit 1.0's `<YYYYMMDDHHMMSS>_<tag>/migration.sql` (one second apart; the folder name is
 * then the migration's tag).
 */
export function writeMigrations(folder: string, migrations: HandMigration[], layout: 'journal' | 'folders' = 'journal'): void {
  if (layout === 'folders') {
    const base = Date.UTC(2026, 0, 1);
    migrations.forEach((m, idx) => {
      const stamp = new Date(base + idx * 1000).toISOString().replace(/\D/g, '').slice(0, 14);
      mkdirSync(join(folder, `${stamp}_${m.tag}`), { recursive: true });
      writeFileSync(join(folder, `${stamp}_${m.tag}`, 'migration.sql'), m.statements.join('--> statement-breakpoint\n'));
    });
    return;
  }
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const base = Date.now();
  const entries = migrations.map((m, idx) => ({ idx, version: '7', when: base + idx, tag: m.tag, breakpoints: true }));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2));
  for (const m of migrations) rewriteMigration(folder, m);
}

/** Replace the statements of one migration file (the journal stays as it is). */
export function rewriteMigration(folder: string, migration: HandMigration): void {
  writeFileSync(join(folder, `${migration.tag}.sql`), migration.statements.join('--> statement-breakpoint\n'));
}

// A migration file as steps: what runs inside a transaction and what outside, the halves of an index replacement,
// and the bookkeeping that lets an interrupted migrate() resume (the hash of the statements already committed).
import { createHash } from 'node:crypto';
import { quoteIdent } from '../driver/index.js';
import { pgVectorError } from '../errors/index.js';
import { findReplacements, type IndexReplacement } from './index-replacement.js';
import type { MigrationFile } from './migration-folder.js';
import { runsOutsideTransaction, splitStatements, type SqlStatement } from './statements.js';

/** @internal */
export interface Step {
  /** SQL sent to the server. */
  readonly sql: string;
  readonly transactional: boolean;
  /** Parsed statement (for messages); for a multi-statement transactional chunk, its first statement. */
  readonly statement: SqlStatement;
  /** A CREATE INDEX that replaces an index the migration dropped before: run as a swap with `replaceIndexes`. */
  readonly replace?: IndexReplacement;
  /** The DROP INDEX of such a pair (the replacement it belongs to): left to the swap with `replaceIndexes`. */
  readonly deferred?: IndexReplacement;
}

/** @internal */
export interface Planned extends MigrationFile {
  readonly steps: readonly Step[];
  readonly hasOutside: boolean;
}

/** @internal */
export interface ProgressRow {
  statements_done: unknown;
  done_hash: unknown;
  created_at: unknown;
}

/**
 * Turn a migration's chunks into steps: ordinary chunks as they are, non-transactional statements and both halves
 * of an index replacement on their own (the same steps whether `replaceIndexes` is on or off, so a run can resume
 * under either).
 */
export function plan(file: MigrationFile): Planned {
  const chunks = file.chunks.map((chunk) => ({ chunk, statements: splitStatements(chunk) }));
  const replacements = findReplacements(chunks.flatMap((c) => c.statements));
  const roles = new Map<number, Pick<Step, 'replace' | 'deferred'>>();
  for (const r of replacements) roles.set(r.drop, { deferred: r }).set(r.create, { replace: r });
  const steps: Step[] = [];
  let at = 0;
  for (const { chunk, statements } of chunks) {
    const first = at;
    at += statements.length;
    if (statements.length === 0) continue;
    const outside = statements.map(runsOutsideTransaction);
    const paired = statements.some((_, k) => roles.has(first + k));
    if (!outside.some(Boolean) && !paired) {
      steps.push({ sql: chunk, transactional: true, statement: statements[0]! });
    } else if (statements.length === 1) {
      steps.push({ sql: chunk, transactional: !outside[0], statement: statements[0]!, ...roles.get(first) });
    } else {
      statements.forEach((statement, k) => steps.push({ sql: statement.text, transactional: !outside[k], statement, ...roles.get(first + k) }));
    }
  }
  return { ...file, steps, hasOutside: steps.some((s) => !s.transactional) };
}

/** sha256 of the first `count` statements: proves on resume that what already committed is still what the file says. */
export function doneHash(steps: readonly Step[], count: number): string {
  const hash = createHash('sha256');
  for (const step of steps.slice(0, count)) hash.update(step.sql.trim()).update('\n--> statement-breakpoint\n');
  return hash.digest('hex');
}

/** Where a partly applied migration resumes: the statements its progress row says committed, if they are unchanged. */
export function resumePoint(m: Planned, row: ProgressRow | undefined, schema: string, table: string, progressName: string, named: boolean): number {
  if (row === undefined) return 0;
  const done = Number(row.statements_done);
  if (Number.isInteger(done) && done >= 0 && done <= m.steps.length && doneHash(m.steps, done) === row.done_hash) return done;
  throw pgVectorError(
    'MIGRATION_FAILED',
    `Migration "${m.tag}" was partly applied by an earlier migrate() (its first ${String(row.statements_done)} statement(s) committed, see ${progressName}), but those statements are no longer the same in ${m.file}, so it cannot be resumed safely. Restore them as they were (you may change the statements after them), or finish the migration by hand and record it: INSERT INTO ${quoteIdent(schema)}.${quoteIdent(table)} ("hash", "created_at"${named ? ', "name"' : ''}) VALUES ('${m.hash}', ${m.folderMillis}${named ? `, '${m.tag.replace(/'/g, "''")}'` : ''}); DELETE FROM ${progressName} WHERE created_at = ${m.folderMillis};`,
    { migration: m.tag, statementsDone: done, createdAt: m.folderMillis },
  );
}


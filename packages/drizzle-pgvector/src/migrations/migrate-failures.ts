import { describeServerError, pgVectorError, serverError } from '../errors/index.js';
import { quoteIdent } from '../driver/index.js';
import { dropInvalidStatement } from '../operations/invalid-index.js';
import type { Leftover } from './invalid-leftover.js';
import { concurrentIndexName } from './statements.js';
import type { Planned, ProgressRow, Step } from './migration-plan.js';

/** @internal The errors migrate() throws when a statement fails (migrate.ts holds the state machine). */

const SHOWN_STATEMENT_CHARS = 400;

export function shown(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > SHOWN_STATEMENT_CHARS ? `${t.slice(0, SHOWN_STATEMENT_CHARS)}…` : t;
}

export function transactionFailure(
  m: Planned,
  step: number | undefined,
  error: unknown,
  batch: readonly { migration: Planned }[],
  progress: ReadonlyMap<number, ProgressRow>,
): Error {
  const info = serverError(error);
  const tags = [...new Set(batch.map((op) => op.migration.tag))];
  const where = step === undefined ? 'while saving its progress or committing.\n' : `at statement ${step + 1} of ${m.steps.length}:\n  ${shown(m.steps[step]!.sql)}\n`;
  const resumable = progress.has(m.folderMillis) || m.steps.slice(0, step ?? 0).some((s) => !s.transactional);
  return pgVectorError(
    'MIGRATION_FAILED',
    `Migration "${m.tag}" failed ${where}Server error: ${describeServerError(info)}.\nThe transaction was rolled back, so nothing of it was applied (it held ${tags.map((t) => `"${t}"`).join(', ')}).${
      resumable ? ' Statements of this migration that ran before it, outside that transaction, stay applied; the next migrate() resumes after them.' : ''
    } Fix the cause and run migrate() again.`,
    {
      migration: m.tag,
      statementIndex: step ?? null,
      statement: step === undefined ? null : m.steps[step]!.sql.trim(),
      phase: 'transaction',
      rolledBack: tags,
      sqlState: info.code ?? null,
    },
    info.error,
  );
}

export function outsideFailure(m: Planned, i: number, step: Step, error: unknown, schema: string, table: string, progressName: string, leftover?: Leftover): Error {
  const info = serverError(error);
  const index = concurrentIndexName(step.statement);
  const reindex = /^reindex\b/i.test(step.statement.code);
  const cleanup =
    index?.kind === 'create'
      ? leftover && 'dropped' in leftover
        ? ` The INVALID index ${leftover.dropped.schema}.${leftover.dropped.name} the failed build left was dropped (${dropInvalidStatement(leftover.dropped)}); fix the cause and run migrate() again — it rebuilds the index.`
        : leftover && 'failed' in leftover
          ? ` The failed build left an INVALID index that could not be dropped (${leftover.failed}): run DROP INDEX CONCURRENTLY IF EXISTS ${index.name}; yourself, fix the cause and run migrate() again.`
          : ' Fix the cause and run migrate() again (an INVALID index of this name, if any, is dropped before the retry).'
      : index?.kind === 'drop'
        ? ` The index ${index.name} may be left INVALID; run migrate() again to finish dropping it.`
        : reindex
          ? ' A failed REINDEX CONCURRENTLY may leave INVALID indexes named *_ccnew / *_ccold: drop them with DROP INDEX CONCURRENTLY, then run migrate() again.'
          : ' Fix the cause and run migrate() again.';
  return pgVectorError(
    'MIGRATION_FAILED',
    `Migration "${m.tag}" failed at statement ${i + 1} of ${m.steps.length}, which runs outside a transaction:\n  ${shown(step.sql)}\nServer error: ${describeServerError(info)}.\n${
      i > 0 ? `Statements 1–${i} of this migration are committed (progress kept in ${progressName}); ` : ''
    }the migration is not recorded in ${quoteIdent(schema)}.${quoteIdent(table)}, so the next migrate() resumes at this statement (you may edit it to fix the cause).${cleanup}`,
    {
      migration: m.tag,
      statementIndex: i,
      statement: step.sql.trim(),
      phase: 'outside-transaction',
      invalidIndex: index?.kind === 'create' ? index.name : null,
      droppedInvalidIndex: leftover && 'dropped' in leftover ? leftover.dropped.name : null,
      sqlState: info.code ?? null,
    },
    info.error,
  );
}


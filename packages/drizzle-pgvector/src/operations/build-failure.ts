import { describeServerError, faultAdvice, faultCode, pgVectorError, serverError } from '../errors/index.js';
import type { RowQuery } from '../driver/index.js';
import { dropInvalidIndex } from './invalid-index.js';
import type { BuildOutcome } from './run-build.js';

/** SQLSTATE 57014: the statement was cancelled (pg_cancel_backend, statement_timeout). */
const QUERY_CANCELED = '57014';

/**
 * @internal The error for a failed or cancelled build. After a CONCURRENTLY build, the INVALID index it left
 * (`leftovers`: the index name, or REINDEX's `<name>_ccnew`) is dropped first — on a fresh connection of the pool,
 * since a terminated build's own connection is gone — and the message says so. A lost connection, a
 * `statement_timeout` or a `lock_timeout` gets its own code (`CONNECTION_LOST`, `STATEMENT_TIMEOUT`,
 * `LOCK_TIMEOUT`); `note` is appended to the message.
 */
export async function buildFailure(
  fn: string,
  rows: RowQuery,
  outcome: BuildOutcome,
  what: { name: string; schema: string | undefined; statement: string; concurrently: boolean; leftovers: readonly string[]; note?: string },
): Promise<Error> {
  const info = outcome.error === undefined ? undefined : serverError(outcome.error);
  const fault = info === undefined || outcome.cancelled ? undefined : faultCode(info);
  const cancelled = fault === undefined && (outcome.cancelled || info?.code === QUERY_CANCELED);
  const dropped: string[] = [];
  let dropFailure: string | undefined;
  if (what.concurrently) {
    for (const name of what.leftovers) {
      try {
        const state = await dropInvalidIndex(rows, name, what.schema);
        if (state) dropped.push(`${state.schema}.${state.name}`);
      } catch (error) {
        dropFailure = describeServerError(serverError(error));
      }
    }
  }
  const cleanup = what.concurrently
    ? dropped.length > 0
      ? ` The INVALID index ${dropped.join(', ')} the failed CONCURRENTLY build left was dropped (DROP INDEX CONCURRENTLY IF EXISTS).`
      : dropFailure
        ? ` The INVALID index it left could not be dropped (${dropFailure}): run DROP INDEX CONCURRENTLY IF EXISTS "${what.leftovers[0]}"; yourself.`
        : ' No INVALID index was left behind.'
    : ' The transaction was rolled back: nothing was left behind.';
  const advice = fault ? ` ${faultAdvice(fault)}` : cancelled ? '' : ' Fix the cause (e.g. more maintenance_work_mem, values that fit the index) and run it again.';
  return pgVectorError(
    fault ?? (cancelled ? 'INDEX_BUILD_CANCELLED' : 'INDEX_BUILD_FAILED'),
    `${fn}("${what.name}") ${cancelled ? 'was cancelled' : `failed: ${info ? describeServerError(info) : 'unknown error'}`}.${cleanup}${what.note ? ` ${what.note}` : ''} Statement: ${what.statement}${advice}`,
    { index: what.name, statement: what.statement, sqlState: info?.code ?? null, droppedInvalidIndex: dropped[0] ?? null, concurrently: what.concurrently },
    info?.error,
  );
}

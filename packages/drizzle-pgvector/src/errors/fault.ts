import { PgVectorError, pgVectorError } from './pgvector-error.js';
import { describeServerError, serverError, type ServerErrorInfo } from './server-error.js';

/** The faults a long operation reports with their own code instead of its generic failure code. */
export type FaultCode = 'CONNECTION_LOST' | 'STATEMENT_TIMEOUT' | 'LOCK_TIMEOUT';

/** SQLSTATE 57014 query_canceled: `statement_timeout` and `pg_cancel_backend` alike; the message tells them apart. */
const QUERY_CANCELED = '57014';
/** SQLSTATE 55P03 lock_not_available: `lock_timeout` (and `NOWAIT`). */
const LOCK_NOT_AVAILABLE = '55P03';
/** Class 57 operator intervention that ends the session: admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now. */
const SESSION_ENDED = new Set(['57P01', '57P02', '57P03']);
/** Driver errors without a SQLSTATE that mean the socket is gone. */
const NETWORK = /connection (?:terminated|ended|closed|lost|reset)|terminated unexpectedly|ECONNRESET|EPIPE|ECONNREFUSED|socket (?:hang up|closed)|CONNECTION_(?:CLOSED|ENDED|DESTROYED)|not queryable/i;

/**
 * @internal Which fault a server (or driver) error is, if any: the connection was lost (`pg_terminate_backend`
 * 57P01, a server restart 57P02/57P03, class 08, or a socket error without SQLSTATE), `statement_timeout` (57014
 * "canceling statement due to statement timeout"), or `lock_timeout` (55P03).
 */
export function faultCode(info: ServerErrorInfo): FaultCode | undefined {
  const code = info.code;
  if (code === LOCK_NOT_AVAILABLE) return 'LOCK_TIMEOUT';
  if (code === QUERY_CANCELED) return /statement timeout/i.test(info.message) ? 'STATEMENT_TIMEOUT' : undefined;
  if (code !== undefined) return SESSION_ENDED.has(code) || code.startsWith('08') ? 'CONNECTION_LOST' : undefined;
  return NETWORK.test(info.message) ? 'CONNECTION_LOST' : undefined;
}

/** @internal What to tell the user about a fault (appended to the operation's own message). */
export function faultAdvice(fault: FaultCode): string {
  switch (fault) {
    case 'CONNECTION_LOST':
      return 'The connection to the server was lost (terminated by an administrator, a restart or the network); that connection was discarded, the pool serves the next query on a fresh one. Run the operation again once the server is reachable.';
    case 'STATEMENT_TIMEOUT':
      return 'statement_timeout ended it. Raise statement_timeout for this role or session (SET statement_timeout = 0 disables it), or run the operation when it can finish in time.';
    case 'LOCK_TIMEOUT':
      return 'lock_timeout ended it while it waited for a lock another session held. Run it again when the table is less busy, or raise lock_timeout.';
  }
}

/**
 * @internal `error` as a PgVectorError with its fault code when it is one (the SQLSTATE in `details.sqlState`, the
 * driver's error as `cause`), else undefined. `what` says what happened to the work (`Nothing was written.`).
 */
export function faultError(fn: string, error: unknown, what: string): PgVectorError | undefined {
  if (PgVectorError.is(error)) return undefined;
  const info = serverError(error);
  const fault = faultCode(info);
  if (fault === undefined) return undefined;
  return pgVectorError(fault, `${fn} failed: ${describeServerError(info)}. ${what} ${faultAdvice(fault)}`, { sqlState: info.code ?? null }, info.error);
}

import { DrizzleQueryError } from 'drizzle-orm';
import { serverError } from '../errors/index.js';

/**
 * @internal Wrap a driver error as Drizzle does (`DrizzleQueryError`, the driver's error as `cause`), and keep
 * the server's SQLSTATE on the wrapper as `code` (e.g. `57P01` when an administrator terminated the backend), so
 * callers can branch on it without digging.
 */
export function queryError(text: string, params: readonly unknown[], error: unknown): Error {
  if (error instanceof DrizzleQueryError) return error;
  const wrapped = new DrizzleQueryError(text, params as unknown[], error as Error);
  const code = serverError(error).code;
  if (code !== undefined) Object.defineProperty(wrapped, 'code', { value: code, enumerable: true });
  return wrapped;
}

/** @internal Errors that mean the connection cannot be used again: no SQLSTATE (network), or class 08 / 57. */
export function breaksConnection(error: unknown): boolean {
  const code = serverError(error).code;
  return code === undefined || code.startsWith('08') || code.startsWith('57');
}

/**
 * @internal `error` with the server's SQLSTATE as `code` when it is a wrapper without one (Drizzle's
 * `DrizzleQueryError` keeps the driver's error as `cause`): the same error object, annotated.
 */
export function withServerCode<E>(error: E): E {
  if (error instanceof Error && (error as { code?: unknown }).code === undefined) {
    const code = serverError(error).code;
    if (code !== undefined) Object.defineProperty(error, 'code', { value: code, enumerable: true, configurable: true });
  }
  return error;
}

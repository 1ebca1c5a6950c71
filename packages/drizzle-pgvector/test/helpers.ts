import { expect } from 'vitest';
import { PgVectorError, type PgVectorErrorCode } from '../src/index.js';

/** Run `fn`, expect a PgVectorError with `code`, return it for further assertions. */
export function expectCode(fn: () => unknown, code: PgVectorErrorCode): PgVectorError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PgVectorError);
    expect((e as PgVectorError).code).toBe(code);
    return e as PgVectorError;
  }
  throw new Error(`expected a PgVectorError with code ${code}, but nothing was thrown`);
}

/** Same for async functions. */
export async function expectCodeAsync(fn: () => Promise<unknown>, code: PgVectorErrorCode): Promise<PgVectorError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PgVectorError);
    expect((e as PgVectorError).code).toBe(code);
    return e as PgVectorError;
  }
  throw new Error(`expected a PgVectorError with code ${code}, but nothing was thrown`);
}

/** Message of a server-side error (works for pg, postgres.js and PGlite errors, incl. drizzle's wrapper). */
export async function serverError(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    const err = e as { message?: string; cause?: { message?: string } };
    return `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  }
  throw new Error('expected the server to reject the statement');
}

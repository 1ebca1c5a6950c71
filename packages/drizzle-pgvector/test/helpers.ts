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

/** `db` with every `execute` / `transaction` recorded in `sent` (and still run). */
export function recordSql<Db extends object>(db: Db): { db: Db; sent: string[] } {
  const sent: string[] = [];
  const recording = new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'execute' || key === 'transaction') {
        return (...args: unknown[]) => {
          sent.push(String(key));
          return (Reflect.get(target, key, receiver) as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return { db: recording, sent };
}

/**
 * `run` on the real database must throw a PgVectorError with `code`, its message containing every fragment, before
 * any SQL is sent (see {@link recordSql}: a call that does send SQL fails this check instead of hanging).
 */
export async function rejectedBeforeSql<Db extends object>(
  db: Db,
  run: (db: Db) => Promise<unknown>,
  code: PgVectorErrorCode,
  ...fragments: string[]
): Promise<PgVectorError> {
  const recording = recordSql(db);
  const error = await expectCodeAsync(() => run(recording.db), code);
  for (const f of fragments) expect(error.message).toContain(f);
  expect(recording.sent).toEqual([]);
  return error;
}

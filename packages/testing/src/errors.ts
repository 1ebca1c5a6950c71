/**
 * Stable machine-readable codes carried by {@link PgVectorTestError}.
 *
 * - `TEST_BACKEND_UNAVAILABLE` – the chosen backend could not start (no container runtime for
 *   testcontainers, no `DATABASE_URL` for `url`, server unreachable, pgvector not installed…).
 * - `INVALID_TEST_BACKEND` – an unknown backend name (option or `PGVECTOR_TEST_BACKEND`).
 * - `NO_CONNECTION_URL` – a URL-based driver was requested on a PGlite database started without `serve: true`.
 * - `INVALID_DRIVER` – an unknown driver name was passed to `connect()` or listed in `PGVECTOR_TEST_DRIVERS`.
 * - `DRIVER_UNAVAILABLE` – the driver cannot be used here (`pglite` driver on a server backend,
 *   or an optional driver package that is not installed).
 * - `CONNECTION_LIMIT` – the served PGlite socket has no room for the requested pool size.
 * - `DATABASE_CLOSED` – the test database was used after `close()`.
 * - `NOT_STARTED` – `withTestDatabase().get()` (or `ctx.db` of `describeEachDriver`) was read outside the
 *   `beforeAll`/`afterAll` window.
 * - `INVALID_OPTION` – a data generator (`@drizzle-pgvector/testing/data`) got an invalid count or spread, or
 *   `describeEachDriver` was given a database on another backend than the environment names.
 *
 * @example
 * ```ts
 * import { startTestDatabase, PgVectorTestError, type PgVectorTestErrorCode } from '@drizzle-pgvector/testing';
 *
 * try {
 *   await startTestDatabase({ backend: 'testcontainers' });
 * } catch (error) {
 *   const code: PgVectorTestErrorCode | undefined = error instanceof PgVectorTestError ? error.code : undefined;
 *   if (code === 'TEST_BACKEND_UNAVAILABLE') console.warn('no container runtime here');
 * }
 * ```
 */
export type PgVectorTestErrorCode =
  | 'TEST_BACKEND_UNAVAILABLE'
  | 'INVALID_TEST_BACKEND'
  | 'NO_CONNECTION_URL'
  | 'INVALID_DRIVER'
  | 'DRIVER_UNAVAILABLE'
  | 'CONNECTION_LIMIT'
  | 'DATABASE_CLOSED'
  | 'NOT_STARTED'
  | 'INVALID_OPTION';

/**
 * The error thrown by `@drizzle-pgvector/testing`. Branch on {@link PgVectorTestError.code | code},
 * never on the message text; the underlying failure (driver error, testcontainers error…) is kept in `cause`.
 *
 * @example
 * ```ts
 * import { startTestDatabase, PgVectorTestError } from '@drizzle-pgvector/testing';
 *
 * const database = await startTestDatabase({ backend: 'pglite' });
 * try {
 *   await database.connect('node-postgres'); // not served → no URL
 * } catch (error) {
 *   if (error instanceof PgVectorTestError && error.code === 'NO_CONNECTION_URL') {
 *     // restart with startTestDatabase({ backend: 'pglite', serve: true })
 *   }
 * }
 * ```
 */
export class PgVectorTestError extends Error {
  /** Stable identifier of the failure; see {@link PgVectorTestErrorCode}. */
  readonly code: PgVectorTestErrorCode;

  constructor(code: PgVectorTestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PgVectorTestError';
    this.code = code;
  }
}

/** Best-effort one-line description of an unknown thrown value, for wrapping in messages. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = error.message || error.name;
    return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
  }
  return String(error);
}

/** Replace the password of a connection URL with `***` so it can appear in error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

import { entityKind, type SQL } from 'drizzle-orm';
import { isEntity } from './entity.js';
import type { PgDialect } from 'drizzle-orm/pg-core';
import { describe, pgVectorError } from '../errors/index.js';
import { PG_TRANSACTION_CLASS, prepareOn, sessionSchemaArgument, type PreparedLike, type QueryLike } from './drizzle-line.js';
import type { AnyPgDatabase } from './drizzle-types.js';

/**
 * The one place that reaches into Drizzle's database/session/dialect internals (`db.dialect`, `db._.session`,
 * `session.prepareQuery(...)`, `session.client`, `SQL#toQuery`), on both drizzle-orm lines (0.45 and 1.0; what
 * differs between them is in `drizzle-line.ts` beside this file). The per-driver files in `src/driver/` only talk
 * to driver clients.
 */

export type { AnyPgDatabase };

/** The transaction object `db.transaction(fn)` hands to `fn` for this kind of database. */
export type TransactionOf<TDb extends AnyPgDatabase> = Parameters<Extract<Parameters<TDb['transaction']>[0], (...args: any) => any>>[0];

/** @internal The slice of Drizzle's PgSession used by the driver layer (`prepareQuery`'s arguments differ per line: call it through {@link sessionQuery}). */
export interface SessionLike {
  prepareQuery(...args: never[]): PreparedLike;
  transaction<T>(fn: (tx: AnyPgDatabase) => Promise<T>): Promise<T>;
  /** The driver client behind the session (node-postgres Pool/Client, postgres.js Sql, PGlite …). */
  readonly client?: unknown;
  readonly logger?: { logQuery(query: string, params: unknown[]): void };
  /** Drizzle's constructor arguments, kept on the session (used to open a session on a checked-out client). */
  readonly dialect?: PgDialect;
  readonly schema?: unknown;
  /** 1.0's name for `schema`. */
  readonly relations?: unknown;
  readonly options?: unknown;
}

/**
 * @internal Run `query` through Drizzle's session (its logger, its error wrapping, its type parsers): rows as arrays
 * mapped by `map`, or (`'raw'`) the driver's whole result. `simple`: not as a prepared statement.
 */
export function sessionQuery(session: SessionLike, query: QueryLike, mode: 'arrays' | 'raw', map?: (rows: unknown[][]) => unknown, simple = false): Promise<unknown> {
  return prepareOn(session, query, mode, map, simple).execute();
}

interface DbInternals {
  dialect: PgDialect;
  _: { session: SessionLike };
}

/**
 * @internal The dialect of a Drizzle database; shared by the database and all of its transactions.
 * @throws PgVectorError `INVALID_DATABASE` for anything that is not a Drizzle PostgreSQL database or transaction.
 */
export function dialectOf(db: unknown): PgDialect {
  const dialect = (db as Partial<DbInternals> | null | undefined)?.dialect;
  const session = (db as Partial<DbInternals> | null | undefined)?._?.session;
  if (dialect === undefined || session === undefined || typeof session.prepareQuery !== 'function') {
    throw pgVectorError(
      'INVALID_DATABASE',
      `expected a Drizzle PostgreSQL database or transaction, got ${describe(db)}. Pass the db you created with drizzle(…) from drizzle-orm/node-postgres, drizzle-orm/postgres-js or drizzle-orm/pglite (or a transaction of it).`,
      { received: describe(db) },
    );
  }
  return dialect;
}

/** @internal The session that runs a database's (or transaction's) queries. */
export function sessionOf(db: AnyPgDatabase): SessionLike {
  return (db as unknown as DbInternals)._.session;
}

/** @internal Drizzle's name for a session's class (`NodePgSession`, `PostgresJsSession`, `PgliteSession` …). */
export function sessionKind(session: SessionLike): string | undefined {
  const kind = (session.constructor as unknown as Record<symbol, unknown>)[entityKind];
  return typeof kind === 'string' ? kind : undefined;
}

/** @internal True when `db` is a transaction (settings must then be restored, not just dropped at COMMIT). */
export function isTransaction(db: AnyPgDatabase): boolean {
  return isEntity(db, PG_TRANSACTION_CLASS);
}

/**
 * @internal A Drizzle session of the same class as `session`, on another client (a connection checked out of
 * the session's pool): `new NodePgSession(client, dialect, schema, options)` (1.0: `relations` for `schema`). Its `transaction()` runs on that
 * client, so the caller owns the checkout (error listener, release as broken).
 */
export function sessionOnClient(session: SessionLike, client: unknown): SessionLike {
  const Ctor = session.constructor as new (client: unknown, dialect: unknown, schema: unknown, options: unknown) => SessionLike;
  return new Ctor(client, session.dialect, sessionSchemaArgument(session), session.options ?? {});
}

/**
 * @internal Compile a fragment with the database's dialect (casing, quoting), numbering its parameters from
 * `$${start + 1}`, so fragments compiled per call can be spliced into SQL text cached per query shape.
 */
export function compileFragment(dialect: PgDialect, fragment: SQL, start: number): { sql: string; params: unknown[] } {
  // 0.45 reads `casing`, 1.0 `codecs` (parameter normalisation); each line ignores the other's.
  const d = dialect as unknown as { casing: unknown; codecs: unknown; escapeName: unknown; escapeParam: unknown; escapeString: unknown };
  // No `prepareTyping`: it only fills the per-parameter type hints (`typings`), which are dropped here (the text
  // and parameters do not depend on it), and it costs up to nine `is()` prototype walks per bound parameter.
  const { sql: text, params } = fragment.toQuery({
    casing: d.casing,
    codecs: d.codecs,
    escapeName: d.escapeName,
    escapeParam: d.escapeParam,
    escapeString: d.escapeString,
    paramStartIndex: { value: start },
  } as unknown as Parameters<SQL['toQuery']>[0]);
  return { sql: text, params };
}

/** @internal Compile parameterless SQL (a target expression, a column) to text with the dialect. */
export function compileStatic(dialect: PgDialect, fragment: SQL, what: string): string {
  const out = compileFragment(dialect, fragment, 0);
  if (out.params.length > 0) {
    throw pgVectorError('INVALID_TARGET', `${what} must not contain bound parameters: use sql.raw for constants, or a column.`, { what });
  }
  return out.sql;
}

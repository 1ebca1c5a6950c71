import { entityKind, is, type SQL } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgDialect } from 'drizzle-orm/pg-core';
import { describe, pgVectorError } from '../errors/index.js';

/**
 * The one place that reaches into Drizzle's database/session/dialect internals (drizzle-orm 0.45: `db.dialect`,
 * `db._.session`, `session.prepareQuery(...)`, `session.client`, `SQL#toQuery`). Everything that depends on how a
 * Drizzle version lays out its objects lives here; the per-driver files beside it only talk to driver clients.
 */

/** Any Drizzle PostgreSQL database or transaction: node-postgres, postgres.js, PGlite, Neon … */
export type AnyPgDatabase = PgDatabase<any, any, any>;

/** The transaction object `db.transaction(fn)` hands to `fn` for this kind of database. */
export type TransactionOf<TDb extends AnyPgDatabase> = Parameters<Parameters<TDb['transaction']>[0]>[0];

/** What Drizzle's prepared queries look like from the outside (all drivers). */
interface PreparedLike {
  execute(placeholderValues?: Record<string, unknown>): Promise<unknown>;
}

/** @internal The slice of Drizzle's PgSession used by the driver layer. */
export interface SessionLike {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    name: undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: (rows: unknown[][]) => unknown,
  ): PreparedLike;
  transaction<T>(fn: (tx: AnyPgDatabase) => Promise<T>): Promise<T>;
  /** The driver client behind the session (node-postgres Pool/Client, postgres.js Sql, PGlite …). */
  readonly client?: unknown;
  readonly logger?: { logQuery(query: string, params: unknown[]): void };
  /** Drizzle's constructor arguments, kept on the session (used to open a session on a checked-out client). */
  readonly dialect?: PgDialect;
  readonly schema?: unknown;
  readonly options?: unknown;
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
  return is(db, PgTransaction);
}

/**
 * @internal A Drizzle session of the same class as `session`, on another client (a connection checked out of
 * the session's pool): `new NodePgSession(client, dialect, schema, options)`. Its `transaction()` runs on that
 * client, so the caller owns the checkout (error listener, release as broken).
 */
export function sessionOnClient(session: SessionLike, client: unknown): SessionLike {
  const Ctor = session.constructor as new (client: unknown, dialect: unknown, schema: unknown, options: unknown) => SessionLike;
  return new Ctor(client, session.dialect, session.schema, session.options ?? {});
}

/**
 * @internal Compile a fragment with the database's dialect (casing, quoting), numbering its parameters from
 * `$${start + 1}`, so fragments compiled per call can be spliced into SQL text cached per query shape.
 */
export function compileFragment(dialect: PgDialect, fragment: SQL, start: number): { sql: string; params: unknown[] } {
  const d = dialect as unknown as { casing: unknown; escapeName: unknown; escapeParam: unknown; escapeString: unknown };
  // No `prepareTyping`: it only fills the per-parameter type hints (`typings`), which are dropped here (the text
  // and parameters do not depend on it), and it costs up to nine `is()` prototype walks per bound parameter.
  const { sql: text, params } = fragment.toQuery({
    casing: d.casing,
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

import { DrizzleQueryError, entityKind, is, type SQL } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgDialect } from 'drizzle-orm/pg-core';
import { pgVectorError } from '../errors/index.js';

/**
 * The one place that reaches into Drizzle's session/dialect internals (drizzle-orm 0.45: `db.dialect`,
 * `db._.session`, `session.prepareQuery(...)`, `SQL#toQuery`). Everything version-sensitive about running raw
 * SQL through any Drizzle Postgres driver (node-postgres, postgres.js, PGlite …) lives here.
 */

/** Any Drizzle PostgreSQL database or transaction: node-postgres, postgres.js, PGlite, Neon … */
export type AnyPgDatabase = PgDatabase<any, any, any>;

/** The transaction object `db.transaction(fn)` hands to `fn` for this kind of database. */
export type TransactionOf<TDb extends AnyPgDatabase> = Parameters<Parameters<TDb['transaction']>[0]>[0];

/** What drizzle's prepared queries look like from the outside (all drivers). */
interface PreparedLike {
  execute(placeholderValues?: Record<string, unknown>): Promise<unknown>;
}
/** @internal The slice of Drizzle's PgSession used here. */
export interface SessionLike {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    name: undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: (rows: unknown[][]) => unknown,
  ): PreparedLike;
}

interface DbInternals {
  dialect: PgDialect;
  _: { session: SessionLike };
}

/** @internal The dialect of a Drizzle database; shared by the database and all of its transactions. */
export function dialectOf(db: AnyPgDatabase): PgDialect {
  const dialect = (db as unknown as Partial<DbInternals>).dialect;
  const session = (db as unknown as Partial<DbInternals>)._?.session;
  if (dialect === undefined || session === undefined || typeof session.prepareQuery !== 'function') {
    throw pgVectorError(
      'INVALID_QUERY_OPTION',
      `expected a Drizzle PostgreSQL database or transaction (drizzle-orm/node-postgres, drizzle-orm/postgres-js, drizzle-orm/pglite …), got ${describeDb(db)}.`,
      { received: describeDb(db) },
    );
  }
  return dialect;
}

/** @internal The session that runs a database's (or transaction's) queries. */
export function sessionOf(db: AnyPgDatabase): SessionLike {
  return (db as unknown as DbInternals)._.session;
}

function describeDb(db: unknown): string {
  if (db === null || db === undefined) return String(db);
  if (typeof db !== 'object') return `${typeof db} ${String(db)}`;
  return (db as object).constructor?.name ?? 'object';
}

/** @internal True when `db` is a transaction (settings must then be restored, not just dropped at COMMIT). */
export function isTransaction(db: AnyPgDatabase): boolean {
  return is(db, PgTransaction);
}

/**
 * Sessions known to send a parameterless query with the simple-query protocol, which allows several
 * `;`-separated statements in one round trip (node-postgres: no values → simple query; postgres.js:
 * `unsafe(text, [])` → simple). Others (PGlite's `query`, HTTP drivers) run one statement per call.
 */
const MULTI_STATEMENT_SESSIONS: ReadonlySet<string> = new Set(['NodePgSession', 'PostgresJsSession']);

/** @internal */
export function supportsMultiStatement(session: SessionLike): boolean {
  const kind = (session.constructor as unknown as Record<symbol, unknown>)[entityKind];
  return typeof kind === 'string' && MULTI_STATEMENT_SESSIONS.has(kind);
}

/** @internal Run SQL text with positional parameters; rows come back as arrays, mapped by `mapRows`. */
export function runRows<T>(session: SessionLike, text: string, params: unknown[], mapRows: (rows: unknown[][]) => T): Promise<T> {
  return session.prepareQuery({ sql: text, params }, undefined, undefined, true, mapRows).execute() as Promise<T>;
}

interface DirectSession {
  client: unknown;
  logger?: { logQuery(query: string, params: unknown[]): void };
}
type DirectRunner = (client: unknown, text: string, params: unknown[]) => Promise<unknown[][]>;

/**
 * How to run a query straight on the driver client behind a Drizzle session, rows as arrays, with the
 * driver's default type parsing. Only used for results whose column types Drizzle's per-driver parser overrides
 * do not touch (those cover timestamp, date, interval and array types), so the rows are identical to Drizzle's.
 */
const DIRECT_RUNNERS: Readonly<Record<string, DirectRunner>> = {
  NodePgSession: async (client, text, params) =>
    (await (client as { query(config: object): Promise<{ rows: unknown[][] }> }).query({ text, values: params, rowMode: 'array' })).rows,
  PostgresJsSession: (client, text, params) =>
    (client as { unsafe(text: string, params: unknown[]): { values(): Promise<unknown[][]> } }).unsafe(text, params).values(),
  PgliteSession: async (client, text, params) =>
    (await (client as { query(text: string, params: unknown[], options: object): Promise<{ rows: unknown[][] }> }).query(text, params, { rowMode: 'array' }))
      .rows,
};

/**
 * @internal Like {@link runRows}, for results that need none of Drizzle's type-parser overrides (no timestamp,
 * date, interval or array columns). On node-postgres, postgres.js and PGlite it calls the driver client
 * directly, skipping the per-query objects Drizzle's session builds (and, on PGlite, the `parsers` option that
 * PGlite merges into its full parser table on every call — about 50 µs). Drizzle's logger still sees the query
 * and driver errors are wrapped in `DrizzleQueryError` as Drizzle does. Other sessions go through Drizzle.
 */
export async function runPlainRows<T>(session: SessionLike, text: string, params: unknown[], mapRows: (rows: unknown[][]) => T): Promise<T> {
  const kind = (session.constructor as unknown as Record<symbol, unknown>)[entityKind];
  const direct = typeof kind === 'string' ? DIRECT_RUNNERS[kind] : undefined;
  const client = (session as unknown as DirectSession).client;
  if (direct === undefined || client === undefined || client === null) return runRows(session, text, params, mapRows);
  (session as unknown as DirectSession).logger?.logQuery(text, params);
  let rows: unknown[][];
  try {
    rows = await direct(client, text, params);
  } catch (e) {
    throw new DrizzleQueryError(text, params, e as Error);
  }
  return mapRows(rows);
}

interface PgConnectionLike {
  query(config: string | object): Promise<{ rows: unknown[][] }>;
  release?(destroy?: boolean): void;
}
interface PgPoolLike extends PgConnectionLike {
  connect(): Promise<PgConnectionLike>;
  totalCount?: number;
}
interface PostgresJsLike {
  begin<T>(fn: (tx: { unsafe(text: string, params?: unknown[]): PromiseLike<unknown> & { values(): PromiseLike<unknown[][]> } }) => Promise<T>): Promise<T>;
}
interface PgliteLike {
  transaction<T>(fn: (tx: { exec(text: string): Promise<unknown>; query(text: string, params: unknown[], options: object): Promise<{ rows: unknown[][] }> }) => Promise<T>): Promise<T>;
}

type DirectTransaction = (client: unknown, statements: readonly string[], text: string, params: unknown[]) => Promise<unknown[][]>;

/** node-postgres: `BEGIN; SET LOCAL …` as one simple query, the search, `COMMIT` — three round trips instead of four. */
async function nodePgTransaction(client: unknown, statements: readonly string[], text: string, params: unknown[]): Promise<unknown[][]> {
  const pool = client as PgPoolLike;
  const isPool = typeof pool.connect === 'function' && (typeof pool.totalCount === 'number' || pool.constructor.name.includes('Pool'));
  const connection = isPool ? await pool.connect() : pool;
  let broken = false;
  try {
    try {
      await connection.query(['BEGIN', ...statements].join('; '));
      const result = await connection.query({ text, values: params, rowMode: 'array' });
      await connection.query('COMMIT');
      return result.rows;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    }
  } finally {
    if (isPool) connection.release?.(broken);
  }
}

/** postgres.js: BEGIN, then the SET LOCAL statements and the search pipelined in one round trip, COMMIT. */
function postgresJsTransaction(client: unknown, statements: readonly string[], text: string, params: unknown[]): Promise<unknown[][]> {
  return (client as PostgresJsLike).begin(async (tx) => {
    const [, rows] = await Promise.all([tx.unsafe(statements.join('; ')), tx.unsafe(text, params).values()]);
    return rows;
  });
}

/** PGlite: its own exclusive transaction; all SET LOCAL statements in one `exec`. */
function pgliteTransaction(client: unknown, statements: readonly string[], text: string, params: unknown[]): Promise<unknown[][]> {
  return (client as PgliteLike).transaction(async (tx) => {
    await tx.exec(statements.join('; '));
    return (await tx.query(text, params, { rowMode: 'array' })).rows;
  });
}

const DIRECT_TRANSACTIONS: Readonly<Record<string, { run: DirectTransaction; available(client: unknown): boolean }>> = {
  NodePgSession: { run: nodePgTransaction, available: (c) => typeof (c as PgConnectionLike).query === 'function' },
  PostgresJsSession: { run: postgresJsTransaction, available: (c) => typeof (c as PostgresJsLike).begin === 'function' },
  PgliteSession: { run: pgliteTransaction, available: (c) => typeof (c as PgliteLike).transaction === 'function' },
};

/**
 * @internal {@link runPlainRows} inside a transaction that starts with `statements` (`SET LOCAL …`), for a
 * database (not a transaction) on node-postgres, postgres.js or PGlite: fewer round trips and none of Drizzle's
 * per-statement overhead (node-postgres sends `BEGIN; SET LOCAL …` as one simple query; postgres.js pipelines the
 * SET LOCAL statements with the search). The transaction is rolled back on any error, so the settings end with it
 * either way. Returns `undefined` when the session is not one of those; the caller then uses Drizzle's transaction.
 */
export function runPlainRowsInTransaction<T>(
  session: SessionLike,
  statements: readonly string[],
  text: string,
  params: unknown[],
  mapRows: (rows: unknown[][]) => T,
): Promise<T> | undefined {
  const kind = (session.constructor as unknown as Record<symbol, unknown>)[entityKind];
  const direct = typeof kind === 'string' ? DIRECT_TRANSACTIONS[kind] : undefined;
  const client = (session as unknown as DirectSession).client;
  if (direct === undefined || client === undefined || client === null || !direct.available(client)) return undefined;
  const logger = (session as unknown as DirectSession).logger;
  if (logger) {
    logger.logQuery('begin', []);
    for (const statement of statements) logger.logQuery(statement, []);
    logger.logQuery(text, params);
    logger.logQuery('commit', []);
  }
  return direct.run(client, statements, text, params).then(mapRows, (error: unknown) => {
    throw new DrizzleQueryError(text, params, error as Error);
  });
}

/** @internal Run parameterless statements (e.g. `SET LOCAL`) in as few round trips as the driver allows. */
export async function runStatements(session: SessionLike, statements: readonly string[]): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length === 1 || supportsMultiStatement(session)) {
    await session.prepareQuery({ sql: statements.join('; '), params: [] }, undefined, undefined, false).execute();
    return;
  }
  for (const statement of statements) {
    await session.prepareQuery({ sql: statement, params: [] }, undefined, undefined, false).execute();
  }
}

/**
 * @internal Compile a fragment with the database's dialect (casing, quoting), numbering its parameters from
 * `$${start + 1}`, so fragments compiled per call can be spliced into SQL text cached per query shape.
 */
export function compileFragment(dialect: PgDialect, fragment: SQL, start: number): { sql: string; params: unknown[] } {
  const d = dialect as unknown as {
    casing: unknown;
    escapeName: unknown;
    escapeParam: unknown;
    escapeString: unknown;
  };
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
    throw pgVectorError('INVALID_QUERY_OPTION', `${what} must not contain bound parameters.`, {});
  }
  return out.sql;
}

// ---------------------------------------------------------------------------------------------------------
// pgvector version, checked once per database

const VERSIONS = new WeakMap<object, Promise<string>>();

/**
 * @internal The installed pgvector version (`pg_extension.extversion`), queried once per Drizzle database
 * (keyed by its dialect, which its transactions share) and cached.
 *
 * @throws PgVectorError `EXTENSION_MISSING` when `vector` is not installed in the database.
 */
export function vectorExtensionVersion(db: AnyPgDatabase): Promise<string> {
  const key = dialectOf(db);
  let pending = VERSIONS.get(key);
  if (pending === undefined) {
    pending = runRows(sessionOf(db), `select extversion from pg_extension where extname = 'vector'`, [], (rows) => rows).then((rows) => {
      const version = rows[0]?.[0];
      if (typeof version !== 'string') {
        throw pgVectorError(
          'EXTENSION_MISSING',
          'the pgvector extension is not installed in this database. Run CREATE EXTENSION vector (or drizzle-pgvector migrations) first.',
          {},
        );
      }
      return version;
    });
    VERSIONS.set(key, pending);
    // A failed look-up (no extension yet, connection error) is retried next time.
    pending.catch(() => VERSIONS.delete(key));
  }
  return pending;
}

/** @internal `a >= b` for dotted versions like `0.8.0` (pre-release suffixes ignored). */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

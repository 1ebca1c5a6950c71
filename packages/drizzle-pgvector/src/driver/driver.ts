/**
 * The driver layer's one interface. Everything above it (settings, queries, extension, migrations, index
 * operations, bulk loading) talks to the database through a {@link Driver} and never asks which driver it has;
 * the per-driver files beside this one (`node-postgres.ts`, `postgres-js.ts`, `pglite.ts`, and `drizzle.ts` for
 * every other Drizzle driver) are the only places that know.
 */

/** Maps rows (arrays of column values, in select order) to the result. */
export type RowMapper<T> = (rows: unknown[][]) => T;

/** Which implementation serves a database. */
export type DriverKind = 'node-postgres' | 'postgres.js' | 'pglite' | 'drizzle';

/** One connection held for a sequence of statements (session-level settings, `CREATE INDEX CONCURRENTLY`). */
export interface DriverConnection {
  /** Run one statement with bound parameters; rows as objects, with the driver's default type parsing. */
  query(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** The server's NOTICE messages while `fn` runs (e.g. pgvector's "hnsw graph no longer fits …"). */
  withNotices<T>(fn: () => Promise<T>, onNotice: (message: string) => void): Promise<T>;
}

/** How a Drizzle database (or transaction) reaches its database. */
export interface Driver {
  readonly kind: DriverKind;
  /**
   * Run a statement with bound parameters, rows as arrays. With `plain`, the caller promises the result needs none
   * of Drizzle's per-driver type-parser overrides (no timestamp/date/interval/array columns), so the query may go
   * straight to the driver client; Drizzle's logger still sees it and errors are wrapped as Drizzle wraps them.
   */
  query<T>(text: string, params: readonly unknown[], map: RowMapper<T>, plain?: boolean): Promise<T>;
  /** Run parameterless statements (`SET LOCAL …`) in as few round trips as the driver allows. */
  exec(statements: readonly string[]): Promise<void>;
  /**
   * `BEGIN; <statements>; <text>; COMMIT` on a connection of its own, rows as arrays with the driver's default
   * parsing, rolled back on any error; a connection that broke is discarded, never returned to a pool.
   * `undefined` when this database cannot do it directly (it is a transaction, or another driver): use
   * {@link Driver.transaction}.
   */
  readonly queryInTransaction: (<T>(statements: readonly string[], text: string, params: readonly unknown[], map: RowMapper<T>) => Promise<T>) | undefined;
  /**
   * Drizzle's `db.transaction(fn)`, made safe against dropped connections: a connection the server closed is
   * released as broken and the call rejects with the server's error (SQLSTATE kept), never with an unhandled
   * `'error'` event.
   */
  transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T>;
  /**
   * Hold one connection for `fn` (a pool checkout, a reserved postgres.js connection, or the single client).
   * Session-level state `fn` leaves behind must be undone by `fn`; a connection that failed is discarded.
   */
  connection<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T>;
  /**
   * True when another connection can run statements while {@link Driver.connection} holds one (a pool):
   * progress can then be read from `pg_stat_progress_create_index` during a build. False for a single client
   * (PGlite, a lone `pg.Client`).
   */
  readonly concurrent: boolean;
}

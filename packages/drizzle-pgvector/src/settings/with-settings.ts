import { CITUS } from '../catalog/index.js';
import { describe, pgVectorError } from '../errors/index.js';
import { dialectOf, driverOf, isTransaction, type AnyPgDatabase, type TransactionOf } from '../driver/index.js';
import { serverFacts, vectorVersion, type ServerFacts } from '../pg-catalog/index.js';
import { checkSettingsVersion, needsVersionCheck, setLocalStatement, validateVectorSettings, type VectorSettings, type VectorSettingValue } from './vector-settings.js';

/** `SET LOCAL citus.propagate_set_commands = 'local'`: without it Citus keeps `SET LOCAL` on the coordinator. */
const CITUS_PROPAGATE = `SET LOCAL ${CITUS.propagateSetting} = '${CITUS.propagateLocal}'`;

/**
 * @internal The statements that start a transaction with `values` applied: one `SET LOCAL` per setting, preceded
 * on a Citus database by `SET LOCAL citus.propagate_set_commands = 'local'` so that the shards' transactions get
 * them too (Citus's default, `'none'`, keeps them on the coordinator).
 */
export function settingsStatements(values: readonly VectorSettingValue[], facts: ServerFacts | undefined): string[] {
  const statements = values.map(setLocalStatement);
  if (statements.length > 0 && facts?.citusVersion !== undefined) statements.unshift(CITUS_PROPAGATE);
  return statements;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * @internal Run `fn` in a transaction whose first statements are `SET LOCAL …` for `values`.
 *
 * - On a database: `BEGIN; SET LOCAL …; fn(tx); COMMIT` — the settings end with the transaction, also on
 *   ROLLBACK, so they never reach the pooled connection's next user; a connection the server dropped is
 *   discarded and the call rejects with the server's error (see the driver layer).
 * - On a transaction: a savepoint; the previous values are read first and put back after `fn` succeeds, so the
 *   rest of the caller's transaction is unaffected (if `fn` throws, ROLLBACK TO SAVEPOINT reverts them).
 */
export async function runWithSettings<TDb extends AnyPgDatabase, T>(
  db: TDb,
  values: readonly VectorSettingValue[],
  fn: (tx: TransactionOf<TDb>) => Promise<T> | T,
): Promise<T> {
  // The Citus check (once per database) runs inside the transaction, on its connection: no extra checkout.
  return runWithStatements(db, async (tx) => (values.length === 0 ? [] : settingsStatements(values, await serverFacts(tx, driverOf(tx)))), fn);
}

/**
 * @internal {@link runWithSettings} with the statements given, or computed inside the transaction (on its
 * connection) by `statements(tx)`.
 */
export async function runWithStatements<TDb extends AnyPgDatabase, T>(
  db: TDb,
  statements: readonly string[] | ((tx: AnyPgDatabase) => Promise<readonly string[]>),
  fn: (tx: TransactionOf<TDb>) => Promise<T> | T,
): Promise<T> {
  const driver = driverOf(db);
  const resolve = (tx: AnyPgDatabase): Promise<readonly string[]> | readonly string[] => (typeof statements === 'function' ? statements(tx) : statements);
  if (!isTransaction(db)) {
    return driver.transaction(async (tx) => {
      await driverOf(tx as AnyPgDatabase).exec(await resolve(tx as AnyPgDatabase));
      return fn(tx as TransactionOf<TDb>);
    });
  }
  return db.transaction(async (tx: TransactionOf<TDb>) => {
    const txDriver = driverOf(tx as AnyPgDatabase);
    const apply = await resolve(tx as AnyPgDatabase);
    let restore: string[] = [];
    if (apply.length > 0) {
      const gucs = apply.map((s) => /^SET LOCAL (\S+) = /.exec(s)![1]!);
      const previous = await txDriver.query(`select ${gucs.map((g) => `current_setting('${g}', true)`).join(', ')}`, [], (rows) => rows[0] ?? []);
      restore = gucs.map((guc, i) => {
        const old = previous[i];
        return old === null || old === undefined ? `SET LOCAL ${guc} TO DEFAULT` : `SET LOCAL ${guc} = ${quoteLiteral(String(old))}`;
      });
      await txDriver.exec(apply);
    }
    const result = await fn(tx);
    await txDriver.exec(restore);
    return result;
  }) as Promise<T>;
}

/**
 * Run `fn(tx)` in a transaction with pgvector settings applied by `SET LOCAL` — tuned recall for these queries
 * only, never for the next user of the pooled connection.
 *
 * Settings are validated before any SQL runs (unknown keys, out-of-range values → `INVALID_SEARCH_SETTING`),
 * and settings newer than the installed pgvector fail with `EXTENSION_TOO_OLD` (pgvector < 0.6 would silently
 * ignore them; the version is read once per database and cached).
 *
 * Why `SET LOCAL` (and never plain `SET` or `set_config()`): a `SET LOCAL` value ends with its transaction —
 * on COMMIT, on ROLLBACK, and when the callback throws — so it cannot leak to other requests sharing a pooled
 * connection; it is safe behind PgBouncer in transaction mode (the whole transaction runs on one server
 * connection). On Citus (the `citus` extension is detected once per database) the transaction first runs
 * `SET LOCAL citus.propagate_set_commands = 'local'`, so the shards taking part get the settings too. Values are
 * inlined (SET takes no bind parameters) only after validation, so no user text reaches the SQL.
 *
 * When `db` is already a transaction, `fn` runs in a savepoint and the previous values are restored afterwards,
 * so the rest of the enclosing transaction keeps its settings. On node-postgres, a connection the server drops
 * during `fn` is discarded from the pool and the call rejects with the server's error (`code`, e.g. `57P01`).
 * One `pg.Client` shared by concurrent calls cannot isolate settings (its transactions interleave); use a `Pool`.
 *
 * @throws PgVectorError `INVALID_SEARCH_SETTING`, `EXTENSION_TOO_OLD`, `EXTENSION_MISSING`, `INVALID_DATABASE`
 *
 * @example
 * ```ts
 * const rows = await withVectorSettings(db, { efSearch: 100, iterativeScan: 'relaxed_order' }, (tx) =>
 *   tx.select().from(items).orderBy(cosineDistance(items.embedding, q)).limit(10),
 * );
 * // BEGIN
 * // SET LOCAL hnsw.ef_search = 100; SET LOCAL hnsw.iterative_scan = 'relaxed_order'
 * // select … from "items" order by "items"."embedding" <=> $1::vector(3) limit $2
 * // COMMIT
 * ```
 */
export async function withVectorSettings<TDb extends AnyPgDatabase, T>(
  db: TDb,
  settings: VectorSettings,
  fn: (tx: TransactionOf<TDb>) => Promise<T> | T,
): Promise<T> {
  const { values } = validateVectorSettings(settings, 'withVectorSettings');
  if (typeof fn !== 'function') {
    throw pgVectorError('INVALID_QUERY_OPTION', `withVectorSettings: the third argument must be a function (tx) => …, got ${describe(fn)}. Pass the queries to run with these settings as a callback.`, {
      received: describe(fn),
    });
  }
  dialectOf(db);
  if (needsVersionCheck(values)) checkSettingsVersion(values, await vectorVersion(db, driverOf(db)), 'withVectorSettings');
  return runWithSettings(db, values, fn);
}

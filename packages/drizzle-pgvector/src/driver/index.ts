import type { Driver } from './driver.js';
import { dialectOf, sessionKind, sessionOf, type AnyPgDatabase } from '../compat/index.js';
import { drizzleDriver } from './drizzle.js';
import { nodePostgresDriver } from './node-postgres.js';
import { pgliteDriver } from './pglite.js';
import { postgresJsDriver } from './postgres-js.js';

export type { Driver, DriverConnection, DriverKind, RowMapper } from './driver.js';
export { compileFragment, compileStatic, dialectOf, isTransaction, sessionOf, type AnyPgDatabase, type TransactionOf } from '../compat/index.js';
export { queryError } from './errors.js';
export { printedIdent, qualified, quoteIdent, relationName } from './identifiers.js';
export { rolledBack, type TransactionOpener } from './rolled-back.js';
export { booleanOf, rowsOf } from './rows.js';
export { isPgPool } from './node-postgres.js';

/** Drizzle's session class name → the driver for it. The only place that branches on driver classes. */
const BY_SESSION: Readonly<Record<string, (db: AnyPgDatabase, session: ReturnType<typeof sessionOf>) => Driver | undefined>> = {
  NodePgSession: nodePostgresDriver,
  PostgresJsSession: postgresJsDriver,
  PgliteSession: pgliteDriver,
};

const DRIVERS = new WeakMap<object, Driver>();

/**
 * @internal The driver for a Drizzle database or transaction, made once per object and cached.
 * @throws PgVectorError `INVALID_DATABASE` when `db` is not a Drizzle PostgreSQL database or transaction.
 */
export function driverOf(db: AnyPgDatabase): Driver {
  let driver = DRIVERS.get(db);
  if (driver === undefined) {
    dialectOf(db);
    const session = sessionOf(db);
    driver = BY_SESSION[sessionKind(session) ?? '']?.(db, session) ?? drizzleDriver(db, session);
    DRIVERS.set(db, driver);
  }
  return driver;
}
export { queryRows, rowQuery, statementOf, type RowQuery, type SqlExecutor, type TransactionalDatabase } from './executor.js';

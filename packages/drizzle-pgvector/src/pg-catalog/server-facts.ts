import { CITUS, SETTINGS_BASELINE_VERSION } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import { sql } from 'drizzle-orm';
import { queryRows, type Driver, type SqlExecutor } from '../driver/index.js';
import { dialectOf, type AnyPgDatabase } from '../compat/index.js';

/** What drizzle-pgvector needs to know about a database once: extension versions. */
export interface ServerFacts {
  /** `pg_extension.extversion` of `vector`; `undefined` when pgvector is not installed. */
  readonly vectorVersion: string | undefined;
  /** `pg_extension.extversion` of `citus`; `undefined` when this is not a Citus database. */
  readonly citusVersion: string | undefined;
}

const FACTS = new WeakMap<object, Promise<ServerFacts>>();

/**
 * @internal The installed pgvector and Citus versions, read with one query per Drizzle database (keyed by its
 * dialect, which its transactions share) and cached. A failed read (connection error) is retried next time; so is
 * a database without pgvector, which a migration may be about to fix.
 */
export function serverFacts(db: AnyPgDatabase, driver: Driver): Promise<ServerFacts> {
  const key = dialectOf(db);
  let pending = FACTS.get(key);
  if (pending === undefined) {
    pending = driver
      .query(`select extname, extversion from pg_extension where extname in ('vector', '${CITUS.extension}')`, [], (rows) => rows)
      .then((rows) => {
        const version = (name: string): string | undefined => {
          const value = rows.find((r) => r[0] === name)?.[1];
          return typeof value === 'string' ? value : undefined;
        };
        return Object.freeze({ vectorVersion: version('vector'), citusVersion: version(CITUS.extension) });
      });
    FACTS.set(key, pending);
    pending.then(
      (facts) => {
        if (facts.vectorVersion === undefined) FACTS.delete(key);
      },
      () => FACTS.delete(key),
    );
  }
  return pending;
}

/**
 * @internal The installed pgvector version.
 * @throws PgVectorError `EXTENSION_MISSING` when `vector` is not installed in the database.
 */
export async function vectorVersion(db: AnyPgDatabase, driver: Driver): Promise<string> {
  const { vectorVersion: version } = await serverFacts(db, driver);
  if (version === undefined) {
    throw pgVectorError(
      'EXTENSION_MISSING',
      `the pgvector extension is not installed in this database (pgvector ≥ ${SETTINGS_BASELINE_VERSION} is needed for search settings). Run CREATE EXTENSION vector (or ensureVectorExtension(db), or drizzle-pgvector migrations) first.`,
      {},
    );
  }
  return version;
}

/**
 * @internal pgvector as installed in the database now — its `extversion` and schema — read without the cache
 * (`CREATE EXTENSION` may just have run); undefined when it is not installed.
 *
 * ```sql
 * SELECT e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector';
 * ```
 */
export async function readVectorExtension(db: SqlExecutor): Promise<{ version: string; schema: string } | undefined> {
  const [row] = await queryRows<{ version: unknown; schema: unknown }>(
    db,
    sql`SELECT e.extversion AS version, n.nspname AS schema FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'`,
  );
  return row === undefined ? undefined : { version: String(row.version), schema: String(row.schema) };
}

/**
 * @internal The pgvector version the server could install (`pg_available_extensions.default_version`): null when
 * the server has no pgvector package, undefined when it cannot be read.
 */
export async function availableVectorVersion(db: SqlExecutor): Promise<string | null | undefined> {
  try {
    const rows = await queryRows<{ default_version: unknown }>(db, sql`SELECT default_version FROM pg_catalog.pg_available_extensions WHERE name = 'vector'`);
    const v = rows[0]?.default_version;
    return rows.length === 0 ? null : typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

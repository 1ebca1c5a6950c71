import { sql } from 'drizzle-orm';
import { queryRows, quoteIdent, type SqlExecutor } from '../driver/index.js';
import { availableVectorVersion, readVectorExtension } from './server-facts.js';

/** @internal The server's version and the `vector` extension: installed, available, and in which schema. */
export interface LiveServer {
  /** `server_version`, e.g. `17.2`. */
  readonly version: string;
  /** `server_version_num`, e.g. `170002`. */
  readonly versionNum: number;
  readonly extension: {
    /** `pg_extension.extversion`; undefined when pgvector is not installed in this database. */
    readonly installed: string | undefined;
    /** `pg_available_extensions.default_version`; undefined when the server has no pgvector to install. */
    readonly available: string | undefined;
    /** The schema the extension is installed in. */
    readonly schema: string | undefined;
  };
}

/** @internal One setting as a fresh session sees it. */
export interface LiveSetting {
  readonly name: string;
  /** As `SHOW` prints it (`64MB`, `40`); undefined when the server has no such setting (pgvector's, before it loads). */
  readonly value: string | undefined;
  /** `pg_settings.source`: `default`, `configuration file`, `database`, `user` … */
  readonly source: string | undefined;
}

const text = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));

/**
 * @internal The server version and the pgvector extension: installed (and where) and available — the extension's
 * facts from the one reader of each ({@link readVectorExtension}, {@link availableVectorVersion}).
 *
 * ```sql
 * SELECT current_setting('server_version'), current_setting('server_version_num');
 * SELECT e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n … WHERE e.extname = 'vector';
 * SELECT default_version FROM pg_available_extensions WHERE name = 'vector';
 * ```
 */
export async function readServer(db: SqlExecutor): Promise<LiveServer> {
  const [r] = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT pg_catalog.current_setting('server_version') AS version, pg_catalog.current_setting('server_version_num') AS num`,
  );
  const installed = await readVectorExtension(db);
  const available = await availableVectorVersion(db);
  return Object.freeze({
    version: text(r?.['version']) ?? '?',
    versionNum: Number(r?.['num'] ?? 0),
    extension: Object.freeze({ installed: installed?.version, available: available ?? undefined, schema: installed?.schema }),
  });
}

/**
 * @internal Load pgvector's library into the session, so that its settings (`hnsw.*`, `ivfflat.*`) exist: a
 * setting of a library not loaded yet is unknown to `current_setting` and `pg_settings`.
 *
 * ```sql
 * SELECT "public".vector_dims('[1]'::"public".vector);
 * ```
 */
export async function loadVectorLibrary(db: SqlExecutor, extensionSchema: string): Promise<void> {
  const schema = quoteIdent(extensionSchema);
  await db.execute(sql.raw(`SELECT ${schema}.vector_dims('[1]'::${schema}.vector)`));
}

/**
 * @internal The settings `names` in effect, in the order given (`value` undefined for a name the server does not
 * know). Load pgvector's library first to see its settings ({@link loadVectorLibrary}).
 *
 * ```sql
 * SELECT name, current_setting(name), source FROM pg_settings WHERE name = ANY ($1::text[]);
 * ```
 */
export async function readSettings(db: SqlExecutor, names: readonly string[]): Promise<LiveSetting[]> {
  if (names.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT s.name, pg_catalog.current_setting(s.name) AS value, s.source FROM pg_catalog.pg_settings s WHERE s.name = ANY (${`{${names.join(',')}}`}::text[])`,
  );
  return names.map((name) => {
    const row = rows.find((r) => r['name'] === name);
    return Object.freeze({ name, value: text(row?.['value']), source: text(row?.['source']) });
  });
}

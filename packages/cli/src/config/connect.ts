import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { CliError } from '../errors.js';
import type { ConnectionSpec } from './load-config.js';

/** An open database for a command. */
export interface OpenDatabase {
  readonly db: PgDatabase<PgQueryResultHKT>;
  /** `node-postgres` or `pglite`. */
  readonly driver: 'node-postgres' | 'pglite';
  /** Where it is, password hidden. */
  readonly description: string;
  close(): Promise<void>;
}

/** Hide the password of a connection URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

async function importOptional<T>(name: string, needed: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliError('DRIVER_MISSING', `${needed} needs the package ${name}: npm i ${name}`, { package: name }, error);
    }
    throw error;
  }
}

/**
 * Open the database: node-postgres (`pg.Pool`, up to 4 connections — index builds read their progress over a
 * second one) for a URL or credentials, PGlite with pgvector for a pglite data folder. A first `select 1` proves
 * the connection; a refusal becomes `CONNECTION_FAILED` with the driver's code.
 */
export async function connect(spec: ConnectionSpec): Promise<OpenDatabase> {
  if (spec.kind === 'pglite') {
    const { PGlite } = await importOptional<typeof import('@electric-sql/pglite')>('@electric-sql/pglite', `A pglite config (${spec.source})`);
    const { vector } = await importOptional<typeof import('@electric-sql/pglite-pgvector')>('@electric-sql/pglite-pgvector', `A pglite config (${spec.source})`);
    const { drizzle } = await import('drizzle-orm/pglite');
    let client: InstanceType<typeof PGlite>;
    try {
      client = await PGlite.create({ dataDir: spec.dataDir, extensions: { vector } });
    } catch (error) {
      throw new CliError('CONNECTION_FAILED', `Opening the PGlite data folder ${spec.dataDir} (${spec.source}) failed: ${error instanceof Error ? error.message : String(error)}`, { dataDir: spec.dataDir }, error);
    }
    return { db: drizzle({ client }) as unknown as PgDatabase<PgQueryResultHKT>, driver: 'pglite', description: `PGlite data folder ${spec.dataDir}`, close: () => client.close() };
  }
  const { default: pg } = await importOptional<{ default: typeof import('pg') }>('pg', `A database URL (${spec.source})`);
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const where = spec.kind === 'url' ? redactUrl(spec.url) : `postgres://${spec.params.user ?? ''}@${spec.params.host}:${spec.params.port ?? 5432}/${spec.params.database}`;
  const pool = new pg.Pool({ ...(spec.kind === 'url' ? { connectionString: spec.url } : spec.params as object), max: 4, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {
    // an idle client lost its connection: the next query reports it
  });
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const e = error as { code?: string; message?: string; errors?: { code?: string; message?: string }[] };
    const code = e.code ?? e.errors?.[0]?.code;
    const reason = e.message || e.errors?.map((x) => x.message).join('; ') || String(error);
    throw new CliError('CONNECTION_FAILED', `Cannot connect to ${where} (${spec.source}): ${reason}${code ? ` [${code}]` : ''}. Check the URL and that the server is running.`, { url: where, source: spec.source, driverCode: code }, error);
  }
  return { db: drizzle({ client: pool }) as unknown as PgDatabase<PgQueryResultHKT>, driver: 'node-postgres', description: where, close: () => pool.end() };
}

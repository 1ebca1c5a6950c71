import { connect, type OpenDatabase } from '../config/connect.js';
import { resolveConfig, type ConfigFlags, type ResolvedConfig } from '../config/load-config.js';
import { loadSchema, type SchemaTable } from '../config/load-schema.js';
import { CliError } from '../errors.js';

/** What a database command runs with. */
export interface CommandContext {
  readonly config: ResolvedConfig;
  readonly database: OpenDatabase;
  /** The schema's tables (empty when the command does not need the schema and none is configured). */
  readonly tables: readonly SchemaTable[];
}

/**
 * Resolve the config, load the schema (first: a broken schema fails before anything connects) and connect; run
 * `fn`; always close the connection.
 */
export async function withDatabase<T>(flags: ConfigFlags, schema: 'required' | 'optional', fn: (context: CommandContext) => Promise<T>): Promise<T> {
  const config = await resolveConfig(flags);
  const tables = schema === 'required' || config.schema.length > 0 ? await loadSchema(config.schema) : [];
  if (config.connection === undefined) {
    throw new CliError(
      'NO_DATABASE',
      `No database: pass --url postgres://…, set DATABASE_URL, or give ${config.configPath ?? 'drizzle.config.ts'} dbCredentials (url, host/database, or driver: 'pglite' with a data folder).`,
      { config: config.configPath },
    );
  }
  const database = await connect(config.connection);
  try {
    return await fn({ config, database, tables });
  } finally {
    await database.close();
  }
}

/** Run `fn` with an AbortSignal that fires on the first Ctrl-C (SIGINT / SIGTERM); a second one exits at once. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    count++;
    if (count > 1) process.exit(130);
    process.stderr.write(`\n${name}: cancelling (again to quit at once)…\n`);
    controller.abort(new CliError('INTERRUPTED', `Interrupted by ${name}.`, { signal: name }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

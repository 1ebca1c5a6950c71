import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { loadModule } from './load-module.js';

/** Where the database is: a connection URL, drizzle-kit's host/port/… credentials, or a PGlite data folder. */
export type ConnectionSpec =
  | { readonly kind: 'url'; readonly url: string; readonly source: string }
  | { readonly kind: 'params'; readonly params: PgParams; readonly source: string }
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly source: string };

/** drizzle-kit's `dbCredentials` without a URL (node-postgres names them the same way, except `user`). */
export interface PgParams {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database: string;
  readonly ssl?: unknown;
}

/** The global flags every database command takes. */
export interface ConfigFlags {
  config?: string;
  url?: string;
  schema?: string[];
}

/** What a command works on: the config file (if any), the schema patterns and where the database is. */
export interface ResolvedConfig {
  /** The config file read, absolute (undefined with `--url`/`--schema` only and no drizzle.config.* present). */
  readonly configPath: string | undefined;
  /** Schema paths or globs, as given (resolved against the working directory, like drizzle-kit). */
  readonly schema: readonly string[];
  readonly connection: ConnectionSpec | undefined;
}

/** The names drizzle-kit looks for when no `--config` is given. */
export const DEFAULT_CONFIG_FILES = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.cts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs'];

function findConfig(flags: ConfigFlags, cwd: string): string | undefined {
  if (flags.config !== undefined) {
    const path = isAbsolute(flags.config) ? flags.config : resolve(cwd, flags.config);
    if (!existsSync(path)) throw new CliError('CONFIG_NOT_FOUND', `--config ${flags.config}: no such file (looked for ${path}).`, { config: flags.config, path });
    return path;
  }
  return DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((p) => existsSync(p));
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/**
 * Read drizzle-kit's config (the same `drizzle.config.ts`, loaded with jiti) and apply the flags: `--schema`
 * replaces the config's `schema`; the database is `--url`, else the config's `dbCredentials` (`url`, or
 * `host`/`port`/`user`/`password`/`database`; with `driver: 'pglite'` the `url` is PGlite's data folder), else
 * `DATABASE_URL`.
 */
export async function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<ResolvedConfig> {
  const configPath = findConfig(flags, cwd);
  let config: Record<string, unknown> = {};
  if (configPath !== undefined) {
    let loaded: unknown;
    try {
      const mod = await loadModule(configPath);
      loaded = (mod as { default?: unknown }).default ?? mod;
    } catch (error) {
      throw new CliError('INVALID_CONFIG', `${configPath} failed to load: ${error instanceof Error ? error.message : String(error)}`, { config: configPath }, error);
    }
    if (loaded === null || typeof loaded !== 'object') {
      throw new CliError('INVALID_CONFIG', `${configPath} must export a config object (export default defineConfig({ … })), got ${typeof loaded}.`, { config: configPath });
    }
    config = loaded as Record<string, unknown>;
    if (config['dialect'] !== undefined && config['dialect'] !== 'postgresql') {
      throw new CliError('INVALID_CONFIG', `${configPath}: dialect is ${JSON.stringify(config['dialect'])}; drizzle-pgvector works with dialect: 'postgresql' only.`, {
        config: configPath,
        dialect: config['dialect'],
      });
    }
  }
  const schema = flags.schema && flags.schema.length > 0 ? flags.schema : stringList(config['schema']) ?? [];
  if (config['schema'] !== undefined && stringList(config['schema']) === undefined) {
    throw new CliError('INVALID_CONFIG', `${configPath}: schema must be a path or glob, or an array of them.`, { config: configPath });
  }
  return { configPath, schema, connection: connectionOf(flags, config, configPath, env, cwd) };
}

function connectionOf(flags: ConfigFlags, config: Record<string, unknown>, configPath: string | undefined, env: NodeJS.ProcessEnv, cwd: string): ConnectionSpec | undefined {
  if (flags.url !== undefined) return { kind: 'url', url: flags.url, source: '--url' };
  const credentials = config['dbCredentials'];
  const source = `${configPath} dbCredentials`;
  if (credentials !== undefined && credentials !== null) {
    if (typeof credentials !== 'object') throw new CliError('INVALID_CONFIG', `${source} must be an object.`, { config: configPath });
    const c = credentials as Record<string, unknown>;
    if (config['driver'] === 'pglite') {
      if (typeof c['url'] !== 'string') throw new CliError('INVALID_CONFIG', `${source}: with driver: 'pglite', url must be PGlite's data folder (a string).`, { config: configPath });
      return { kind: 'pglite', dataDir: isAbsolute(c['url']) ? c['url'] : resolve(cwd, c['url']), source };
    }
    if (typeof c['url'] === 'string') return { kind: 'url', url: c['url'], source };
    if (typeof c['host'] === 'string' && typeof c['database'] === 'string') {
      const port = c['port'] === undefined ? undefined : Number(c['port']);
      return {
        kind: 'params',
        params: {
          host: c['host'],
          database: c['database'],
          ...(port === undefined ? {} : { port }),
          ...(typeof c['user'] === 'string' ? { user: c['user'] } : {}),
          ...(typeof c['password'] === 'string' ? { password: c['password'] } : {}),
          ...(c['ssl'] === undefined ? {} : { ssl: c['ssl'] }),
        },
        source,
      };
    }
    if (c['url'] !== undefined || Object.keys(c).length > 0) {
      throw new CliError('INVALID_CONFIG', `${source} needs url, or host and database (drizzle-kit's postgresql credentials).`, { config: configPath });
    }
  } else if (config['driver'] === 'pglite') {
    throw new CliError('INVALID_CONFIG', `${configPath}: driver: 'pglite' needs dbCredentials: { url: '<data folder>' }.`, { config: configPath });
  }
  const url = env['DATABASE_URL'];
  if (url !== undefined && url !== '') return { kind: 'url', url, source: 'DATABASE_URL' };
  return undefined;
}

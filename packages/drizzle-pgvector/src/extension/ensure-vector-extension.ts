import { sql } from 'drizzle-orm';
import { FEATURE_VERSIONS, FEATURES, compareVersions, parseRequiredVersion, parseServerVersion, type ExtensionVersion } from '../catalog/index.js';
import { quoteIdent, type SqlExecutor } from '../driver/index.js';
import { availableVectorVersion, readVectorExtension } from '../pg-catalog/index.js';
import { describeServerError, pgVectorError, serverError } from '../errors/index.js';

/** A pgvector feature with a minimum version in the catalog's `FEATURE_VERSIONS`. */
export type VectorFeature = keyof typeof FEATURE_VERSIONS;

export interface EnsureVectorExtensionOptions {
  /**
   * Oldest acceptable pgvector version, `'major.minor.patch'` (e.g. `'0.7.0'` for halfvec/sparsevec/bit indexes,
   * `'0.8.0'` for iterative scans).
   */
  minVersion?: string;
  /** Features you rely on; their minimum versions (catalog `FEATURE_VERSIONS`) are required too. */
  features?: readonly VectorFeature[];
  /**
   * Run `CREATE EXTENSION IF NOT EXISTS vector` when the extension is not installed in this database. Default `true`.
   * Needs a role allowed to create it (pgvector is not a trusted extension: a superuser, or your provider's admin
   * role). With `false`, a missing extension is an error.
   */
  create?: boolean;
  /** Schema to create the extension in (`… WITH SCHEMA "extensions"`); default: the first schema of `search_path`. */
  schema?: string;
}

/** What {@link ensureVectorExtension} found (or created). */
export interface VectorExtensionInfo extends ExtensionVersion {
  /** True when this call ran `CREATE EXTENSION`. */
  readonly created: boolean;
  /** Schema the extension's objects live in, e.g. `public`. */
  readonly schema: string;
}

/**
 * Make sure pgvector is installed in the database (creating it when allowed) and recent enough, and return its
 * version. Works with any Drizzle PostgreSQL database: node-postgres, postgres.js, PGlite, …
 *
 * SQL it runs:
 * ```sql
 * SELECT e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector';
 * CREATE EXTENSION IF NOT EXISTS vector;            -- only when missing and `create` is not false
 * SELECT default_version FROM pg_available_extensions WHERE name = 'vector';  -- only to explain a failure
 * ```
 *
 * @throws PgVectorError `EXTENSION_MISSING` when pgvector is not installed in this database and could not (or may
 *   not) be created — the server's error is the `cause`; `EXTENSION_TOO_OLD` when the installed version is older
 *   than `minVersion` or a requested feature; `INVALID_EXTENSION_VERSION` for a `minVersion` that is not `x.y.z`.
 *
 * @example
 * ```ts
 * import { ensureVectorExtension } from 'drizzle-pgvector';
 *
 * const { version } = await ensureVectorExtension(db, { minVersion: '0.7.0' }); // e.g. '0.8.0'
 * await ensureVectorExtension(db, { features: ['iterativeScan'], create: false }); // needs 0.8.0, never creates
 * ```
 */
export async function ensureVectorExtension(db: SqlExecutor, options: EnsureVectorExtensionOptions = {}): Promise<VectorExtensionInfo> {
  const required = requiredVersion(options);
  let installed = await installedExtension(db);
  let created = false;
  if (installed === undefined) {
    if (options.create === false) {
      const available = await availableVectorVersion(db);
      throw pgVectorError(
        'EXTENSION_MISSING',
        `pgvector is not installed in this database and ensureVectorExtension was called with create: false. ${installAdvice(available)}`,
        { installed: false, availableVersion: available ?? null },
      );
    }
    try {
      await db.execute(
        options.schema === undefined
          ? sql`CREATE EXTENSION IF NOT EXISTS vector`
          : sql`CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA ${sql.raw(quoteIdent(options.schema))}`,
      );
    } catch (error) {
      const info = serverError(error);
      const available = await availableVectorVersion(db);
      const why =
        info.code === '42501'
          ? 'The role is not allowed to create it: pgvector is not a trusted extension, so CREATE EXTENSION needs a superuser (on managed services, the provider\'s admin role, e.g. rds_superuser / azure_pg_admin, or the dashboard\'s extension page). Ask an administrator to run CREATE EXTENSION vector once, or connect as such a role.'
          : installAdvice(available);
      throw pgVectorError(
        'EXTENSION_MISSING',
        `pgvector is not installed in this database and CREATE EXTENSION IF NOT EXISTS vector failed: ${describeServerError(info)}. ${why}`,
        { installed: false, availableVersion: available ?? null, sqlState: info.code ?? null },
        info.error,
      );
    }
    installed = await installedExtension(db);
    if (installed === undefined) {
      throw pgVectorError(
        'EXTENSION_MISSING',
        'CREATE EXTENSION IF NOT EXISTS vector succeeded but pg_extension has no vector row: is this a transaction that was rolled back, or a connection pool pointing at several databases?',
        { installed: false },
      );
    }
    created = true;
  }
  if (required !== undefined && compareVersions(installed, required) < 0) {
    const available = await availableVectorVersion(db);
    const availableParsed = available == null ? undefined : parseServerVersion(available);
    const features = tooNewFeatures(installed, required, options.features);
    const upgrade =
      availableParsed !== undefined && compareVersions(availableParsed, required) >= 0
        ? `The server already has pgvector ${available} available: run ALTER EXTENSION vector UPDATE; (or ALTER EXTENSION vector UPDATE TO '${available}';).`
        : `The server's pgvector package is ${available == null ? 'of unknown version' : `at ${available}`}: upgrade it to ${required.version} or newer (e.g. the postgresql-<major>-pgvector package, or your provider's pgvector version), then run ALTER EXTENSION vector UPDATE; in each database.`;
    throw pgVectorError(
      'EXTENSION_TOO_OLD',
      `pgvector ${installed.version} is installed but ${required.version} is required${features.length > 0 ? ` (${describeFeatures(features)})` : ''}. ${upgrade}`,
      {
        installedVersion: installed.version,
        requiredVersion: required.version,
        availableVersion: available ?? null,
        features: features.map((f) => f.feature),
      },
    );
  }
  return Object.freeze({ ...installed, created });
}

interface Installed extends ExtensionVersion {
  readonly schema: string;
}

async function installedExtension(db: SqlExecutor): Promise<Installed | undefined> {
  const row = await readVectorExtension(db);
  if (row === undefined) return undefined;
  const parsed = parseServerVersion(row.version);
  if (parsed === undefined) {
    throw pgVectorError('EXTENSION_TOO_OLD', `pgvector reports version ${JSON.stringify(row.version)}, which is not a version drizzle-pgvector understands.`, {
      installedVersion: row.version,
    });
  }
  return { ...parsed, schema: row.schema };
}

/**
 * `default_version` of pgvector in pg_available_extensions; `null` when the server does not have pgvector;
 * `undefined` when that could not be read (e.g. inside an aborted transaction).
 */

function installAdvice(available: string | null | undefined): string {
  if (available === undefined) {
    return 'Check pg_available_extensions for a "vector" row: if there is none, install pgvector on the database server (e.g. apt install postgresql-<major>-pgvector, brew install pgvector, the pgvector/pgvector Docker image, or enable it in your provider\'s console); then run CREATE EXTENSION vector; as a role allowed to.';
  }
  return available === null
    ? 'The server does not have pgvector (pg_available_extensions has no "vector" row): install it on the database server — e.g. apt install postgresql-<major>-pgvector, brew install pgvector, the pgvector/pgvector Docker image, or enable it in your provider\'s console — then run CREATE EXTENSION vector; (or call ensureVectorExtension(db) with a role allowed to create extensions).'
    : `The server has pgvector ${available} available: run CREATE EXTENSION vector; as a role allowed to (a superuser, or your provider's admin role), or call ensureVectorExtension(db) with create: true.`;
}

function requiredVersion(options: EnsureVectorExtensionOptions): ExtensionVersion | undefined {
  let best: ExtensionVersion | undefined;
  if (options.minVersion !== undefined) {
    best = parseRequiredVersion(options.minVersion, 'ensureVectorExtension({ minVersion })');
  }
  for (const feature of options.features ?? []) {
    const since = FEATURE_VERSIONS[feature];
    if (since === undefined) {
      throw pgVectorError(
        'INVALID_EXTENSION_VERSION',
        `ensureVectorExtension({ features }): unknown feature ${JSON.stringify(feature)}; use one of ${Object.keys(FEATURE_VERSIONS).map((f) => `'${f}'`).join(', ')}.`,
        { feature, allowed: Object.keys(FEATURE_VERSIONS) },
      );
    }
    const version = parseRequiredVersion(since, 'FEATURE_VERSIONS');
    if (best === undefined || compareVersions(version, best) > 0) best = version;
  }
  return best;
}

/** Features newer than `installed`: the requested ones, or — without a list — every feature up to `required`. */
function tooNewFeatures(
  installed: ExtensionVersion,
  required: ExtensionVersion,
  requested: readonly VectorFeature[] | undefined,
): { feature: VectorFeature; since: string }[] {
  const all = Object.entries(FEATURE_VERSIONS) as [VectorFeature, string][];
  return all
    .filter(([feature, since]) => {
      const v = parseRequiredVersion(since, 'FEATURE_VERSIONS');
      if (compareVersions(v, installed) <= 0) return false;
      return requested === undefined ? compareVersions(v, required) <= 0 : requested.includes(feature);
    })
    .map(([feature, since]) => ({ feature, since }));
}

/** "iterative index scans need 0.8.0; halfvec, sparsevec and bit indexing need 0.7.0" (newest first). */
function describeFeatures(features: { feature: VectorFeature; since: string }[]): string {
  const bySince = new Map<string, string[]>();
  for (const { feature, since } of features) bySince.set(since, [...(bySince.get(since) ?? []), FEATURES[feature].label]);
  return [...bySince.entries()]
    .sort(([a], [b]) => compareVersions(parseRequiredVersion(b, ''), parseRequiredVersion(a, '')))
    .map(([since, labels]) => `${joinList(labels)} need${labels.length === 1 && !labels[0]!.endsWith('s') ? 's' : ''} ${since}`)
    .join('; ');
}

function joinList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

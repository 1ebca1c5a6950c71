import { sql, type SQL } from 'drizzle-orm';
import { SETTING_VALIDATION_SINCE, SETTINGS, SETTINGS_BASELINE_VERSION, versionAtLeast, type SettingInfo, type SettingKey, type SettingValue } from '../catalog/index.js';
import { closestName, describe, pgVectorError } from '../errors/index.js';

/**
 * pgvector's seven query-time settings (and no others), by drizzle-pgvector key. Ranges, defaults and the
 * pgvector version each needs come from the catalog's `SETTINGS` (pgvector's own GUC definitions); the keys and
 * value types below are checked against it at compile time.
 */
export interface VectorSettings {
  /** `hnsw.ef_search` (1..1000, default 40): candidate list size; an HNSW scan without iterative scan returns at most this many rows. */
  efSearch?: number;
  /** `hnsw.iterative_scan` (pgvector ≥ 0.8): keep scanning until enough rows pass the filter. `relaxed_order` results need re-sorting. */
  iterativeScan?: 'off' | 'strict_order' | 'relaxed_order';
  /** `hnsw.max_scan_tuples` (1..2147483647, default 20000): stop an iterative scan after visiting this many tuples. */
  maxScanTuples?: number;
  /** `hnsw.scan_mem_multiplier` (1..1000, default 1): memory for an iterative scan, as a multiple of `work_mem`. */
  scanMemMultiplier?: number;
  /** `ivfflat.probes` (1..32768, default 1): lists searched; start at sqrt(lists). */
  probes?: number;
  /** `ivfflat.max_probes` (1..32768, default 32768): most lists an iterative IVFFlat scan visits. */
  maxProbes?: number;
  /** `ivfflat.iterative_scan` (pgvector ≥ 0.8): `relaxed_order` only (IVFFlat has no strict order). */
  ivfflatIterativeScan?: 'off' | 'relaxed_order';
}

/** A key of {@link VectorSettings}: a catalog setting key. */
export type VectorSettingKey = SettingKey;

// Compile-time check: VectorSettings has exactly the catalog's keys, each with the catalog's value type.
type CatalogSettings = { [K in SettingKey]?: SettingValue<K> };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const SETTINGS_MATCH_CATALOG: Same<Required<VectorSettings>, Required<CatalogSettings>> = true;
void SETTINGS_MATCH_CATALOG;

/** One validated setting, ready to be inlined into `SET LOCAL`. */
export interface VectorSettingValue {
  readonly key: VectorSettingKey;
  /** The GUC, e.g. `hnsw.ef_search`. */
  readonly guc: string;
  /** The value as SQL text: `100`, `1.5` or `'strict_order'` (validated, never user text). */
  readonly sqlValue: string;
  /** The value as PostgreSQL reports it (`current_setting`): `100`, `1.5`, `strict_order`. */
  readonly value: string;
  /** The catalog row. */
  readonly info: SettingInfo;
}

/** Result of {@link validateVectorSettings}. */
export interface ValidatedVectorSettings {
  /** The settings that were given, in catalog order. */
  readonly values: readonly VectorSettingValue[];
  /** One `SET LOCAL <guc> = <value>` statement per setting, in catalog order. */
  readonly statements: readonly string[];
}

const SETTING_KEYS = SETTINGS.map((s) => s.key);

function keyHint(key: string): string {
  const lower = key.toLowerCase();
  const byGuc = SETTINGS.find((s) => s.guc === key || s.guc.split('.')[1] === key);
  if (byGuc && byGuc.key !== key) return ` Use '${byGuc.key}' (it sets ${byGuc.guc}).`;
  const near = closestName(key, SETTING_KEYS);
  if (near) return ` Did you mean '${near}'?`;
  if (lower.includes('seqscan') || lower.includes('indexscan') || lower.startsWith('enable')) {
    return ' drizzle-pgvector only sets pgvector\'s own settings; set planner settings yourself inside withVectorSettings (SET LOCAL …).';
  }
  return '';
}

function rangeText(info: SettingInfo): string {
  if (info.kind === 'enum') return `one of ${info.values!.map((v) => `'${v}'`).join(', ')}`;
  return `${info.kind === 'integer' ? 'an integer' : 'a finite number'} from ${info.min} to ${info.max}`;
}

function checkValue(info: SettingInfo, value: unknown, context: string): VectorSettingValue {
  const fail = (extra = ''): never => {
    throw pgVectorError(
      'INVALID_SEARCH_SETTING',
      `${context}: ${info.key} (${info.guc}) must be ${rangeText(info)}, got ${typeof value === 'string' ? JSON.stringify(value) : describe(value)}.${extra} Pass e.g. ${info.key}: ${
        info.kind === 'enum' ? `'${info.values![info.values!.length - 1]}'` : String(info.default)
      } (pgvector's default is ${JSON.stringify(info.default)}).`,
      { key: info.key, guc: info.guc, value, kind: info.kind, min: info.min, max: info.max, values: info.values },
    );
  };
  switch (info.kind) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < info.min! || value > info.max!) fail();
      return freezeValue(info, String(value), String(value));
    case 'real':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < info.min! || value > info.max!) fail();
      return freezeValue(info, String(value), String(value));
    case 'enum': {
      if (typeof value !== 'string' || !info.values!.includes(value)) {
        const other = SETTINGS.find((s) => s.kind === 'enum' && s !== info && typeof value === 'string' && s.values!.includes(value));
        fail(other ? ` ('${String(value)}' is a value of ${other.key} / ${other.guc}.)` : '');
      }
      return freezeValue(info, `'${value as string}'`, value as string);
    }
  }
}

function freezeValue(info: SettingInfo, sqlValue: string, value: string): VectorSettingValue {
  return Object.freeze({ key: info.key, guc: info.guc, sqlValue, value, info });
}

/** @internal `SET LOCAL <guc> = <value>`. */
export function setLocalStatement(value: VectorSettingValue): string {
  return `SET LOCAL ${value.guc} = ${value.sqlValue}`;
}

/**
 * Validate pgvector settings without touching the database: every key must be one of the seven
 * {@link VectorSettings} keys and every value within pgvector's range (integers as integers, the real
 * `scanMemMultiplier` as a finite number, enums from their value list). `undefined` values are ignored.
 *
 * @param context names the caller in error messages.
 * @throws PgVectorError `INVALID_SEARCH_SETTING` naming the key, the value, the allowed range and the fix.
 *
 * @example
 * ```ts
 * validateVectorSettings({ efSearch: 100, iterativeScan: 'relaxed_order' }).statements;
 * // ["SET LOCAL hnsw.ef_search = 100", "SET LOCAL hnsw.iterative_scan = 'relaxed_order'"]
 * validateVectorSettings({ efSearch: 0 });
 * // throws INVALID_SEARCH_SETTING: efSearch (hnsw.ef_search) must be an integer from 1 to 1000, got number 0. …
 * ```
 */
export function validateVectorSettings(settings: VectorSettings | undefined, context = 'vector settings'): ValidatedVectorSettings {
  if (settings === undefined) return EMPTY;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw pgVectorError(
      'INVALID_SEARCH_SETTING',
      `${context}: settings must be an object like { efSearch: 100 }, got ${describe(settings)}. Keys: ${SETTING_KEYS.join(', ')}.`,
      { received: describe(settings), allowed: SETTING_KEYS },
    );
  }
  const given = settings as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !SETTINGS.some((s) => s.key === key)) {
      throw pgVectorError(
        'INVALID_SEARCH_SETTING',
        `${context}: unknown setting '${key}' (value ${describe(given[key])}).${keyHint(key)} pgvector's settings are ${SETTING_KEYS.join(', ')}.`,
        { key, value: given[key], allowed: SETTING_KEYS },
      );
    }
  }
  const values: VectorSettingValue[] = [];
  for (const info of SETTINGS) {
    const value = given[info.key];
    if (value !== undefined) values.push(checkValue(info, value, context));
  }
  if (values.length === 0) return EMPTY;
  return Object.freeze({ values: Object.freeze(values), statements: Object.freeze(values.map(setLocalStatement)) });
}

const EMPTY: ValidatedVectorSettings = Object.freeze({ values: Object.freeze([]), statements: Object.freeze([]) });

/**
 * The `SET LOCAL` statements for `settings` as Drizzle SQL (validated; values inlined because `SET` takes no
 * bind parameters). Run them first thing inside your own `db.transaction(...)`.
 *
 * @throws PgVectorError `INVALID_SEARCH_SETTING`
 *
 * @example
 * ```ts
 * await db.transaction(async (tx) => {
 *   for (const statement of vectorSettingsSql({ probes: 10 })) await tx.execute(statement);
 *   // SET LOCAL ivfflat.probes = 10
 *   return tx.select().from(items).orderBy(l2Distance(items.embedding, q)).limit(5);
 * });
 * ```
 */
export function vectorSettingsSql(settings: VectorSettings): SQL[] {
  return validateVectorSettings(settings, 'vectorSettingsSql').statements.map((s) => sql.raw(s));
}

/** @internal Fail with EXTENSION_TOO_OLD when a setting is newer than the installed pgvector. */
export function checkSettingsVersion(values: readonly VectorSettingValue[], version: string, context: string): void {
  for (const value of values) {
    if (!versionAtLeast(version, value.info.sinceVersion)) {
      throw pgVectorError(
        'EXTENSION_TOO_OLD',
        `${context}: ${value.key} (${value.guc}) needs pgvector ${value.info.sinceVersion}, but this database has ${version}; older versions would ${
          versionAtLeast(version, SETTING_VALIDATION_SINCE) ? 'reject it' : 'silently ignore it'
        }. Upgrade pgvector (then ALTER EXTENSION vector UPDATE) or drop the setting.`,
        { key: value.key, guc: value.guc, required: value.info.sinceVersion, installed: version },
      );
    }
  }
}

/** @internal True when checking `values` against the installed version could fail (anything newer than HNSW itself). */
export function needsVersionCheck(values: readonly VectorSettingValue[]): boolean {
  return values.some((v) => !versionAtLeast(SETTINGS_BASELINE_VERSION, v.info.sinceVersion));
}


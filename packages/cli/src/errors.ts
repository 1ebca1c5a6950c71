import { PgVectorError } from 'drizzle-pgvector';

/**
 * The CLI's own errors (configuration, arguments, connection), with stable codes like the library's
 * `PgVectorError`. Every failure the CLI reports carries one code: a `CliError` code or a `PgVectorError` code.
 */
export type CliErrorCode =
  /** A flag or argument that is missing, not a number, or outside its range (checked before anything runs). */
  | 'INVALID_ARGUMENT'
  /** `--config` names a file that does not exist, or the config file failed to load. */
  | 'CONFIG_NOT_FOUND'
  | 'INVALID_CONFIG'
  /** No schema: neither `--schema` nor the config's `schema`, or its paths/globs match no file. */
  | 'SCHEMA_NOT_FOUND'
  /** A schema file failed to load (syntax error, missing import). */
  | 'SCHEMA_LOAD_FAILED'
  /** No database: neither `--url`, the config's `dbCredentials`, nor `DATABASE_URL`. */
  | 'NO_DATABASE'
  /** The database refused or could not be reached (the driver's code, e.g. ECONNREFUSED or 28P01, in details). */
  | 'CONNECTION_FAILED'
  /** The driver the configuration needs (`pg`, or `@electric-sql/pglite` + `@electric-sql/pglite-pgvector`) is not installed. */
  | 'DRIVER_MISSING'
  /** `tune <table.column>` / `build <index>` name a table, column or index the schema does not declare. */
  | 'UNKNOWN_TARGET'
  /** Ctrl-C (SIGINT) before the command finished. */
  | 'INTERRUPTED';

/** Exit codes of every command. */
export const EXIT = Object.freeze({
  /** Done; nothing needs action. */
  ok: 0,
  /** `doctor`: something needs action. `tune`: the target recall was not reached on the validation queries. */
  actionNeeded: 1,
  /** Bad usage, configuration or input, a connection error, or a library error (its code is printed). */
  error: 2,
});

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: CliErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CliError';
    this.code = code;
    this.details = details;
  }
}

/** What every failed command reports (printed as text, or as `error` in the JSON document). */
export interface ErrorReport {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** A CliError or PgVectorError as an {@link ErrorReport}; anything else is `INTERNAL_ERROR`. */
export function errorReport(error: unknown): ErrorReport {
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && (error.name === 'CliError' || error.name === 'PgVectorError')) {
    const e = error as Error & { code: string; details?: Record<string, unknown> };
    return { code: e.code, name: e.name, message: e.message, details: jsonSafe(e.details ?? {}) as Record<string, unknown> };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL_ERROR', name: error instanceof Error ? error.name : 'Error', message, details: {} };
}

/** Values JSON cannot print (bigint, SQL objects, cycles) made printable. */
export function jsonSafe(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (seen.has(value)) return '[circular]';
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!Array.isArray(value) && proto !== null && proto !== Object.prototype) return value instanceof Error ? value.message : String(value);
  // `seen` holds the ancestors only: a value shared by two branches (not a cycle) is printed in both.
  seen.add(value);
  const out = Array.isArray(value) ? value.map((v) => jsonSafe(v, seen)) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v, seen)]));
  seen.delete(value);
  return out;
}

const unquote = (value: string): string => value.replace(/'([^']*)'/g, '$1').replace(/ \| /g, '|');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A library error as the CLI reports it: the same code and details, with the library's option names in its message
 * replaced by the command's flags (`{ metric }` → `--metric`, `targetRecall: 0.95` → `--recall 0.95`,
 * `sampleSize must …` → `--sample must …`), and `details.flag` when `details.option` has one. Other errors pass through.
 */
export function withFlags(error: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!PgVectorError.is(error)) return error;
  let message = error.message;
  for (const [option, flag] of Object.entries(flags)) {
    const name = escape(option);
    message = message
      .replace(new RegExp(`\\{ ${name} \\}`, 'g'), flag)
      .replace(new RegExp(`\\{ ${name}: ([^}]*) \\}`, 'g'), (_m, value: string) => `${flag} ${unquote(value)}`)
      .replace(new RegExp(`\\b${name}: ('[^']*'(?: or '[^']*')*|[^\\s,;)]+)`, 'g'), (_m, value: string) => `${flag} ${unquote(value)}`)
      .replace(new RegExp(`(^|: |\\. )${name} (must|is required)`, 'g'), `$1${flag} $2`);
    if (/[A-Z]/.test(option)) message = message.replace(new RegExp(`\\b${name}\\b`, 'g'), flag);
  }
  const option = error.details['option'];
  const flag = typeof option === 'string' ? flags[option] : undefined;
  return new PgVectorError(error.code, message, { details: flag === undefined ? error.details : { ...error.details, flag }, cause: error });
}

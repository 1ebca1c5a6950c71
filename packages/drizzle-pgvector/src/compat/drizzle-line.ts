import type { DrizzleEntityClass } from 'drizzle-orm';
import * as pgCore from 'drizzle-orm/pg-core';

/**
 * Which drizzle-orm line is installed, found by feature (never by version string), and what differs between the
 * lines at run time. The files of `src/compat/` are the only ones that know there are two lines.
 *
 * | | 0.45.x | 1.0 (rc.5) |
 * | --- | --- | --- |
 * | transaction class | `PgTransaction` | `PgAsyncTransaction` (no `PgTransaction` export) |
 * | `session.prepareQuery` | `(query, fields, name, arrayMode, mapper)` | `(query, mode: 'raw' \| 'arrays' \| 'objects', name, mapper)` |
 * | session constructor | `(client, dialect, schema, options)` | `(client, dialect, relations, options)` |
 * | `SQL#toQuery` config | `casing`, escapes | escapes and `codecs` |
 * | migrations table | `id, hash, created_at` | `id, hash, created_at, name, applied_at` |
 * | built-in `vector(…)` column's typmod | `dimensions` | `length` (`vectorDimensions` for sparsevec; `dimensions` = array depth) |
 * | json/jsonb `mapToDriverValue` | `JSON.stringify` | none (the driver codec stringifies) |
 * | index `with` in drizzle-kit | a map (ours holds strings, as the catalog reports) | one `k=v, …` string; same text from both |
 * | migrations folder drizzle-kit writes | `meta/_journal.json` + `NNNN_name.sql` | `<timestamp>_name/migration.sql` + `snapshot.json` |
 *
 * Column and index builders need no branch at run time: they are written so both lines read them the same way (see
 * `columns/vector-columns.ts`, `indexes/vector-index.ts`). The type-level differences (database class, column
 * builder config) are in `drizzle-types.ts`.
 */

/** `'1'` when drizzle-orm/pg-core has the 1.0 line's async classes, else `'0.45'`. */
export type DrizzleLine = '0.45' | '1';

const core = pgCore as unknown as Record<string, unknown>;

/** The installed drizzle-orm line, detected once from what `drizzle-orm/pg-core` exports. */
export const drizzleLine: DrizzleLine = typeof core['PgAsyncTransaction'] === 'function' ? '1' : '0.45';

/** The class every PostgreSQL transaction of this line extends (for `is(db, …)`). */
export const PG_TRANSACTION_CLASS = (core['PgAsyncTransaction'] ?? core['PgTransaction']) as DrizzleEntityClass<object>;

/** A query as Drizzle's sessions take it. */
export interface QueryLike {
  sql: string;
  params: unknown[];
}

/** What Drizzle's prepared queries look like from the outside (all drivers, both lines). */
export interface PreparedLike {
  execute(placeholderValues?: Record<string, unknown>): Promise<unknown>;
}

/**
 * @internal Prepare `query` on a Drizzle session: rows as arrays mapped by `map` (`'arrays'`), or the driver's whole
 * result (`'raw'`, e.g. node-postgres' `QueryResult`). `simple`: never a named/prepared statement, so several
 * `;`-separated statements may go in one simple-protocol query.
 */
export function prepareOn(
  session: { prepareQuery: (...args: never[]) => PreparedLike },
  query: QueryLike,
  mode: 'arrays' | 'raw',
  map?: (rows: unknown[][]) => unknown,
  simple = false,
): PreparedLike {
  const prepare = session.prepareQuery as unknown as (...args: unknown[]) => PreparedLike;
  if (drizzleLine === '1') {
    // 1.0: (query, mode, name, mapper); name `false` = not prepared (postgres.js: `{ prepare: false }`).
    return prepare.call(session, query, mode, simple ? false : undefined, mode === 'arrays' ? map : undefined);
  }
  // 0.45: (query, fields, name, isResponseInArrayMode, customResultMapper).
  return prepare.call(session, query, undefined, undefined, mode === 'arrays', mode === 'arrays' ? map : undefined);
}

/** @internal The third constructor argument of a session (0.45: `schema`, 1.0: `relations`). */
export function sessionSchemaArgument(session: { schema?: unknown; relations?: unknown }): unknown {
  return drizzleLine === '1' ? session.relations : session.schema;
}

/**
 * @internal The typmod of one of Drizzle's own pgvector columns (`vector`, `halfvec`, `sparsevec`, `bit` from
 * drizzle-orm/pg-core), built or as the extra-config callback sees it (then only its `config` has it).
 */
export function builtinVectorDimensions(column: object): number | undefined {
  const c = column as Record<string, unknown> & { config?: Record<string, unknown> };
  const keys = drizzleLine === '1' ? ['length', 'vectorDimensions'] : ['dimensions'];
  for (const key of keys) {
    const value = c[key] ?? c.config?.[key];
    if (typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

/** @internal Whether a migrations table this line's `migrate()` creates has 1.0's `name` / `applied_at` columns. */
export const NEW_MIGRATIONS_TABLE_HAS_NAME = drizzleLine === '1';

/** @internal The migrations folder layout this line's drizzle-kit writes (for a folder that has none yet). */
export const NEW_MIGRATIONS_LAYOUT: 'journal' | 'folders' = drizzleLine === '1' ? 'folders' : 'journal';

/**
 * @internal True when a Drizzle json/jsonb column leaves `JSON.stringify` to the driver (1.0: its `mapToDriverValue`
 * is Drizzle's no-op and it names a `codec`), so code that writes the JSON text itself (binary COPY) must stringify.
 * Found from the column, not the line: 0.45's columns stringify in `mapToDriverValue`.
 */
export function jsonLeftToDriver(column: object): boolean {
  const c = column as { mapToDriverValue?: { isNoop?: unknown }; codec?: unknown };
  return c.mapToDriverValue?.isNoop === true && typeof c.codec === 'string';
}

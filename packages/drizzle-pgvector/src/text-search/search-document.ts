import { Column, getTableName, is, sql, type SQL, type Table } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { checkOptionKeys, describe, pgVectorError } from '../errors/index.js';
import { quoteIdent } from '../driver/identifiers.js';
import { QUOTED_KEYWORDS } from './quoted-keywords.js';

/** A `tsvector` weight: `A` (most important) to `D` (the default of unweighted text). */
export type SearchWeight = 'A' | 'B' | 'C' | 'D';

/** Options of {@link searchDocument}: the text search configuration and the columns, weighted or not. */
export type SearchDocumentOptions =
  | {
      /** Text search configuration, e.g. `'english'`, `'simple'` (a lowercase name; `\dF` lists them). */
      config: string;
      /** Columns by weight: `{ A: t.title, B: [t.summary, t.tags], D: t.body }`. */
      weights: Partial<Record<SearchWeight, PgColumn | readonly PgColumn[]>>;
      columns?: undefined;
    }
  | {
      config: string;
      /** Columns without weights (all `D`), in order. */
      columns: readonly PgColumn[];
      weights?: undefined;
    };

const WEIGHTS: readonly SearchWeight[] = ['A', 'B', 'C', 'D'];
const OPTION_KEYS = ['config', 'weights', 'columns'];
/** A configuration name PostgreSQL prints back unchanged (`'english'::regconfig`). */
const CONFIG_NAME = /^[a-z_][a-z0-9_]*$/;
/** Column types whose text `to_tsvector` reads, and how PostgreSQL prints `COALESCE(col, '')` for each. */
const TEXT_TYPES: readonly { match: RegExp; coalesce: (name: string) => string }[] = [
  { match: /^text$/, coalesce: (name) => `COALESCE(${name}, ''::text)` },
  { match: /^(varchar|character varying)(\(\d+\))?$/, coalesce: (name) => `(COALESCE(${name}, ''::character varying))::text` },
];
/** Names PostgreSQL prints without quotes: lowercase identifiers that are not keywords it quotes. */
const BARE_NAME = /^[a-z_][a-z0-9_]*$/;

function invalid(problem: string, fix: string, details: Record<string, unknown>): never {
  throw pgVectorError('INVALID_SEARCH_DOCUMENT', `searchDocument(): ${problem}. ${fix}`, details);
}

/** The column's name as PostgreSQL prints it in a stored expression (unqualified; quoted only when needed). */
function columnName(name: string): string {
  return BARE_NAME.test(name) && !QUOTED_KEYWORDS.has(name) ? name : quoteIdent(name);
}

/** The column's table (a typed field on 0.45's `PgColumn`, not on 1.0's; present at run time on both). */
function tableOf(column: PgColumn): Table {
  return (column as unknown as { table: Table }).table;
}

interface Part {
  column: PgColumn;
  weight: SearchWeight | undefined;
}

function checkColumn(value: unknown, where: string): PgColumn {
  if (!is(value, Column)) {
    invalid(`${where} is ${describe(value)}, not a column`, 'Pass columns of the table, e.g. { A: t.title }', { at: where, received: describe(value) });
  }
  return value as PgColumn;
}

function partsOf(options: SearchDocumentOptions): Part[] {
  if (options.weights !== undefined && options.columns !== undefined) {
    invalid('pass either weights or columns, not both', 'Use { weights: { A: t.title, B: t.body } } or { columns: [t.title, t.body] }', {});
  }
  if (options.columns !== undefined) {
    if (!Array.isArray(options.columns)) invalid(`columns is ${describe(options.columns)}`, 'Pass an array of text columns', { received: describe(options.columns) });
    return options.columns.map((c, i) => ({ column: checkColumn(c, `columns[${i}]`), weight: undefined }));
  }
  const weights: unknown = options.weights;
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
    invalid(`weights is ${describe(weights)}`, "Pass { weights: { A: t.title, B: t.body } } (or { columns: [...] } without weights)", { received: describe(weights) });
  }
  for (const key of Object.keys(weights)) {
    if (!(WEIGHTS as readonly string[]).includes(key)) {
      const hint = (WEIGHTS as readonly string[]).includes(key.toUpperCase()) ? ` Did you mean '${key.toUpperCase()}'?` : '';
      invalid(`weight ${JSON.stringify(key)} is not one of A, B, C, D`, `Weights are A (highest) to D (lowest).${hint}`, { weight: key, allowed: WEIGHTS });
    }
  }
  const byWeight = weights as Partial<Record<SearchWeight, unknown>>;
  return WEIGHTS.flatMap((weight) => {
    const value = byWeight[weight];
    if (value === undefined) return [];
    const list: unknown[] = Array.isArray(value) ? value : [value];
    if (list.length === 0) invalid(`weight ${weight} has an empty column list`, `Give weight ${weight} at least one column, or leave it out`, { weight });
    return list.map((c, i) => ({ column: checkColumn(c, Array.isArray(value) ? `weights.${weight}[${i}]` : `weights.${weight}`), weight }));
  });
}

/**
 * The weighted document of a full-text search, for a generated `tsvector` column: `to_tsvector(config, column)` of
 * each text column (a NULL reads as empty text), labelled with its weight by `setweight`, concatenated in weight
 * order A → D. Everything is inlined (a generated column cannot take parameters) and written exactly as PostgreSQL
 * prints the stored expression back, so drizzle-kit `generate` and `push` find no difference on the next run.
 * The columns must be `text` or `varchar` columns of one table.
 *
 * @throws PgVectorError `INVALID_SEARCH_DOCUMENT`: a `config` that is not a lowercase name, a weight other than
 *   A–D, no columns (or an empty list for a weight), a column given twice, a column that is not text/varchar,
 *   columns of different tables, unknown options.
 *
 * @example
 * ```ts
 * search: tsvector('search').generatedAlwaysAs((): SQL => searchDocument({ config: 'english', weights: { A: docs.title, B: docs.body } })),
 * // (setweight(to_tsvector('english'::regconfig, COALESCE(title, ''::text)), 'A'::"char")
 * //   || setweight(to_tsvector('english'::regconfig, COALESCE(body, ''::text)), 'B'::"char"))
 * searchDocument({ config: 'simple', columns: [docs.title] });
 * // to_tsvector('simple'::regconfig, COALESCE(title, ''::text))
 * ```
 */
export function searchDocument(options: SearchDocumentOptions): SQL<string> {
  if (typeof options !== 'object' || options === null) {
    invalid(`options must be an object, got ${describe(options)}`, "Pass { config: 'english', weights: { A: t.title } }", { received: describe(options) });
  }
  checkOptionKeys('searchDocument()', options, OPTION_KEYS, 'INVALID_SEARCH_DOCUMENT');
  const { config } = options;
  if (typeof config !== 'string' || !CONFIG_NAME.test(config)) {
    invalid(
      `config ${typeof config === 'string' ? JSON.stringify(config) : describe(config)} is not a text search configuration name`,
      "Pass a lowercase configuration name such as 'english' or 'simple' (SELECT cfgname FROM pg_ts_config lists them)",
      { config },
    );
  }
  const parts = partsOf(options);
  if (parts.length === 0) invalid('no columns given', "Give at least one text column: { weights: { A: t.title } } or { columns: [t.title] }", {});
  const seen = new Set<PgColumn>();
  let table: Table | undefined;
  const pieces = parts.map(({ column, weight }) => {
    const columnTable = tableOf(column);
    const name = `"${getTableName(columnTable)}"."${column.name}"`;
    if (seen.has(column)) invalid(`column ${name} is given twice`, 'Give each column once, under one weight', { column: column.name });
    seen.add(column);
    if (table !== undefined && columnTable !== table) {
      invalid(`column ${name} belongs to another table than "${getTableName(table)}"`, "A generated column reads its own table's columns only", { column: column.name });
    }
    table = columnTable;
    const sqlType = column.getSQLType();
    const textType = TEXT_TYPES.find((t) => t.match.test(sqlType));
    if (textType === undefined) {
      invalid(`column ${name} is ${sqlType}, not text`, 'Pass text or varchar columns (cast others in your own sql`` expression)', { column: column.name, type: sqlType });
    }
    const document = `to_tsvector('${config}'::regconfig, ${textType.coalesce(columnName(column.name))})`;
    return weight === undefined ? document : `setweight(${document}, '${weight}'::"char")`;
  });
  const expression = pieces.slice(1).reduce((left, right) => `(${left} || ${right})`, pieces[0]!);
  return sql.raw(expression) as SQL<string>;
}

import { Column, is, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { compileFragment, compileStatic, dialectOf, type AnyPgDatabase } from '../../driver/index.js';
import { checkOptionKeys, describe, pgVectorError } from '../../errors/index.js';
import { resolveTarget } from '../../targets/index.js';
import { prepare, type Prepared } from '../nearest/compile.js';
import { invalid } from '../nearest/options.js';
import { selectionFor, type Field } from '../nearest/selection.js';
import { primaryKeyOf } from '../table-key.js';
import { NEAREST_MAX_K } from '../nearest/types.js';

/**
 * From `hybridSearch` options to one statement: the vector branch is `nearest`'s own compiled search (for
 * `candidates` rows, with the row key and the selected fields), the text branch a `@@` match ranked by
 * `ts_rank_cd`, both materialised CTEs fused by reciprocal rank in the outer query. Everything is validated
 * before any SQL runs.
 */

/** Largest `k` of a hybrid search. */
export const HYBRID_MAX_K = 1000;
const RRF_DEFAULT = 60;
const RRF_MAX = 1000;
const OPTION_KEYS = ['vector', 'text', 'k', 'candidates', 'select', 'where', 'fusion'];
const VECTOR_KEYS = ['target', 'query', 'metric', 'settings', 'strategy'];
const TEXT_KEYS = ['target', 'query', 'config'];
const FUSION_KEYS = ['method', 'k', 'weights'];
/** Result keys every row has; a `select` key may not take them. */
const SCORE_KEYS = ['score', 'vectorRank', 'textRank', 'distance', 'textScore'];
const TEXT_TYPES = /^(text|varchar|character varying|char|character|bpchar)(\(\d+\))?$/;
const CONFIG_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
/** The branch key's select key inside the vector branch (never a user's key: it starts with a control character). */
const KEY = '\u0001key';

/** @internal A hybrid search ready to run. */
export interface PreparedHybrid {
  readonly text: string;
  readonly params: unknown[];
  readonly statements: readonly string[];
  readonly plain: boolean;
  readonly mapRows: (rows: unknown[][]) => Record<string, unknown>[];
  readonly vector: Prepared;
  readonly candidates: number;
}

function objectOf(fn: string, name: string, value: unknown, keys: readonly string[], example: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    invalid(fn, `${name} must be an object like ${example}, got ${describe(value)}.`, { option: name, received: describe(value) });
  }
  const o = value as Record<string, unknown>;
  checkOptionKeys(name === 'options' ? fn : `${fn}(…).${name}`, o, keys, 'INVALID_QUERY_OPTION', name === 'options' ? { limit: 'k', topK: 'k', filter: 'where' } : undefined);
  return o;
}

function integerIn(fn: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(fn, `${name} must be an integer from ${min} to ${max}, got ${describe(value)}.`, { option: name, value, min, max });
  }
  return value;
}

function textError(fn: string, message: string, details: Record<string, unknown>): never {
  throw pgVectorError('INVALID_TEXT_SEARCH', `${fn}: ${message}`, details);
}

interface Fusion {
  readonly constant: number;
  readonly vector: number;
  readonly text: number;
}

function fusionOf(fn: string, value: unknown): Fusion {
  if (value === undefined) return { constant: RRF_DEFAULT, vector: 1, text: 1 };
  const o = objectOf(fn, 'fusion', value, FUSION_KEYS, "{ method: 'rrf', k: 60, weights: { vector: 1, text: 1 } }");
  if (o['method'] !== undefined && o['method'] !== 'rrf') {
    invalid(fn, `fusion.method must be 'rrf' (reciprocal rank fusion), got ${describe(o['method'])}.`, { option: 'fusion.method', value: o['method'], allowed: ['rrf'] });
  }
  const constant = o['k'] === undefined ? RRF_DEFAULT : integerIn(fn, 'fusion.k', o['k'], 1, RRF_MAX);
  const weights = o['weights'] === undefined ? {} : objectOf(fn, 'fusion.weights', o['weights'], ['vector', 'text'], '{ vector: 1, text: 0.5 }');
  const weight = (branch: 'vector' | 'text'): number => {
    const w = weights[branch] ?? 1;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      invalid(fn, `fusion.weights.${branch} must be a finite number ≥ 0, got ${describe(w)}.`, { option: `fusion.weights.${branch}`, value: w, min: 0 });
    }
    return w;
  };
  const vector = weight('vector');
  const text = weight('text');
  if (vector === 0 && text === 0) invalid(fn, 'fusion.weights are both 0: every row would score 0. Give at least one branch a positive weight.', { option: 'fusion.weights' });
  return { constant, vector, text };
}

/** Validate everything, compile both branches into one statement. */
export async function prepareHybrid(fn: string, db: AnyPgDatabase, options: unknown): Promise<PreparedHybrid> {
  const o = objectOf(fn, 'options', options, OPTION_KEYS, "{ vector: { target, query }, text: { target, query }, k: 10 }");
  const k = integerIn(fn, 'k', o['k'], 1, HYBRID_MAX_K);
  const candidates = o['candidates'] === undefined ? Math.min(NEAREST_MAX_K, Math.max(4 * k, 20)) : integerIn(fn, 'candidates', o['candidates'], k, NEAREST_MAX_K);
  const fusion = fusionOf(fn, o['fusion']);
  const vector = objectOf(fn, 'vector', o['vector'], VECTOR_KEYS, '{ target: items.embedding, query: [0.1, …] }');
  const text = objectOf(fn, 'text', o['text'], TEXT_KEYS, "{ target: items.search, query: 'red shoes' }");
  const where = o['where'];
  if (where !== undefined && !is(where, SQL)) invalid(fn, `where must be an SQL condition such as eq(items.lang, 'en'), got ${describe(where)}.`, { option: 'where' });

  // The vector target decides the table; the text target must be a column of it.
  const target = resolveTarget(vector['target'], `${fn}()`);
  const table = target.column.table as PgTable;
  const textTarget = text['target'];
  if (!is(textTarget, Column)) textError(fn, `text.target must be a tsvector or text column, got ${describe(textTarget)}.`, { option: 'text.target' });
  const textColumn = textTarget as PgColumn;
  if (textColumn.table !== table) {
    textError(fn, `text.target "${textColumn.name}" is a column of another table than the vector target ${target.label}; both branches search one table.`, { option: 'text.target' });
  }
  const sqlType = textColumn.getSQLType();
  const isTsvector = sqlType === 'tsvector';
  if (!isTsvector && !TEXT_TYPES.test(sqlType)) {
    textError(fn, `text.target "${textColumn.name}" is ${sqlType}; it must be a tsvector column (tsvector('…'), searched through its GIN index) or a text column (to_tsvector on the fly).`, {
      option: 'text.target',
      type: sqlType,
    });
  }
  const query = text['query'];
  if (!is(query, SQL) && (typeof query !== 'string' || query.trim().length === 0)) {
    textError(fn, `text.query must be a non-empty string (parsed with websearch_to_tsquery) or an sql tsquery, got ${typeof query === 'string' ? 'an empty string' : describe(query)}.`, {
      option: 'text.query',
      received: describe(query),
    });
  }
  const config = text['config'];
  if (config !== undefined && (typeof config !== 'string' || !CONFIG_NAME.test(config))) {
    textError(fn, `text.config must be a text search configuration name such as 'english' or 'simple', got ${describe(config)}.`, { option: 'text.config', value: config });
  }

  const selection = selectionFor(fn, table, o['select']);
  for (const field of selection.fields) {
    if (SCORE_KEYS.includes(field.key)) invalid(fn, `select.${field.key} clashes with the score every hybrid row has (${SCORE_KEYS.join(', ')}). Rename the field.`, { key: field.key });
  }
  const dialect = dialectOf(db);
  const primaryKey = primaryKeyOf(table);
  const keyExpression = primaryKey ?? sql`${table}.ctid`;
  const branchSelect: Record<string, unknown> = { [KEY]: keyExpression };
  for (const field of selection.fields) branchSelect[field.key] = field.column ?? field.expression;

  // The vector branch: nearest's own search (it validates its target, query, metric and settings before any SQL).
  const prepared = await prepare(fn, db, vector['target'], vector['query'], {
    k: candidates,
    metric: vector['metric'],
    settings: vector['settings'],
    strategy: vector['strategy'],
    where,
    select: branchSelect,
  });
  const params = [...prepared.params];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };

  // The text branch.
  const configText = config === undefined ? '' : `${bind(config)}::regconfig, `;
  let tsquery: string;
  if (is(query, SQL)) {
    const compiled = compileFragment(dialect, query, params.length);
    params.push(...compiled.params);
    tsquery = `(${compiled.sql})`;
  } else {
    tsquery = `websearch_to_tsquery(${configText}${bind(query)})`;
  }
  const columnText = compileStatic(dialect, sql`${textColumn}`, 'a column');
  const tsvector = isTsvector ? columnText : `to_tsvector(${configText}${columnText})`;
  const keyText = primaryKey ? compileStatic(dialect, sql`${primaryKey}`, 'a column') : `${compileStatic(dialect, sql`${table}`, 'a table')}.ctid`;
  const fieldTexts = selection.fields.map((field) => fieldText(dialect, field, params));
  let whereText = '';
  if (where !== undefined) {
    const compiled = compileFragment(dialect, where as SQL, params.length);
    params.push(...compiled.params);
    whereText = ` and (${compiled.sql})`;
  }
  const textBranch =
    `select ts_rank_cd(${tsvector}, ${tsquery})::float8, ${[keyText, ...fieldTexts].join(', ')} from ${compileStatic(dialect, sql`${table}`, 'a table')}` +
    ` where ${tsvector} @@ ${tsquery}${whereText} order by 1 desc, 2 limit ${candidates}`;

  const names = selection.fields.map((_, i) => `"f${i}"`);
  const columnsOf = (first: string): string => [first, '"key"', ...names].join(', ');
  const rrf = (weight: number, alias: string): string => (weight === 0 ? '0' : `coalesce(${weight}::float8 / (${fusion.constant} + "${alias}"."rank"), 0)`);
  const text_ =
    `with "hv" as materialized (select "v".*, row_number() over (order by "v"."distance", "v"."key")::int as "rank" from (${prepared.shape.text}) as "v"(${columnsOf('"distance"')}))` +
    `, "ht" as materialized (select "t".*, row_number() over (order by "t"."score" desc, "t"."key")::int as "rank" from (${textBranch}) as "t"(${columnsOf('"score"')}))` +
    ` select ${[
      ...names.map((n) => `coalesce("hv".${n}, "ht".${n})`),
      `${rrf(fusion.vector, 'hv')} + ${rrf(fusion.text, 'ht')} as "fused"`,
      '"hv"."rank" as "vector_rank"',
      '"ht"."rank" as "text_rank"',
      '"hv"."distance"',
      '"ht"."score" as "text_score"',
    ].join(', ')}` +
    ` from "hv" full join "ht" on "hv"."key" = "ht"."key"` +
    ` order by "fused" desc, "vector_rank" nulls last, "text_rank" nulls last limit ${k}`;
  return {
    text: text_,
    params,
    statements: prepared.shape.statements,
    plain: selection.plain,
    mapRows: mapper(selection.fields),
    vector: prepared,
    candidates,
  };
}

function fieldText(dialect: ReturnType<typeof dialectOf>, field: Field, params: unknown[]): string {
  if (field.column !== undefined) return compileStatic(dialect, sql`${field.column}`, 'a column');
  const compiled = compileFragment(dialect, field.expression!, params.length);
  params.push(...compiled.params);
  return `(${compiled.sql})`;
}

const number = (value: unknown): number | null => (value === null || value === undefined ? null : typeof value === 'number' ? value : Number(value));

/** Rows (fields, then score, ranks, distance, text score) → result objects. */
function mapper(fields: readonly Field[]): (rows: unknown[][]) => Record<string, unknown>[] {
  const n = fields.length;
  return (rows) =>
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const value = row[i];
        const decode = fields[i]!.decoder;
        out[fields[i]!.key] = value === null || value === undefined ? null : decode === undefined ? value : decode(value);
      }
      out['score'] = number(row[n]);
      out['vectorRank'] = number(row[n + 1]);
      out['textRank'] = number(row[n + 2]);
      out['distance'] = number(row[n + 3]);
      out['textScore'] = number(row[n + 4]);
      return out;
    });
}


import { sql } from 'drizzle-orm';
import { decodeDense, decodeSparse } from '../codec/index.js';
import type { NearestQuery } from '../queries/index.js';
import type { AnyPgDatabase } from '../settings/index.js';
import { queryRows } from '../driver/index.js';
import type { SearchContext } from './search-context.js';
import { invalidTuning, type ParsedQueryOptions } from './tuning-options.js';

/** One query of a measurement: the value passed to nearest, its pgvector text, and the sampled row it came from. */
export interface RecallQuery {
  readonly value: NearestQuery;
  readonly text: string;
  /** Primary key (as text) of the row the query was sampled from; its row is left out of both result lists. */
  readonly sourceId: string | undefined;
}

function decode(context: SearchContext, text: string): NearestQuery {
  const type = context.target.querySpec.type;
  if (type === 'sparsevec') return decodeSparse(text);
  if (type === 'bit') return text;
  return decodeDense(text);
}

/**
 * Sample `n` rows as queries, deterministically for a seed: the rows with the smallest `md5(seed:key)`.
 *
 * ```sql
 * select ("items"."id")::text as "id", ("items"."embedding")::text as "v" from "items"
 * where "items"."embedding" is not null order by md5($1 || ("items"."id")::text) limit 100
 * ```
 */
export async function sampleQueries(db: AnyPgDatabase, context: SearchContext, n: number, seed: number): Promise<RecallQuery[]> {
  const { target, table, primaryKey } = context;
  const conditions = [sql`${target.column} is not null`];
  if (target.predicate !== undefined) conditions.push(target.predicate);
  const found = await queryRows<Record<string, unknown>>(
    db,
    sql`select (${primaryKey})::text as "id", ${context.sampleText} as "v" from ${table} where ${sql.join(conditions, sql` and `)} order by md5(${`${seed}:`} || (${primaryKey})::text) limit ${sql.raw(String(n))}`,
  );
  return found.map((r) => {
    const value = decode(context, String(r['v']));
    return { value, text: target.encodeQuery(value), sourceId: String(r['id']) };
  });
}

/** The queries of a measurement: the explicit ones, or a sample of the table (at least 2 rows, else INVALID_TUNING_OPTION). */
export async function querySet(db: AnyPgDatabase, context: SearchContext, options: ParsedQueryOptions): Promise<RecallQuery[]> {
  if (options.queries !== undefined) return options.queries.map((q) => ({ value: q.value, text: q.text, sourceId: undefined }));
  const sampled = await sampleQueries(db, context, options.sampleSize!, options.seed);
  if (sampled.length < 2) {
    invalidTuning(
      options.fn,
      `"${context.tableName}" has ${sampled.length} row(s) with a value for ${context.target.label}; a measurement needs at least 2 queries. Load data first, or pass queries: [...].`,
      { option: 'sampleSize', rows: sampled.length },
    );
  }
  return sampled;
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffle (seeded) and split into a tuning half and a held-out validation half (the tuning half gets the odd one). */
export function splitQueries<T>(queries: readonly T[], seed: number): { tuning: T[]; validation: T[] } {
  const shuffled = [...queries];
  const random = prng(seed ^ 0x5bd1e995);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const cut = Math.ceil(shuffled.length / 2);
  return { tuning: shuffled.slice(0, cut), validation: shuffled.slice(cut) };
}

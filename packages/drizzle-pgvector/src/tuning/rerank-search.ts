import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgDatabase, VectorSettings } from '../settings/index.js';
import { runWithSettings, validateVectorSettings } from '../settings/internal.js';
import type { VectorTarget } from '../targets/index.js';
import { resultRows, rows } from './planner-transaction.js';
import type { SearchContext } from './search-context.js';

/** A re-ranked search as tuneSearch measures it: `via`'s index returns `candidates` rows, re-ordered exactly. */
export interface RerankMeasure {
  readonly via: VectorTarget;
  /** The via index's operator (`<~>` for hamming …). */
  readonly viaOperator: string;
  readonly candidates: number;
}

/**
 * PROVISIONAL (until `nearest` has `rerank`): the re-ranked search, written out.
 *
 * ```sql
 * select "c"."id" from (select ("items"."id")::text as "id", "items"."embedding" as "v" from "items" where …
 *   order by (binary_quantize("embedding")::bit(64)) <~> binary_quantize($1::vector(64))::bit(64) limit 400) as "c"
 * order by "c"."v" <=> $1::vector(64) limit 11
 * ```
 */
function rerankQuery(context: SearchContext, rerank: RerankMeasure, text: string, fetch: number, where: SQL | undefined): SQL {
  const { target, table } = context;
  const conditions: SQL[] = [];
  if (where !== undefined) conditions.push(sql`(${where})`);
  if (rerank.via.predicate !== undefined) conditions.push(rerank.via.predicate);
  conditions.push(sql`${target.column} is not null`);
  const via = rerank.via;
  const operand =
    via.kind === 'subvector'
      ? sql`(subvector(${target.queryExpression(text)}, ${sql.raw(String(via.start))}, ${sql.raw(String(via.dimensions))})::${sql.raw(via.sqlType)})`
      : via.queryExpression(text);
  const inner = sql`select ${context.idText} as "id", ${target.sql} as "v" from ${table} where ${sql.join(conditions, sql` and `)} order by ${via.distanceTo(rerank.viaOperator, operand)} limit ${sql.raw(String(rerank.candidates))}`;
  return sql`select "c"."id" as "id" from (${inner}) as "c" order by "c"."v" ${sql.raw(context.operator)} ${target.queryExpression(text)} limit ${sql.raw(String(fetch))}`;
}

/** Ids of one re-ranked search, with `settings` set locally in a savepoint of `tx`. */
export async function rerankIds(
  tx: AnyPgDatabase,
  context: SearchContext,
  rerank: RerankMeasure,
  text: string,
  fetch: number,
  settings: VectorSettings | undefined,
  where: SQL | undefined,
): Promise<string[]> {
  const found = await runWithSettings(tx, validateVectorSettings(settings).values, (sp) => rows(sp as AnyPgDatabase, rerankQuery(context, rerank, text, fetch, where)));
  return found.map((r) => String(r['id']));
}

const ROLLBACK = new Error('drizzle-pgvector: roll back explain');

/** The indexes an EXPLAIN of the re-ranked search shows. */
export async function rerankExplain(
  tx: AnyPgDatabase,
  context: SearchContext,
  rerank: RerankMeasure,
  text: string,
  fetch: number,
  settings: VectorSettings | undefined,
  where: SQL | undefined,
): Promise<string[]> {
  let used: string[] = [];
  await runWithSettings(tx, validateVectorSettings(settings).values, async (sp) => {
    const plan = resultRows(await (sp as AnyPgDatabase).execute(sql`explain ${rerankQuery(context, rerank, text, fetch, where)}`))
      .map((r) => String(Object.values(r)[0]))
      .join('\n');
    used = [...new Set([...plan.matchAll(/Index (?:Only )?Scan using "?([^"\s]+)"?/g)].map((m) => m[1]!))];
    throw ROLLBACK;
  }).catch((e: unknown) => {
    if (e !== ROLLBACK) throw e;
  });
  return used;
}

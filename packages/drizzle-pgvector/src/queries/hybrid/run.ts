import type { PgTable } from 'drizzle-orm/pg-core';
import { driverOf, type AnyPgDatabase } from '../../driver/index.js';
import { runWithStatements } from '../../settings/internal.js';
import type { DefaultNearestRow, NearestSelection } from '../nearest/index.js';
import { prepareHybrid } from './compile.js';
import type { HybridRow, HybridSearchOptions, HybridSearchPlan } from './types.js';

/**
 * Keyword and vector search in one typed query, fused by rank: the `k` best rows by reciprocal rank fusion of
 * {@link nearest}'s search (for `candidates` rows) and a full-text match ranked by `ts_rank_cd` (for `candidates`
 * rows), in **one statement, one round trip** (plus the vector branch's `SET LOCAL`s in the same transaction).
 *
 * - **Vector branch**: exactly `nearest`'s index-usable search — metric inference, settings, the filtered-search
 *   strategy (exact over few filtered rows, else the index with a budget).
 * - **Text branch**: `text.target @@ websearch_to_tsquery(config, query)` (or your `sql` tsquery) through the
 *   `tsvector` column's GIN index, ranked by `ts_rank_cd`; a text column is searched with `to_tsvector` on the fly
 *   (no index can serve that: fine for small tables only).
 * - `where` applies to both branches. A text query that matches nothing returns the vector branch's rows alone.
 * - **Fusion**: `score = Σ weight_b / (fusion.k + rank_b)` over the branches that returned the row (RRF, constant 60,
 *   weights 1 by default). Ties: vector rank, then text rank (deterministic).
 * - Rows: the selected fields (as {@link nearest}: default every column, typed from the database's schema), plus
 *   `score`, `vectorRank` / `textRank` (1-based, `null` when that branch did not return the row), `distance`,
 *   `textScore`. Sorted by `score` descending.
 * - **Validation first** (`INVALID_QUERY_OPTION`, `INVALID_TEXT_SEARCH`, the vector codes of {@link nearest}),
 *   before any SQL.
 *
 * @example
 * ```ts
 * const rows = await hybridSearch(db, {
 *   vector: { target: docs.embedding, query: embedding },
 *   text: { target: docs.search, query: 'pgvector hnsw', config: 'english' },
 *   k: 10,
 *   select: { id: docs.id, title: docs.title },
 *   where: eq(docs.lang, 'en'),
 * });
 * // with "hv" as materialized (select "v".*, row_number() over (order by "v"."distance", "v"."key")::int as "rank"
 * //     from (<nearest's search, limit 40>) as "v"("distance", "key", "f0", "f1")),
 * //   "ht" as materialized (select "t".*, row_number() over (order by "t"."score" desc, "t"."key")::int as "rank"
 * //     from (select ts_rank_cd("docs"."search", websearch_to_tsquery($5::regconfig, $6))::float8, "docs"."id", …
 * //           from "docs" where "docs"."search" @@ websearch_to_tsquery($5::regconfig, $6) and ("docs"."lang" = $7)
 * //           order by 1 desc, 2 limit 40) as "t"("score", "key", "f0", "f1"))
 * // select coalesce("hv"."f0", "ht"."f0"), …, coalesce(1::float8 / (60 + "hv"."rank"), 0) + coalesce(1::float8 / (60 + "ht"."rank"), 0) as "fused", …
 * // from "hv" full join "ht" on "hv"."key" = "ht"."key" order by "fused" desc, "hv"."rank" nulls last, "ht"."rank" nulls last limit 10
 * ```
 */
export async function hybridSearch<TDb extends AnyPgDatabase, TSelect extends NearestSelection | PgTable | undefined = undefined>(
  db: TDb,
  options: HybridSearchOptions<TSelect>,
): Promise<HybridRow<TSelect, DefaultNearestRow<TDb, HybridSearchOptions<TSelect>['vector']['target']>>[]> {
  const prepared = await prepareHybrid('hybridSearch', db, options);
  type Rows = HybridRow<TSelect, DefaultNearestRow<TDb, HybridSearchOptions<TSelect>['vector']['target']>>[];
  const driver = driverOf(db);
  const { text, params, statements, mapRows, plain } = prepared;
  if (statements.length === 0) return (await driver.query(text, params, mapRows, plain)) as Rows;
  if (plain && driver.queryInTransaction !== undefined) return (await driver.queryInTransaction(statements, text, params, mapRows)) as Rows;
  return (await runWithStatements(db, statements, (tx) => driverOf(tx as AnyPgDatabase).query(text, params, mapRows, plain))) as Rows;
}

/**
 * Exactly what {@link hybridSearch} would run — the statement, its parameters and the vector branch's `SET LOCAL`
 * statements — without running it (it may read the pgvector version and the filter's row estimate, as
 * {@link nearestSql} does). Run `EXPLAIN` on it to see the HNSW and GIN index scans.
 *
 * @example
 * ```ts
 * const plan = await hybridSearchSql(db, { vector: { target: docs.embedding, query: q }, text: { target: docs.search, query: 'hnsw' }, k: 10 });
 * plan.sql;         // with "hv" as materialized (…), "ht" as materialized (…) select … limit 10
 * plan.statements;  // the vector branch's SET LOCAL statements (often none)
 * ```
 */
export async function hybridSearchSql<TSelect extends NearestSelection | PgTable | undefined = undefined>(
  db: AnyPgDatabase,
  options: HybridSearchOptions<TSelect>,
): Promise<HybridSearchPlan> {
  const prepared = await prepareHybrid('hybridSearchSql', db, options);
  return Object.freeze({
    sql: prepared.text,
    params: Object.freeze(prepared.params),
    statements: prepared.statements,
    vectorStrategy: prepared.vector.decision.strategy,
    vectorReason: prepared.vector.decision.reason(),
    candidates: prepared.candidates,
  });
}

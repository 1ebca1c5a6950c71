import { sql } from 'drizzle-orm';
import { getTableConfig, type Index, type PgTable } from 'drizzle-orm/pg-core';
import { printedIdent, quoteIdent, relationName, rolledBack, type AnyPgDatabase, type Driver } from '../driver/index.js';
import { pgVectorError } from '../errors/index.js';
import { indexDdl, indexNameOf } from '../operations/index-ddl.js';
import { readLiveIndexes, type LiveIndex } from '../pg-catalog/index.js';

/** @internal One HNSW / IVFFlat index the schema declares on a table. */
export interface DeclaredIndex {
  readonly name: string;
  readonly index: Index;
  /** drizzle-kit's CREATE INDEX for it. */
  readonly ddl: string;
}

/**
 * @internal The table's HNSW / IVFFlat indexes as declared: `hnswIndex` / `ivfflatIndex`, and plain Drizzle
 * `index().using('hnsw' | 'ivfflat', …)` on a column or an `sql` expression.
 */
export function declaredVectorIndexes(table: PgTable): DeclaredIndex[] {
  return getTableConfig(table)
    .indexes.filter((i) => i.config.method === 'hnsw' || i.config.method === 'ivfflat')
    .map((index) => ({ name: indexNameOf(table, index), index, ddl: indexDdl(table, index) }));
}

/** drizzle-kit's target spelling in `CREATE INDEX … ON <target> USING`. */
function ddlTarget(table: PgTable): string {
  const { schema, name } = getTableConfig(table);
  return relationName(schema, name);
}

/**
 * @internal The declared indexes as the server itself would store them, read back from the catalog: in one
 * transaction that is always rolled back, an empty temporary copy of the table (`CREATE TEMP TABLE "items" (LIKE
 * "public"."items")` — same name, so drizzle's table-qualified column references in `WHERE` resolve) gets each
 * declared index, built from drizzle-kit's own DDL (without CONCURRENTLY; for a table in a `pgSchema`, drizzle's
 * `"schema"."table"."col"` references become `"table"."col"`, the only rewrite); its `pg_get_indexdef`, opclass,
 * reloptions and `pg_get_expr` are then exactly comparable with the live index's. The copy is empty, so the
 * builds take milliseconds, and nothing is left behind.
 *
 * ```sql
 * BEGIN;
 * SET LOCAL client_min_messages = warning;
 * CREATE TEMP TABLE "items" (LIKE "public"."items");
 * CREATE INDEX "items_embedding_hnsw" ON pg_temp."items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16);
 * SELECT … FROM pg_index … WHERE i.indrelid = to_regclass('pg_temp."items"');
 * ROLLBACK;
 * ```
 *
 * @throws PgVectorError `INVALID_INDEX_DEFINITION` when the server refuses a declared index (its migration
 *   would fail the same way); `cause` is the server's error.
 */
export async function normaliseDeclared(driver: Driver, table: PgTable, schema: string, declared: readonly DeclaredIndex[]): Promise<Map<string, LiveIndex>> {
  const out = new Map<string, LiveIndex>();
  if (declared.length === 0) return out;
  const config = getTableConfig(table);
  const name = config.name;
  const copy = `pg_temp.${quoteIdent(name)}`;
  const target = ` ON ${ddlTarget(table)} USING `;
  let current: DeclaredIndex | undefined;
  try {
    await rolledBack(driver, async (tx: AnyPgDatabase) => {
      // Our probe, not the application's business: the IVFFlat builds on the empty copy raise "ivfflat index created
      // with little data" NOTICEs, which would reach the application's notice listener. Scoped to this rolled-back
      // transaction (or savepoint), so the session's own level is back afterwards.
      await tx.execute(sql.raw('SET LOCAL client_min_messages = warning'));
      await tx.execute(sql.raw(`CREATE TEMP TABLE ${quoteIdent(name)} (LIKE ${quoteIdent(schema)}.${quoteIdent(name)})`));
      for (const d of declared) {
        current = d;
        const ddl = indexDdl(table, d.index, { concurrently: false });
        if (!ddl.includes(target)) throw new Error(`drizzle-pgvector: unexpected DDL shape: ${ddl}`);
        // Columns of a table in a pgSchema are written "schema"."table"."col": on the copy they are "table"."col".
        const onCopy = ddl.replace(target, ` ON ${copy} USING `);
        await tx.execute(sql.raw(config.schema ? onCopy.split(`${ddlTarget(table)}.`).join(`${quoteIdent(name)}.`) : onCopy));
      }
      current = undefined;
      // The copy's definition names pg_temp; name the real table instead, as the server would print it.
      const real = printedIdent(schema);
      for (const index of await readLiveIndexes(tx, { regclass: copy })) {
        out.set(index.name, { ...index, schema, definition: index.definition.replace(' ON pg_temp.', ` ON ${real}.`) });
      }
    });
  } catch (error) {
    if (current === undefined) throw error;
    throw pgVectorError(
      'INVALID_INDEX_DEFINITION',
      `vectorIndexes: the server refuses the index "${current.name}" that the schema declares on "${name}" (${(error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message}). Its migration would fail the same way; fix the declaration. Statement: ${current.ddl}`,
      { index: current.name, table: name, sql: current.ddl },
      error,
    );
  }
  return out;
}

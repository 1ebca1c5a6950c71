import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { hnswIndex, ivfflatIndex, recommendHnsw, recommendIvfflat, vector } from 'drizzle-pgvector';

/**
 * Embedding size of the demo's local embedder (see embedder.ts). 384 is what small sentence-embedding models
 * produce; a hosted model such as OpenAI's text-embedding-3-small would be 1536.
 */
export const DIMENSIONS = 384;

/** The corpus size the indexes are sized for (main.ts loads `DOCUMENTS` rows, 10,000 unless set). */
export const EXPECTED_DOCUMENTS = 10_000;

/**
 * pgvector's rules, from drizzle-pgvector's advice functions (pure, no database): IVFFlat lists = rows / 1000 up to
 * 1M rows → 10, probes ≈ sqrt(lists) → 3; HNSW m = 16, ef_construction = 64 for the default recall target.
 * drizzle-kit evaluates these when it reads the schema, so the migration holds the numbers.
 */
export const IVFFLAT_ADVICE = recommendIvfflat({ rows: EXPECTED_DOCUMENTS });
export const HNSW_ADVICE = recommendHnsw({ rows: EXPECTED_DOCUMENTS, dimensions: DIMENSIONS });

/**
 * The same columns for both tables. Ids come from the corpus (document number), so the two tables hold
 * identical rows and results can be compared id by id.
 */
function documentColumns() {
  return {
    id: integer('id').primaryKey(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    lang: text('lang').notNull(),
    category: text('category').notNull(),
    embedding: vector('embedding', { dimensions: DIMENSIONS }).notNull(),
  };
}

/**
 * The application's table: an HNSW index for cosine distance. HNSW is the usual choice — best speed/recall
 * trade-off, copes with inserts and updates, and can be created on an empty table.
 *
 * CREATE INDEX "documents_embedding_hnsw" ON "documents" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64);
 */
export const documents = pgTable('documents', documentColumns(), (t) => [
  hnswIndex('documents_embedding_hnsw').on(t.embedding, 'cosine').with({ m: HNSW_ADVICE.m, efConstruction: HNSW_ADVICE.efConstruction }),
]);

/**
 * The same rows again, indexed with IVFFlat instead, so the demo can measure each index on its own.
 *
 * Why a second table: an HNSW and an IVFFlat index on the same column both match `ORDER BY embedding <=> $1`,
 * and the planner takes the cheaper estimate. On this data it picks IVFFlat with the default
 * `ivfflat.probes = 1` and HNSW with `probes = 3`, so the index (and the recall) a query gets would depend on a
 * session setting. Keep one vector index per column and metric in a real schema.
 *
 * lists = rows / 1000 for up to 1M rows (10 for the demo's 10,000 documents, from `recommendIvfflat`); query with
 * probes ≈ sqrt(lists). IVFFlat learns its clusters from the rows present at build time, so it is built
 * after loading (the demo does that for both indexes, with `buildIndex`).
 *
 * CREATE INDEX "documents_ivfflat_embedding_ivfflat" ON "documents_ivfflat" USING ivfflat ("embedding" vector_cosine_ops) WITH (lists=10);
 */
export const documentsIvfflat = pgTable('documents_ivfflat', documentColumns(), (t) => [
  ivfflatIndex('documents_ivfflat_embedding_ivfflat').on(t.embedding, 'cosine').with({ lists: IVFFLAT_ADVICE.lists }),
]);

export type Document = typeof documents.$inferSelect;
export type NewDocument = typeof documents.$inferInsert;

/**
 * Code written for drizzle-orm's own pgvector columns and distance functions, as its docs show them.
 * scenario-ours.ts is this file with only the imports changed (drop-in.test.ts checks that, then runs both on one
 * database and compares rows, order and SQL).
 *
 * The rows come in untyped (as from a file or an API): drizzle-orm types a `sparsevec` value as its text form,
 * drizzle-pgvector as a `SparseVector` (both accept the text at run time); every other value has the same type.
 */
import { cosineDistance, eq, hammingDistance, innerProduct, jaccardDistance, l1Distance, l2Distance, lt } from 'drizzle-orm';
import { bit, halfvec, integer, pgTable, sparsevec, text, vector } from 'drizzle-orm/pg-core';
import type { PgVectorDrizzleDatabase } from '@drizzle-pgvector/testing';
// ---- end of imports ----

export const items = pgTable('drop_in_items', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),
  embedding: vector('embedding', { dimensions: 3 }),
  half: halfvec('half', { dimensions: 3 }),
  sparse: sparsevec('sparse', { dimensions: 3 }),
  code: bit('code', { dimensions: 4 }),
});

export const seed = JSON.parse(`[
  { "id": 1, "title": "a", "embedding": [1, 0, 0], "half": [1, 0, 0], "sparse": "{1:1,2:1,3:1}/3", "code": "1010" },
  { "id": 2, "title": "b", "embedding": [0.5, 0.5, 0], "half": [0.5, 0.5, 0], "sparse": "{1:1}/3", "code": "1100" },
  { "id": 3, "title": "c", "embedding": [-1, 2, 0.25], "half": [-1, 2, 0.25], "sparse": "{2:2.5,3:-1}/3", "code": "0001" },
  { "id": 4, "title": "d", "embedding": [0.9, 0.1, 0.2], "half": [0.9, 0.1, 0.2], "sparse": "{3:4}/3", "code": "1110" },
  { "id": 5, "title": "e", "embedding": [0, 0, 3], "half": [0, 0, 3], "sparse": "{}/3", "code": "0000" }
]`);

export async function insertRows(db: PgVectorDrizzleDatabase): Promise<void> {
  await db.insert(items).values(seed);
}

/** The queries, unexecuted: each is run and its SQL read by the test. */
export function queries(db: PgVectorDrizzleDatabase) {
  const q = [1, 0.5, 0];
  return {
    all: db.select().from(items).orderBy(items.id),
    byL2: db.select({ id: items.id }).from(items).orderBy(l2Distance(items.embedding, q)).limit(3),
    distances: db
      .select({
        id: items.id,
        l2: l2Distance(items.embedding, q),
        l1: l1Distance(items.embedding, q),
        cosine: cosineDistance(items.embedding, q),
        innerProduct: innerProduct(items.embedding, q),
      })
      .from(items)
      .orderBy(items.id),
    byInnerProduct: db.select({ id: items.id }).from(items).orderBy(innerProduct(items.embedding, q), items.id),
    halfByCosine: db.select({ id: items.id }).from(items).where(eq(items.title, 'a')).orderBy(cosineDistance(items.half, q)),
    textQuery: db.select({ id: items.id }).from(items).orderBy(cosineDistance(items.embedding, '[0,1,0]'), items.id),
    sparseByL2: db.select({ id: items.id, d: l2Distance(items.sparse, '{1:1,2:1}/3') }).from(items).orderBy(l2Distance(items.sparse, '{1:1,2:1}/3'), items.id),
    bits: db
      .select({ id: items.id, hamming: hammingDistance(items.code, '1010'), jaccard: jaccardDistance(items.code, '1011') })
      .from(items)
      .orderBy(hammingDistance(items.code, '1010'), items.id),
    subSelect: db
      .select({ id: items.id })
      .from(items)
      .orderBy(l2Distance(items.embedding, db.select({ e: items.embedding }).from(items).where(eq(items.id, 3))), items.id),
    within: db.select({ id: items.id }).from(items).where(lt(l2Distance(items.embedding, q), 1)).orderBy(items.id),
  };
}

import { sql } from 'drizzle-orm';
import { getTableConfig, index, pgSchema, pgTable, serial, text, uniqueIndex, type PgTable } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration } from '../drizzle-kit-api.js';
import { describe, expect, it } from 'vitest';
import * as schema from '../../../../test/fixtures/schema.js';
import { EXPECTED_STATEMENTS } from '../../../../test/fixtures/expected.js';
import { hnswIndex, vector } from '../../src/index.js';
import { indexDdl } from '../../src/operations/index-ddl.js';

const other = pgSchema('other');
const extra = other.table(
  'extra',
  { id: serial('id').primaryKey(), label: text('label'), embedding: vector('embedding', { dimensions: 4 }) },
  (t) => [
    hnswIndex('extra_hnsw').on(t.embedding, 'l2').with({ m: 12 }).where(sql`${t.label} is not null`),
    index().on(t.label.desc()),
    uniqueIndex('extra_label_nulls').on(t.label.asc().nullsFirst()),
    index('extra_plain_vector').using('hnsw', t.embedding.op('vector_ip_ops')),
  ],
);
const plain = pgTable('plain_things', { id: serial('id').primaryKey(), label: text('label') }, (t) => [index('plain_lower').on(sql`lower(${t.label})`)]);

async function kitStatements(imports: Record<string, unknown>): Promise<string[]> {
  const empty = generateDrizzleJson({});
  const current = generateDrizzleJson(imports);
  return (await generateMigration(empty, current)).filter((s) => /^CREATE (UNIQUE )?INDEX/.test(s));
}

/** indexDdl for every index (it writes the installed drizzle-kit's spelling). */
function ours(tables: readonly PgTable[]): string[] {
  return tables.flatMap((t) => getTableConfig(t).indexes.map((i) => indexDdl(t, i)));
}

describe('indexDdl', () => {
  it('equals drizzle-kit generate for every index of the fixtures schema', async () => {
    const kit = await kitStatements(schema);
    const mine = ours([schema.docs, schema.items]);
    expect(new Set(mine)).toEqual(new Set(kit));
    expect(mine.length).toBe(17);
    // …and the recorded expectations of the fixtures.
    const expected = EXPECTED_STATEMENTS.filter((s) => s.startsWith('CREATE INDEX'));
    expect(new Set(mine)).toEqual(new Set(expected));
  });

  it('equals drizzle-kit for schemas, unnamed, DESC, NULLS FIRST, unique, plain Drizzle vector and expression indexes', async () => {
    const kit = await kitStatements({ other, extra, plain });
    expect(new Set(ours([extra, plain]))).toEqual(new Set(kit));
    expect(kit.length).toBe(5);
  });

  it('adds IF NOT EXISTS and overrides CONCURRENTLY on request', () => {
    const i = getTableConfig(schema.items).indexes.find((x) => x.config.name === 'items_embedding_l1')!;
    expect(indexDdl(schema.items, i, { ifNotExists: true })).toBe('CREATE INDEX CONCURRENTLY IF NOT EXISTS "items_embedding_l1" ON "items" USING hnsw ("embedding" vector_l1_ops);');
    expect(indexDdl(schema.items, i, { concurrently: false })).toBe('CREATE INDEX "items_embedding_l1" ON "items" USING hnsw ("embedding" vector_l1_ops);');
  });
});

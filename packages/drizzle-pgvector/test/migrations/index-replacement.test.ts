/** Which DROP INDEX + CREATE INDEX pairs migrate() replaces without downtime (pure statement parsing). */
import { describe, expect, it } from 'vitest';
import { findReplacements } from '../../src/migrations/index-replacement.js';
import { splitStatements } from '../../src/migrations/statements.js';

const pairs = (sql: string) => findReplacements(splitStatements(sql)).map((r) => [r.drop, r.create, r.name, r.schema ?? null, r.method]);

describe('findReplacements', () => {
  it("drizzle-kit's pattern: DROP then CREATE of one name USING hnsw / ivfflat, other indexes' statements between", () => {
    expect(pairs('DROP INDEX "a"; CREATE INDEX "a" ON "t" USING hnsw ("e" vector_cosine_ops) WITH (m=24);')).toEqual([[0, 1, 'a', null, 'hnsw']]);
    expect(
      pairs(`DROP INDEX "a"; DROP INDEX "b"; ALTER TABLE "t" ADD COLUMN "x" text;
             CREATE INDEX "a" ON "t" USING ivfflat ("e" vector_l2_ops) WITH (lists=20);
             CREATE INDEX IF NOT EXISTS "b" ON "t" USING hnsw ("e" vector_ip_ops) WHERE "t"."lang" = 'en';`),
    ).toEqual([
      [0, 3, 'a', null, 'ivfflat'],
      [1, 4, 'b', null, 'hnsw'],
    ]);
    expect(pairs('DROP INDEX IF EXISTS "s"."a"; CREATE INDEX CONCURRENTLY "a" ON "s"."t" USING hnsw ("e" vector_l2_ops);')).toEqual([[0, 1, 'a', 's', 'hnsw']]);
  });

  it('the CREATE becomes a CONCURRENTLY template for the temporary name, IF NOT EXISTS removed', () => {
    const [r] = findReplacements(splitStatements('DROP INDEX "a";\nCREATE INDEX IF NOT EXISTS "a" ON "t" USING hnsw ("e" vector_cosine_ops) WITH (m=24);'));
    expect(r!.template).toBe('CREATE INDEX CONCURRENTLY {{name}} ON "t" USING hnsw ("e" vector_cosine_ops) WITH (m=24)');
  });

  it.each([
    ['a B-tree index', 'DROP INDEX "a"; CREATE INDEX "a" ON "t" USING btree ("id");'],
    ['another name', 'DROP INDEX "a"; CREATE INDEX "b" ON "t" USING hnsw ("e" vector_l2_ops);'],
    ['CREATE before DROP', 'CREATE INDEX "a2" ON "t" USING hnsw ("e" vector_l2_ops); DROP INDEX "a2";'],
    ['CASCADE', 'DROP INDEX "a" CASCADE; CREATE INDEX "a" ON "t" USING hnsw ("e" vector_l2_ops);'],
    ['a column dropped between', 'DROP INDEX "a"; ALTER TABLE "t" DROP COLUMN "old"; CREATE INDEX "a" ON "t" USING hnsw ("e" vector_l2_ops);'],
    ['a column retyped between', 'DROP INDEX "a"; ALTER TABLE "t" ALTER COLUMN "e" SET DATA TYPE vector(8); CREATE INDEX "a" ON "t" USING hnsw ("e" vector_l2_ops);'],
    ['another schema', 'DROP INDEX "s1"."a"; CREATE INDEX "a" ON "s2"."t" USING hnsw ("e" vector_l2_ops);'],
    ['ON ONLY (partitioned)', 'DROP INDEX "a"; CREATE INDEX "a" ON ONLY "t" USING hnsw ("e" vector_l2_ops);'],
    ['two names in one DROP', 'DROP INDEX "a", "b"; CREATE INDEX "a" ON "t" USING hnsw ("e" vector_l2_ops);'],
  ])('not a pair: %s (the statements run as written)', (_what, sql) => {
    expect(pairs(sql)).toEqual([]);
  });
});

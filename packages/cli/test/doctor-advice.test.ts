/**
 * `doctor`'s advice for an unindexed vector column: chooseIndex's representation (the column, halfvec past 2000
 * dimensions, bits + re-rank past 4000) with the build memory and index size of each. The row counts come from the
 * planner's statistics (`pg_class.reltuples`), set here so no large table has to be loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteFolder, runCli, scratchProject, type CliDatabase } from './helpers/cli.js';

describe('doctor: unindexed big embeddings', () => {
  let db: CliDatabase;
  let project: ReturnType<typeof scratchProject>;

  beforeAll(async () => {
    db = await pgliteFolder();
    await db.exec(`create table docs (id int primary key, embedding vector(1536));
      create table pages (id int primary key, embedding vector(3072));
      create table books (id int primary key, embedding vector(5000));
      update pg_class set reltuples = 1000000 where relname in ('docs', 'pages', 'books');`);
    project = scratchProject(db.config);
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    project?.remove();
  });

  it('names the representation and the build memory / index size of each, with re-rank for bits', async () => {
    const run = await runCli(['doctor', '--json'], { cwd: project.dir });
    const doc = run.json as { findings: { kind: string; subject: string; message: string; sql: string[]; schemaLine?: string }[] };
    const finding = (subject: string) => doc.findings.find((f) => f.kind === 'unindexed-column' && f.subject === subject);
    const docs = finding('docs.embedding');
    expect(docs?.message).toMatch(/Build memory \/ index size: vector\(1536\) 6603MB \/ 7813MB; asHalfvec → halfvec 3674MB \/ 3907MB; binaryQuantize → bit 927MB \/ 479MB\./);
    expect(docs?.message).not.toMatch(/rerank/);
    const pages = finding('pages.embedding');
    expect(pages?.message).toMatch(/indexes vector up to 2000\. Index asHalfvec\(column, 3072\)/);
    expect(pages?.message).toMatch(/Build memory \/ index size: asHalfvec → halfvec \d+MB \/ \d+MB; binaryQuantize → bit \d+MB \/ \d+MB\.$/);
    expect(pages?.sql[0]).toContain('("embedding"::halfvec(3072)) halfvec_cosine_ops');
    const books = finding('books.embedding');
    expect(books?.schemaLine).toBe("hnswIndex('books_embedding_hnsw').on(binaryQuantize(t.embedding, 5000), 'hamming')");
    expect(books?.sql[0]).toContain('(binary_quantize("embedding")::bit(5000)) bit_hamming_ops');
    expect(books?.message).toMatch(/rerank: \{ via: binaryQuantize\(books\.embedding\) \}/);
    expect(books?.message).toMatch(/Build memory \/ index size: binaryQuantize → bit \d+MB \/ \d+MB\.$/);
  }, 240_000);
});

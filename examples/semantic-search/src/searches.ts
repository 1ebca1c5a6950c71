import { and, eq } from 'drizzle-orm';
import { cosineDistance, nearest, nearestSql } from 'drizzle-pgvector';
import type { Database } from './database.js';
import type { Embedder } from './embedder.js';
import { documents } from './schema.js';

/** The plan's nodes as one line: `Limit → Index Scan using documents_embedding_hnsw on documents`. */
export function planLine(lines: readonly string[]): string {
  return lines
    .filter((l) => !/^\s*(Order By|Sort Key|Filter|Index Cond|Output|CTE|Rows Removed|->\s*$)/.test(l.trim().replace(/^->\s*/, '')))
    .filter((l) => /^\s*(->\s*)?[A-Z]/.test(l) && !/:\s/.test(l.replace(/\(cost=.*$/, '')))
    .map((l) => l.trim().replace(/^->\s*/, '').replace(/\s+\(cost=.*$/, ''))
    .join(' → ');
}

interface Hit {
  id: number;
  title: string;
  distance: number;
  category?: string;
  lang?: string;
}

function print(rows: readonly Hit[]): void {
  for (const r of rows) {
    const tags = [r.category, r.lang].filter(Boolean).join(', ');
    console.log(`  ${r.distance.toFixed(3)}  ${r.title}${tags ? `  [${tags}]` : ''}  #${r.id}`);
  }
  if (rows.length === 0) console.log('  (no rows)');
}

/** Three typed searches through `nearest`, each with the plan PostgreSQL chose for it. */
export async function runSearches(database: Database, embedder: Embedder): Promise<void> {
  const { db } = database;
  const log = (line = '') => console.log(line);

  // 1. Top k with a filter. Rows are typed: { id: number; title: string; category: string; distance: number }[].
  {
    const text = 'how to keep a sourdough starter alive with rye flour';
    const [q] = await embedder.embed([text]);
    const options = {
      k: 5,
      metric: 'cosine',
      select: { id: documents.id, title: documents.title, category: documents.category },
      where: eq(documents.lang, 'en'),
    } as const;
    const rows = await nearest(db, documents.embedding, q!, options);
    log(`"${text}" — top 5 in English`);
    print(rows);
    const plan = await nearestSql(db, documents.embedding, q!, options);
    log(`  settings: ${plan.statements.join('; ') || '(none)'}`);
    log(`  plan: ${planLine(await database.explain(plan))}`);
    log();
  }

  // 2. A similarity threshold: up to 10 rows, only those at least this similar (cosine similarity = 1 - distance).
  {
    const text = 'hnsw index recall and ef search for semantic search in postgres';
    const [q] = await embedder.embed([text]);
    const options = {
      k: 10,
      metric: 'cosine',
      select: { id: documents.id, title: documents.title, lang: documents.lang },
      minSimilarity: 0.65,
    } as const;
    const rows = await nearest(db, documents.embedding, q!, options);
    log(`"${text}" — up to 10 with cosine similarity ≥ 0.65`);
    print(rows);
    const plan = await nearestSql(db, documents.embedding, q!, options);
    log(`  plan: ${planLine(await database.explain(plan))}`);
    log(`  (the threshold is applied outside the ordered index scan, so the index is used whatever the planner estimates)`);
    log();
  }

  // 3. A selective filter: 15% of documents are German and 15% are about travel, so ~2% match. An HNSW scan
  //    returns at most ef_search (40) candidates and the filter runs after it: a plain ORDER BY … LIMIT query
  //    comes back short. nearest() switches on pgvector's iterative scan for filtered searches.
  {
    const text = 'rail pass for the bullet train to kyoto';
    const [q] = await embedder.embed([text]);
    const where = and(eq(documents.category, 'travel'), eq(documents.lang, 'de'));
    const plain = await db
      .select({ id: documents.id })
      .from(documents)
      .where(where)
      .orderBy(cosineDistance(documents.embedding, q!))
      .limit(10);
    const options = { k: 10, metric: 'cosine', select: { id: documents.id, title: documents.title, lang: documents.lang }, where } as const;
    const rows = await nearest(db, documents.embedding, q!, options);
    const plan = await nearestSql(db, documents.embedding, q!, options);
    log(`"${text}" — top 10 travel documents in German (~2% of rows match the filter)`);
    log(`  a plain Drizzle query (where … order by cosineDistance … limit 10) returned ${plain.length} rows; nearest() returned ${rows.length}:`);
    print(rows);
    log(`  settings: ${plan.statements.join('; ')}`);
    for (const note of plan.notes) log(`  why: ${note}`);
    log(`  plan: ${planLine(await database.explain(plan))}`);
  }
}

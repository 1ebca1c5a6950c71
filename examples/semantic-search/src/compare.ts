import { sql } from 'drizzle-orm';
import { nearest, nearestSql } from 'drizzle-pgvector';
import type { Database } from './database.js';
import { documents, documentsIvfflat } from './schema.js';
import { planLine } from './searches.js';
import { median, ms, quantile, recallAtK, table, timed } from './stats.js';

export interface CompareOptions {
  /** Neighbours per query. */
  k: number;
  /** ivfflat.probes values to try (≈ sqrt(lists) is the usual start; 1 is pgvector's default). */
  probes: readonly number[];
  /** hnsw.ef_search values to try (40 is pgvector's default). */
  efSearch: readonly number[];
  /** Queries run before timing, per method. */
  warmup: number;
}

interface Method {
  readonly name: string;
  readonly table: string;
  readonly settings: string;
  run(q: number[]): Promise<{ id: number; distance: number }[]>;
  plan(q: number[]): Promise<string>;
}

/**
 * The classic demonstration: the same queries as an exact scan, on IVFFlat and on HNSW. Every query runs in its
 * own transaction with its settings (`SET LOCAL`), timed end to end from Node. The methods are interleaved
 * query by query, so a slow patch of the machine hits all of them alike. Recall is measured against the exact
 * scan's results for the same query.
 */
export async function compareMethods(database: Database, queries: readonly number[][], o: CompareOptions): Promise<string> {
  const { db } = database;
  const exactStatement = 'set local enable_indexscan = off';
  const exactOptions = { k: o.k, metric: 'cosine', select: { id: documents.id } } as const;
  const methods: Method[] = [
    {
      name: 'exact (seq scan)',
      table: 'documents',
      settings: 'enable_indexscan = off',
      // pgvector's README: disable index scans in a transaction to get exact results for recall checks.
      run: (q) =>
        db.transaction(async (tx) => {
          await tx.execute(sql.raw(exactStatement));
          return nearest(tx, documents.embedding, q, exactOptions);
        }),
      plan: async (q) => {
        const plan = await nearestSql(db, documents.embedding, q, exactOptions);
        return planLine(await database.explain({ ...plan, statements: [exactStatement, ...plan.statements] }));
      },
    },
    ...o.probes.map((probes): Method => {
      const options = { k: o.k, metric: 'cosine', select: { id: documentsIvfflat.id }, settings: { probes } } as const;
      return {
        name: 'IVFFlat',
        table: 'documents_ivfflat',
        settings: `probes = ${probes}`,
        run: (q) => nearest(db, documentsIvfflat.embedding, q, options),
        plan: async (q) => planLine(await database.explain(await nearestSql(db, documentsIvfflat.embedding, q, options))),
      };
    }),
    ...o.efSearch.map((efSearch): Method => {
      const options = { k: o.k, metric: 'cosine', select: { id: documents.id }, settings: { efSearch } } as const;
      return {
        name: 'HNSW',
        table: 'documents',
        settings: `ef_search = ${efSearch}`,
        run: (q) => nearest(db, documents.embedding, q, options),
        plan: async (q) => planLine(await database.explain(await nearestSql(db, documents.embedding, q, options))),
      };
    }),
  ];

  for (const m of methods) for (const q of queries.slice(0, o.warmup)) await m.run(q);
  const times = methods.map(() => [] as number[]);
  const results = methods.map(() => [] as { id: number; distance: number }[][]);
  for (const [n, q] of queries.entries()) {
    // Rotate the order so no method always runs first.
    for (let j = 0; j < methods.length; j++) {
      const i = (n + j) % methods.length;
      const [rows, t] = await timed(() => methods[i]!.run(q));
      times[i]!.push(t);
      results[i]!.push(rows);
    }
  }
  const exact = results[0]!;
  const exactMedian = median(times[0]!);
  const rows: string[][] = [];
  for (const [i, m] of methods.entries()) {
    const recall = results[i]!.reduce((sum, r, j) => sum + recallAtK(exact[j]!, r, o.k), 0) / queries.length;
    rows.push([
      m.name,
      m.table,
      m.settings,
      ms(median(times[i]!)),
      ms(quantile(times[i]!, 0.95)),
      `${(exactMedian / median(times[i]!)).toFixed(1)}×`,
      recall.toFixed(3),
      await m.plan(queries[0]!),
    ]);
  }
  return table(['method', 'table', 'settings', 'median', 'p95', 'speed-up', `recall@${o.k}`, 'plan'], rows, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'l']);
}

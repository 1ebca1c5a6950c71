/**
 * The HNSW `ef_search` sweep behind `FILTERED_SEARCH.efPerK` / `efMinPerK`: on the filtered-search bench's HNSW
 * table (run `filtered-search.ts` with FILTERED_KEEP_TABLES=1 first), filters spread over the table (`cat < n`),
 * the exact plan beside index scans with `strict_order` and the budget's `max_scan_tuples` (10·k/f, a power of
 * two) at each `ef_search`, interleaved per query; recall@10 against the exact plan.
 *
 *   DATABASE_URL=… FILTERED_KEEP_TABLES=1 npx tsx --conditions=@drizzle-pgvector/source bench/src/filtered-search.ts
 *   DATABASE_URL=… npx tsx --conditions=@drizzle-pgvector/source bench/src/filtered-search-ef-sweep.ts
 *
 * Env: CATS (comma list of `cat <` bounds, ‰), EFS (ef_search values), Q (queries, 200).
 */
import { clusteredVectors } from '@drizzle-pgvector/testing/data';
import { exactPlan, openFsDatabase } from './filtered-search-plans.js';
const fdb = await openFsDatabase(process.env.DATABASE_URL);
const Q = Number(process.env.Q ?? 200);
const queries = clusteredVectors({ rows: 30000 + Q, dimensions: 64, clusters: 60, seed: 42, spread: 0.05 }).vectors.slice(30000);
const cats = (process.env.CATS ?? '30,50,100,300').split(',').map(Number);
const efs = (process.env.EFS ?? '40,60,80,100,150,200,300').split(',').map(Number);
const table = process.env.T ?? 'bench_fs_hnsw';
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]!; };
for (const cat of cats) {
  const f = { clusters: undefined, catBelow: cat };
  const ex = exactPlan(table, 64, f, 10);
  const truth: number[][] = [];
  for (const q of queries) truth.push((await fdb.run([], ex.text, [JSON.stringify(q), ...ex.params])).map((r) => Number(r[0])));
  const tuples = Math.max(1000, Math.ceil((10 * 10) / (cat / 1000)));
  const p2 = 2 ** Math.ceil(Math.log2(tuples));
  const variants = [{ name: 'exact', st: [] as string[], text: ex.text }, ...efs.map((ef) => ({ name: `ef ${ef}`, st: [`SET LOCAL hnsw.ef_search = ${ef}`, "SET LOCAL hnsw.iterative_scan = 'strict_order'", `SET LOCAL hnsw.max_scan_tuples = ${p2}`], text: ex.text.replace(') + 0', ')') }))];
  const times = variants.map(() => [] as number[]); const rec = variants.map(() => 0); const short = variants.map(() => 0);
  for (let r = 0; r < 2; r++) for (let i = 0; i < queries.length; i++) for (let j = 0; j < variants.length; j++) {
    const v = (i + j + r) % variants.length; const V = variants[v]!;
    const t0 = performance.now(); const rows = await fdb.run(V.st, V.text, [JSON.stringify(queries[i]), ...ex.params]); times[v]!.push(performance.now() - t0);
    const ids = new Set(rows.map((x) => Number(x[0]))); rec[v]! += truth[i]!.filter((x) => ids.has(x)).length / 10; if (rows.length < 10) short[v]!++;
  }
  console.log(`cat < ${cat} (${cat / 10} %), max_scan_tuples ${p2}`);
  const best = med(times[0]!);
  variants.forEach((V, j) => console.log(`  ${V.name.padEnd(8)} recall ${(rec[j]! / (2 * Q)).toFixed(3)} short ${short[j]} median ${med(times[j]!).toFixed(2)} ms (${(med(times[j]!) / best).toFixed(2)}× exact)`));
}
await fdb.close();

/**
 * `pnpm bench`: every benchmark in turn, as one markdown report on stdout. Progress goes to stderr.
 *
 * These are benchmarks, not tests: nothing here passes or fails on timing. Run them on a quiet machine; other
 * processes on the same cores show up directly in the p95 column.
 */
import { runCodecBenchmark } from './codec.js';
import { runIngestionBenchmark } from './ingestion.js';
import { runQueryBenchmark } from './query-overhead.js';

const started = performance.now();
console.log('# drizzle-pgvector benchmarks');
console.log();
console.log(`${new Date().toISOString().slice(0, 10)}. See bench/README.md for what each table measures and how to read it.`);
console.log();
await runQueryBenchmark();
await runCodecBenchmark();
await runIngestionBenchmark();
console.log();
console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);

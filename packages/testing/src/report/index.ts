/**
 * `@drizzle-pgvector/testing/report` — plain-text report helpers shared by the benchmarks and the example.
 *
 * @example
 * ```ts
 * import { markdownTable } from '@drizzle-pgvector/testing/report';
 *
 * console.log(markdownTable(['a', 'b'], [['1', '2']]));
 * ```
 *
 * @packageDocumentation
 */
export { markdownTable } from './markdown-table.js';

import { generateDrizzleJson, generateMigration } from '../drizzle-kit-api.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PgVectorDrizzleDatabase, PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { gaussian, seededRandom } from '@drizzle-pgvector/testing/data';

/**
 * Clustered data for the tuning tests, drawn in batches from the shared seeded generator: Gaussian clusters
 * around standard-normal centres (overlapping, unlike `clusteredVectors`' unit centroids), every vector normalised
 * to unit length, deterministic for a seed.
 */
export interface ClusteredOptions {
  dims: number;
  clusters: number;
  /** Standard deviation of a point around its centre, per dimension (centres are standard normal). */
  spread: number;
  seed: number;
}

function normalise(values: number[]): number[] {
  const norm = Math.sqrt(values.reduce((s, x) => s + x * x, 0)) || 1;
  // 6 decimals: the database stores float4, and text round trips stay exact enough for id-overlap recall.
  return values.map((x) => Number((x / norm).toFixed(6)));
}

/** A clustered distribution: `points(n)` draws the next n points (round-robin over clusters), deterministically. */
export function clustered(options: ClusteredOptions): { points(n: number): number[][] } {
  const random = seededRandom(options.seed);
  const centres = Array.from({ length: options.clusters }, () => Array.from({ length: options.dims }, () => gaussian(random)));
  let next = 0;
  return {
    points(n: number): number[][] {
      const out: number[][] = [];
      for (let i = 0; i < n; i++) {
        const centre = centres[next++ % options.clusters]!;
        out.push(normalise(centre.map((c) => c + options.spread * gaussian(random))));
      }
      return out;
    },
  };
}

/** CREATE TABLE and CREATE INDEX statements for `table`, as drizzle-kit generates them. */
export async function ddl(table: PgTable): Promise<{ tables: string[]; indexes: string[] }> {
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ table }));
  return {
    tables: statements.filter((s) => /^CREATE TABLE/i.test(s.trim())),
    indexes: statements.filter((s) => /^CREATE INDEX/i.test(s.trim())),
  };
}

/** Create `table`, insert `rows` with `db.insert(...).values(chunk)` in chunks of 500, then build its indexes and analyze. */
export async function load<T extends PgTable>(
  database: PgVectorTestDatabase,
  table: T,
  name: string,
  rows: readonly T['$inferInsert'][],
): Promise<void> {
  const db = database.db as PgVectorDrizzleDatabase;
  const { tables, indexes } = await ddl(table);
  await database.query(`drop table if exists "${name}"`);
  for (const s of tables) await database.query(s);
  for (let start = 0; start < rows.length; start += 500) {
    await db.insert(table).values(rows.slice(start, start + 500) as T['$inferInsert'][]);
  }
  for (const s of indexes) await database.query(s);
  await database.query(`analyze "${name}"`);
}

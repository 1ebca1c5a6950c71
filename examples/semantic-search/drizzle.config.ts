import { defineConfig } from 'drizzle-kit';

/**
 * `pnpm generate` (drizzle-kit generate) diffs src/schema.ts against drizzle/meta and writes a new migration;
 * it needs no database. The first migration, 0000_enable_pgvector.sql, was created with
 * `drizzle-kit generate --custom --name=enable_pgvector` and holds `CREATE EXTENSION IF NOT EXISTS vector;`
 * so it runs before any table that uses the type.
 *
 * `drizzle-kit push`/`pull`/`check` against a live database need `DATABASE_URL` (a PostgreSQL server with
 * pgvector, or the embedded database served over a socket: see README.md).
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
  ...(process.env.DATABASE_URL ? { dbCredentials: { url: process.env.DATABASE_URL } } : {}),
});

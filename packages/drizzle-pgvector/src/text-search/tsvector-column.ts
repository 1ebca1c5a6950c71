import { customType } from 'drizzle-orm/pg-core';
import { describe, pgVectorError } from '../errors/index.js';

/**
 * A `tsvector` column: PostgreSQL's full-text document type (Drizzle has none). Selected as its text form
 * (`'cat':2A 'sat':3B`); an insert takes that text form (PostgreSQL parses it) — usually the column is generated
 * instead, with {@link searchDocument}. Index it with Drizzle's own `index('…').using('gin', t.search)`.
 *
 * @throws PgVectorError `INVALID_TSVECTOR_VALUE` when an inserted value is not a string.
 *
 * @example
 * ```ts
 * export const docs = pgTable('docs', {
 *   id: serial('id').primaryKey(),
 *   title: text('title').notNull(),
 *   body: text('body'),
 *   search: tsvector('search').generatedAlwaysAs((): SQL => searchDocument({ config: 'english', weights: { A: docs.title, B: docs.body } })),
 * }, (t) => [index('docs_search').using('gin', t.search)]);
 * // "search" tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('english'::regconfig, COALESCE(title, ''::text)), 'A'::"char")
 * //   || setweight(to_tsvector('english'::regconfig, COALESCE(body, ''::text)), 'B'::"char"))) STORED
 * // CREATE INDEX "docs_search" ON "docs" USING gin ("search");
 * ```
 */
export const tsvector = customType<{ data: string; driverData: string }>({
  dataType: () => 'tsvector',
  toDriver(value: string): string {
    if (typeof value !== 'string') {
      throw pgVectorError(
        'INVALID_TSVECTOR_VALUE',
        `tsvector value: expected PostgreSQL's text form (a string like "'cat':2A 'sat':3"), got ${describe(value)}. Pass a string, or generate the column with searchDocument().`,
        { received: describe(value) },
      );
    }
    return value;
  },
  fromDriver: (value: string): string => String(value),
});

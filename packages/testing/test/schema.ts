import { integer, pgTable, serial, text, vector } from 'drizzle-orm/pg-core';

/** A small table with a pgvector column, used across the tests. */
export const items = pgTable('items', {
  id: serial('id').primaryKey(),
  label: text('label').notNull(),
  rank: integer('rank').notNull().default(0),
  embedding: vector('embedding', { dimensions: 3 }).notNull(),
});

export const schema = { items };

export const CREATE_ITEMS = `create table items (
  id serial primary key,
  label text not null,
  rank integer not null default 0,
  embedding vector(3) not null
)`;

/**
 * Migration files without a database: the real drizzle-kit CLI, drizzle-pgvector's extension migration helpers,
 * and how migrate() classifies statements.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgVectorError } from 'drizzle-pgvector';
import { assertExtensionMigration, isNonTransactionalStatement, vectorExtensionMigration } from 'drizzle-pgvector/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { drizzleLine } from '../packages/drizzle-pgvector/src/internal.js';
import { drizzleKit, FIXTURES, readGenerated, tempDir, writeConfig } from './helpers/drizzle-kit.js';

const work = tempDir('files');
afterAll(() => work.remove());
let counter = 0;
function folder(): string {
  return join(work.path, `case-${++counter}`);
}

function generate(schema: string | string[], out: string, extra: string[] = []) {
  return drizzleKit(['generate', ...extra], writeConfig(join(out, '..'), { schema, out }));
}

/**
 * The installed drizzle-kit's folder layout: 0.x writes `meta/_journal.json`, `NNNN_name.sql` and
 * `meta/NNNN_snapshot.json` (`prevId`); 1.0 writes `<YYYYMMDDHHMMSS>_name/migration.sql` and `snapshot.json`
 * (`prevIds`) beside it. These helpers read either, so each test states one expectation for both.
 */
const folders = drizzleLine === '1';

/** The tags in order (journal tags, or folder names). */
function tags(out: string): string[] {
  return readGenerated(out).map((m) => m.tag);
}

/** What the i-th migration's tag must look like: `0001_name`, or `<14 digits>_name`. */
function tagOf(i: number, name: string): string {
  return folders ? expect.stringMatching(new RegExp(`^\\d{14}_${name}$`)) : `${String(i).padStart(4, '0')}_${name}`;
}

/** The `.sql` file of a migration. */
function sqlFile(out: string, tag: string): string {
  return folders ? join(out, tag, 'migration.sql') : join(out, `${tag}.sql`);
}

/** The i-th migration's snapshot id and the id it follows. */
function snapshot(out: string, i: number): { id: string; prevId: string } {
  if (!folders) {
    const parsed = JSON.parse(readFileSync(join(out, 'meta', `${String(i).padStart(4, '0')}_snapshot.json`), 'utf8')) as { id: string; prevId: string };
    return { id: parsed.id, prevId: parsed.prevId };
  }
  const parsed = JSON.parse(readFileSync(join(out, tags(out)[i]!, 'snapshot.json'), 'utf8')) as { id: string; prevIds: string[] };
  return { id: parsed.id, prevId: parsed.prevIds[0]! };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return PgVectorError.is(error) ? error.code : `not a PgVectorError: ${String(error)}`;
  }
  return undefined;
}

describe('switching from drizzle-orm/pg-core vector columns to drizzle-pgvector', () => {
  it('generates an empty migration (same columns, same indexes)', async () => {
    const out = folder();
    const first = await generate(join(FIXTURES, 'swap-core.ts'), out);
    expect(first.code, first.output).toBe(0);
    expect(readGenerated(out)).toHaveLength(1);
    expect(readGenerated(out)[0]!.statements.join('\n')).toContain('USING hnsw ("embedding" vector_cosine_ops)');

    const second = await generate(join(FIXTURES, 'swap-ours.ts'), out);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('No schema changes, nothing to migrate');
    expect(readGenerated(out)).toHaveLength(1);
  });
});

describe('vectorExtensionMigration / assertExtensionMigration', () => {
  it('writes the first migration CLI-free, and drizzle-kit generate continues from it', async () => {
    const out = folder();
    const result = vectorExtensionMigration({ migrationsFolder: out });
    expect(result).toEqual({ status: 'created', tag: tagOf(0, 'enable_pgvector'), file: sqlFile(out, result.tag) });
    expect(readFileSync(result.file, 'utf8')).toContain('CREATE EXTENSION IF NOT EXISTS vector;');
    expect(tags(out)).toEqual([result.tag]);
    expect(snapshot(out, 0).prevId).toBe('00000000-0000-0000-0000-000000000000');

    const run = await generate(join(FIXTURES, 'schema.ts'), out);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toMatch(/malformed|collision|error/i);
    const generated = readGenerated(out);
    expect(generated.map((m) => m.tag)[0]).toBe(result.tag);
    expect(generated).toHaveLength(2);
    // drizzle-kit chained its snapshot to ours and diffed against an empty schema.
    expect(snapshot(out, 1).prevId).toBe(snapshot(out, 0).id);
    expect(generated[1]!.statements[0]).toMatch(/^CREATE TABLE "docs"/);

    const check = assertExtensionMigration(out);
    expect(check.extension.tag).toBe(result.tag);
    expect(check.firstVectorStatement?.tag).toBe(generated[1]!.tag);
    expect(vectorExtensionMigration({ migrationsFolder: out })).toMatchObject({ status: 'exists', tag: result.tag });
  });

  it('fills the empty file of `drizzle-kit generate --custom --name=enable_pgvector`', async () => {
    const out = folder();
    const custom = await generate(join(FIXTURES, 'schema.ts'), out, ['--custom', '--name=enable_pgvector']);
    expect(custom.code, custom.output).toBe(0);
    const [tag] = tags(out);
    expect(tag).toEqual(tagOf(0, 'enable_pgvector'));
    expect(codeOf(() => assertExtensionMigration(out))).toBe('EXTENSION_MIGRATION_MISSING');

    expect(vectorExtensionMigration({ migrationsFolder: out, schema: 'public' })).toMatchObject({ status: 'filled', tag });
    expect(readFileSync(sqlFile(out, tag!), 'utf8')).toContain('CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA "public";');
    expect(tags(out)).toHaveLength(1);
    expect(assertExtensionMigration(out).firstVectorStatement).toBeUndefined();
  });

  it('appends after migrations that do not use pgvector', async () => {
    const out = folder();
    expect((await generate(join(FIXTURES, 'plain.ts'), out)).code).toBe(0);
    const appended = vectorExtensionMigration({ migrationsFolder: out });
    expect(appended).toMatchObject({ status: 'appended', tag: tagOf(1, 'enable_pgvector') });
    expect(snapshot(out, 1).prevId).toBe(snapshot(out, 0).id);
    // Later than the first: journal `when` (0.x), the folder name's timestamp (1.0).
    expect(tags(out)).toEqual([expect.any(String), appended.tag]);
    if (!folders) {
      const [first, second] = (JSON.parse(readFileSync(join(out, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] }).entries;
      expect(second!.when).toBeGreaterThan(first!.when);
    }

    const run = await generate([join(FIXTURES, 'plain.ts'), join(FIXTURES, 'schema.ts')], out);
    expect(run.code, run.output).toBe(0);
    expect(tags(out)).toHaveLength(3);
    // The third migration only adds the vector tables: the appended snapshot carried "tags" over.
    expect(readGenerated(out)[2]!.statements.join('\n')).not.toContain('"tags"');
    expect(assertExtensionMigration(out).extension.tag).toBe(appended.tag);
  });

  it('refuses when a migration already uses pgvector before any CREATE EXTENSION', async () => {
    const out = folder();
    expect((await generate(join(FIXTURES, 'schema.ts'), out)).code).toBe(0);
    const [tag] = tags(out);

    let error: unknown;
    try {
      vectorExtensionMigration({ migrationsFolder: out });
    } catch (e) {
      error = e;
    }
    expect(PgVectorError.is(error, 'EXTENSION_MIGRATION_MISSING')).toBe(true);
    expect((error as Error).message).toContain(`${tag}.sql`);
    expect(tags(out)).toHaveLength(1); // nothing written
    expect(codeOf(() => assertExtensionMigration(out))).toBe('EXTENSION_MIGRATION_MISSING');

    // The advised fix: prepend the extension to that migration.
    const file = sqlFile(out, tag!);
    writeFileSync(file, `CREATE EXTENSION IF NOT EXISTS vector;--> statement-breakpoint\n${readFileSync(file, 'utf8')}`);
    expect(assertExtensionMigration(out).extension.tag).toBe(tag);
    expect(vectorExtensionMigration({ migrationsFolder: out }).status).toBe('exists');
  });

  it('reports a missing journal and a CREATE EXTENSION placed after the first use', () => {
    const out = folder();
    expect(codeOf(() => assertExtensionMigration(out))).toBe('INVALID_MIGRATIONS_FOLDER');
    const { tag } = vectorExtensionMigration({ migrationsFolder: out });
    expect(existsSync(folders ? join(out, tag, 'snapshot.json') : join(out, 'meta', '0000_snapshot.json'))).toBe(true);
    writeFileSync(sqlFile(out, tag), 'CREATE TABLE "t" ("v" vector(3));\n--> statement-breakpoint\nCREATE EXTENSION IF NOT EXISTS vector;');
    expect(codeOf(() => assertExtensionMigration(out))).toBe('EXTENSION_MIGRATION_MISSING');
  });
});

describe('isNonTransactionalStatement', () => {
  it.each([
    'CREATE INDEX CONCURRENTLY "i" ON "t" USING hnsw ("v" vector_l2_ops);',
    'create unique index concurrently if not exists i on t (a)',
    '-- build without blocking writes\nCREATE INDEX CONCURRENTLY "i" ON "t" ("a");',
    'DROP INDEX CONCURRENTLY IF EXISTS "i";',
    'REINDEX INDEX CONCURRENTLY "i";',
    'REINDEX (VERBOSE) TABLE CONCURRENTLY public.t;',
    'ALTER TABLE "p" DETACH PARTITION "p1" CONCURRENTLY;',
    'CREATE TABLE "t" ("a" int);\nCREATE INDEX CONCURRENTLY "i" ON "t" ("a");',
  ])('runs outside a transaction: %s', (statement) => {
    expect(isNonTransactionalStatement(statement)).toBe(true);
  });

  it.each([
    'CREATE INDEX "i" ON "t" USING hnsw ("v" vector_l2_ops);',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY "mv";',
    `INSERT INTO "log" ("msg") VALUES ('CREATE INDEX CONCURRENTLY is fine in a string; really');`,
    '/* CREATE INDEX CONCURRENTLY "i" ON "t" ("a"); */ SELECT 1;',
    `CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'DROP INDEX CONCURRENTLY x; ' $$;`,
    'CREATE INDEX "concurrently" ON "t" ("a");',
  ])('runs inside the transaction: %s', (statement) => {
    expect(isNonTransactionalStatement(statement)).toBe(false);
  });
});

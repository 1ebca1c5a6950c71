import { PGlite } from '@electric-sql/pglite';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureVectorExtension, PgVectorError } from '../../src/index.js';

const VERSION = /^\d+\.\d+\.\d+$/;
let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  db = database.db;
});
afterAll(() => database?.close());

async function caught(promise: Promise<unknown>): Promise<PgVectorError> {
  try {
    await promise;
  } catch (error) {
    if (PgVectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a PgVectorError, but the call succeeded');
}

describe('ensureVectorExtension', () => {
  it('returns the installed version (every driver)', async () => {
    const found = await ensureVectorExtension(db);
    expect(found.version).toMatch(VERSION);
    expect(found).toMatchObject({ created: false, major: expect.any(Number), minor: expect.any(Number), patch: expect.any(Number) });
    expect(typeof found.schema).toBe('string');
    for (const driver of ['node-postgres', 'postgres-js'] as const) {
      const connection = await database.connect(driver, { max: 1 });
      try {
        expect(await ensureVectorExtension(connection.db, { create: false })).toEqual(found);
      } finally {
        await connection.close();
      }
    }
  });

  it('EXTENSION_TOO_OLD names both versions and ALTER EXTENSION vector UPDATE', async () => {
    const { version } = await ensureVectorExtension(db);
    const error = await caught(ensureVectorExtension(db, { minVersion: '99.0.0' }));
    expect(error.code).toBe('EXTENSION_TOO_OLD');
    expect(error.message).toContain(`pgvector ${version} is installed but 99.0.0 is required`);
    expect(error.message).toContain('ALTER EXTENSION vector UPDATE');
    expect(error.details).toMatchObject({ installedVersion: version, requiredVersion: '99.0.0' });
  });

  it('checks features against the catalog versions', async () => {
    const { major, minor } = await ensureVectorExtension(db);
    const call = ensureVectorExtension(db, { features: ['halfvec', 'iterativeScan'] });
    if (major > 0 || minor >= 8) {
      await expect(call).resolves.toMatchObject({ created: false });
    } else {
      const error = await caught(call);
      expect(error.code).toBe('EXTENSION_TOO_OLD');
      expect(error.message).toContain('iterative index scans need 0.8.0');
    }
  });

  it('rejects a minVersion that is not x.y.z', async () => {
    for (const minVersion of ['0.7', 'v0.7.0', '0.7.0-beta', '']) {
      expect((await caught(ensureVectorExtension(db, { minVersion }))).code).toBe('INVALID_EXTENSION_VERSION');
    }
  });
});

// A database where pgvector is not available at all: only an embedded PGlite without the extension gives one on
// every machine.
describe('on PGlite without the vector extension loaded', () => {
  let bare: PGlite;
  beforeAll(async () => {
    bare = await PGlite.create();
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('EXTENSION_MISSING: CREATE EXTENSION fails, with the server error as cause', async () => {
    const error = await caught(ensureVectorExtension(drizzlePglite({ client: bare })));
    expect(error.code).toBe('EXTENSION_MISSING');
    expect(error.message).toContain('CREATE EXTENSION IF NOT EXISTS vector failed');
    expect(error.message).toContain('pg_available_extensions has no "vector" row');
    expect((error.cause as { code?: string }).code).toBe('0A000');
    expect(error.details).toMatchObject({ availableVersion: null, sqlState: '0A000' });
  });

  it('EXTENSION_MISSING with create: false', async () => {
    const error = await caught(ensureVectorExtension(drizzlePglite({ client: bare }), { create: false }));
    expect(error.code).toBe('EXTENSION_MISSING');
    expect(error.message).toContain('create: false');
  });
});

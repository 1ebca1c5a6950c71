import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PgVectorDrizzleDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import { SETTINGS } from '../../src/catalog/public.js';
import { validateVectorSettings, vectorSettingsSql, withVectorSettings, type VectorSettings } from '../../src/index.js';
import { checkSettingsVersion } from '../../src/internal.js';
import { expectCode, expectCodeAsync } from '../helpers.js';
import { rawRows } from '../queries/fixtures.js';

const ALL_GUCS = SETTINGS.map((s) => s.guc);

/**
 * The current value of every pgvector GUC on this db/transaction's connection. The vector literal loads the
 * pgvector library in that session first (a fresh server connection only knows the GUCs once it is loaded).
 */
async function current(db: PgVectorDrizzleDatabase): Promise<Record<string, string>> {
  const [row] = await rawRows(db, `select '[1]'::vector is not null, ${ALL_GUCS.map((g) => `current_setting('${g}')`).join(', ')}`);
  return Object.fromEntries(ALL_GUCS.map((g, i) => [g, String(row![i + 1])]));
}

const DEFAULTS = Object.fromEntries(SETTINGS.map((s) => [s.guc, String(s.default)]));

/** A Drizzle db without a connection that records every query it is asked to run. */
function recordingDb(): { db: PgVectorDrizzleDatabase; queries: string[] } {
  const queries: string[] = [];
  const db = drizzle.mock({ logger: { logQuery: (query: string) => void queries.push(query) } }) as unknown as PgVectorDrizzleDatabase;
  return { db, queries };
}

describe('validateVectorSettings', () => {
  it('turns every pgvector setting into one SET LOCAL statement, in catalog order', () => {
    const { statements, values } = validateVectorSettings({
      ivfflatIterativeScan: 'relaxed_order',
      maxProbes: 64,
      probes: 10,
      scanMemMultiplier: 1.5,
      maxScanTuples: 50_000,
      iterativeScan: 'strict_order',
      efSearch: 100,
    });
    expect(statements).toEqual([
      'SET LOCAL hnsw.ef_search = 100',
      "SET LOCAL hnsw.iterative_scan = 'strict_order'",
      'SET LOCAL hnsw.max_scan_tuples = 50000',
      'SET LOCAL hnsw.scan_mem_multiplier = 1.5',
      'SET LOCAL ivfflat.probes = 10',
      'SET LOCAL ivfflat.max_probes = 64',
      "SET LOCAL ivfflat.iterative_scan = 'relaxed_order'",
    ]);
    expect(values.map((v) => v.value)).toEqual(['100', 'strict_order', '50000', '1.5', '10', '64', 'relaxed_order']);
    expect(validateVectorSettings({}).statements).toEqual([]);
    expect(validateVectorSettings({ efSearch: undefined }).statements).toEqual([]);
  });

  it('accepts the ends of every range', () => {
    expect(validateVectorSettings({ efSearch: 1, maxScanTuples: 2147483647, scanMemMultiplier: 1000, probes: 32768 }).statements).toHaveLength(4);
    expect(validateVectorSettings({ efSearch: 1000, maxScanTuples: 1, scanMemMultiplier: 1, maxProbes: 1 }).statements).toHaveLength(4);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['efSearch 0', { efSearch: 0 }, /efSearch \(hnsw\.ef_search\) must be an integer from 1 to 1000, got number 0\..*Pass e\.g\. efSearch: 40/],
    ['efSearch 1001', { efSearch: 1001 }, /from 1 to 1000, got number 1001/],
    ['efSearch 1.5', { efSearch: 1.5 }, /must be an integer from 1 to 1000, got number 1\.5/],
    ['efSearch as text', { efSearch: '100' }, /got "100"/],
    ['efSearch NaN', { efSearch: NaN }, /got number NaN/],
    ['efSearch null', { efSearch: null }, /got null/],
    ['maxScanTuples 2^31', { maxScanTuples: 2 ** 31 }, /from 1 to 2147483647/],
    ['scanMemMultiplier Infinity', { scanMemMultiplier: Infinity }, /a finite number from 1 to 1000, got number Infinity/],
    ['scanMemMultiplier 0.5', { scanMemMultiplier: 0.5 }, /a finite number from 1 to 1000, got number 0\.5/],
    ['probes 0', { probes: 0 }, /probes \(ivfflat\.probes\) must be an integer from 1 to 32768/],
    ['maxProbes 32769', { maxProbes: 32769 }, /maxProbes \(ivfflat\.max_probes\)/],
    ['iterativeScan on', { iterativeScan: 'on' }, /must be one of 'off', 'strict_order', 'relaxed_order', got "on"/],
    ['ivfflat strict_order', { ivfflatIterativeScan: 'strict_order' }, /one of 'off', 'relaxed_order'.*'strict_order' is a value of iterativeScan/],
    ['unknown GUC name', { 'hnsw.ef_search': 10 }, /unknown setting 'hnsw\.ef_search'.*Use 'efSearch'/],
    ['snake case', { ef_search: 10 }, /unknown setting 'ef_search'.*Use 'efSearch'/],
    ['wrong case', { efsearch: 10 }, /Did you mean 'efSearch'\?/],
    ['a letter short', { probe: 10 }, /unknown setting 'probe'.*Did you mean 'probes'\?/],
    ['a letter swapped', { efSaerch: 10 }, /Did you mean 'efSearch'\?/],
    ['a longer name', { maxProbe: 10 }, /Did you mean 'maxProbes'\?/],
    ['the GUC of another key', { iterative_scan: 'strict_order' }, /Use 'iterativeScan'/],
    ['planner settings', { enableSeqscan: false }, /unknown setting 'enableSeqscan'.*only sets pgvector's own settings/],
  ])('rejects %s with INVALID_SEARCH_SETTING naming key, value, range and fix', (_name, settings, message) => {
    const e = expectCode(() => validateVectorSettings(settings as VectorSettings), 'INVALID_SEARCH_SETTING');
    expect(e.message).toMatch(message);
    expect(e.details).toHaveProperty('key');
  });

  it('rejects a settings value that is not an object', () => {
    expectCode(() => validateVectorSettings(5 as unknown as VectorSettings), 'INVALID_SEARCH_SETTING');
    expectCode(() => validateVectorSettings([] as unknown as VectorSettings), 'INVALID_SEARCH_SETTING');
  });

  it('refuses settings newer than the installed pgvector (older versions would ignore or reject them)', () => {
    const { values } = validateVectorSettings({ efSearch: 100, iterativeScan: 'strict_order' });
    expect(() => checkSettingsVersion(values, '0.8.0', 'test')).not.toThrow();
    const e = expectCode(() => checkSettingsVersion(values, '0.7.4', 'test'), 'EXTENSION_TOO_OLD');
    expect(e.message).toMatch(/iterativeScan \(hnsw\.iterative_scan\) needs pgvector 0\.8\.0, but this database has 0\.7\.4/);
    expect(expectCode(() => checkSettingsVersion(values, '0.5.1', 'test'), 'EXTENSION_TOO_OLD').message).toMatch(/silently ignore/);
  });

  it('rejects bad settings with INVALID_SEARCH_SETTING before any SQL is sent', async () => {
    const { db, queries } = recordingDb();
    await expectCodeAsync(() => withVectorSettings(db, { efSearch: 0 }, async () => 1), 'INVALID_SEARCH_SETTING');
    await expectCodeAsync(() => withVectorSettings(db, { efSearch: 10, bogus: 1 } as VectorSettings, async () => 1), 'INVALID_SEARCH_SETTING');
    expect(queries).toEqual([]);
    // Positive control: a valid call does reach the (unconnected) driver.
    await withVectorSettings(db, { efSearch: 10 }, async () => 1).catch(() => undefined);
    expect(queries.length).toBeGreaterThan(0);
  });
});

// Every driver (PGlite's own client, node-postgres, postgres.js) on one connection each: "the same connection" after
// a transaction is then certain on every backend.
describeEachDriver('settings on a real pgvector', (ctx) => {
  beforeAll(async () => {
    await rawRows(ctx.db, `select '[1]'::vector <-> '[1]'`); // load the pgvector library in that session
  });

  it('the catalog matches the server: every GUC exists with the same kind, range, values and default', async () => {
    const rows = await rawRows(
      ctx.db,
      `select name, vartype, min_val, max_val, enumvals::text, boot_val from pg_settings where name like 'hnsw.%' or name like 'ivfflat.%' order by name`,
    );
    const server = new Map(rows.map((r) => [String(r[0]), r]));
    for (const s of SETTINGS) {
      const row = server.get(s.guc);
      expect(row, s.guc).toBeDefined();
      expect(row![1]).toBe(s.kind === 'integer' ? 'integer' : s.kind === 'real' ? 'real' : 'enum');
      if (s.kind === 'enum') expect(String(row![4]).replace(/[{}]/g, '').split(',').sort()).toEqual([...s.values!].sort());
      else expect([Number(row![2]), Number(row![3])]).toEqual([s.min, s.max]);
      expect(String(row![5])).toBe(String(s.default));
    }
    // …and there are no other pgvector settings.
    expect([...server.keys()].sort()).toEqual([...ALL_GUCS].sort());
  });

  it('vectorSettingsSql statements run inside a transaction and are gone after it', async () => {
    const inside = await ctx.db.transaction(async (tx) => {
      for (const statement of vectorSettingsSql({ efSearch: 123, probes: 7 })) await tx.execute(statement);
      return current(tx as unknown as PgVectorDrizzleDatabase);
    });
    expect(inside['hnsw.ef_search']).toBe('123');
    expect(inside['ivfflat.probes']).toBe('7');
    expect(await current(ctx.db)).toEqual(DEFAULTS);
  });

  it('withVectorSettings applies every setting inside and leaves the connection at the defaults after', async () => {
    const settings: VectorSettings = {
      efSearch: 100,
      iterativeScan: 'relaxed_order',
      maxScanTuples: 30000,
      scanMemMultiplier: 2.5,
      probes: 12,
      maxProbes: 99,
      ivfflatIterativeScan: 'relaxed_order',
    };
    const inside = await withVectorSettings(ctx.db, settings, (tx) => current(tx as unknown as PgVectorDrizzleDatabase));
    expect(inside).toEqual({
      'hnsw.ef_search': '100',
      'hnsw.iterative_scan': 'relaxed_order',
      'hnsw.max_scan_tuples': '30000',
      'hnsw.scan_mem_multiplier': '2.5',
      'ivfflat.probes': '12',
      'ivfflat.max_probes': '99',
      'ivfflat.iterative_scan': 'relaxed_order',
    });
    expect(await current(ctx.db)).toEqual(DEFAULTS);
  });

  it('returns the callback result and runs it in one transaction', async () => {
    const result = await withVectorSettings(ctx.db, { efSearch: 50 }, async (tx) => {
      const [a] = await rawRows(tx as unknown as PgVectorDrizzleDatabase, 'select txid_current()');
      const [b] = await rawRows(tx as unknown as PgVectorDrizzleDatabase, 'select txid_current()');
      return { a: String(a![0]), b: String(b![0]) };
    });
    expect(result.a).toBe(result.b);
  });

  it('settings do not leak when the callback throws, nor after a server error', async () => {
    await expect(
      withVectorSettings(ctx.db, { efSearch: 300, probes: 30 }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await current(ctx.db)).toEqual(DEFAULTS);

    await expect(
      withVectorSettings(ctx.db, { iterativeScan: 'strict_order' }, async (tx) => {
        await tx.execute(sql`select 1 / 0`);
      }),
    ).rejects.toThrow();
    expect(await current(ctx.db)).toEqual(DEFAULTS);
  });

  it('in an enclosing transaction, restores the enclosing values after returning and after throwing', async () => {
    const seen = await ctx.db.transaction(async (tx) => {
      const t = tx as unknown as PgVectorDrizzleDatabase;
      await tx.execute(sql.raw('SET LOCAL hnsw.ef_search = 55'));
      const inner = await withVectorSettings(t, { efSearch: 77, iterativeScan: 'strict_order' }, (sp) => current(sp as unknown as PgVectorDrizzleDatabase));
      const afterReturn = await current(t);
      await withVectorSettings(t, { efSearch: 88 }, async () => {
        throw new Error('inner');
      }).catch(() => undefined);
      const afterThrow = await current(t);
      return { inner, afterReturn, afterThrow };
    });
    expect(seen.inner['hnsw.ef_search']).toBe('77');
    expect(seen.inner['hnsw.iterative_scan']).toBe('strict_order');
    expect(seen.afterReturn['hnsw.ef_search']).toBe('55');
    expect(seen.afterReturn['hnsw.iterative_scan']).toBe('off');
    expect(seen.afterThrow['hnsw.ef_search']).toBe('55');
    expect(await current(ctx.db)).toEqual(DEFAULTS);
  });

  it('50 concurrent withVectorSettings calls on a pool of 4 each see their own efSearch; afterwards all connections are at the default', async () => {
    const pool = await ctx.connect({ max: 4 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        withVectorSettings(pool.db, { efSearch: 100 + i, probes: 1 + i }, async (tx) => {
          const t = tx as unknown as PgVectorDrizzleDatabase;
          const [first] = await rawRows(t, `select current_setting('hnsw.ef_search'), current_setting('ivfflat.probes')`);
          await rawRows(t, 'select pg_sleep(0.002)'); // let the other transactions interleave
          const [second] = await rawRows(t, `select current_setting('hnsw.ef_search'), current_setting('ivfflat.probes')`);
          return { i, first: first!.map(String), second: second!.map(String) };
        }),
      ),
    );
    for (const r of results) {
      expect(r.first).toEqual([String(100 + r.i), String(1 + r.i)]);
      expect(r.second).toEqual(r.first);
    }
    const after = await Promise.all(Array.from({ length: 8 }, () => current(pool.db)));
    for (const a of after) expect(a).toEqual(DEFAULTS);
  });
});

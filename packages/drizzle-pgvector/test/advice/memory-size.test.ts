import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { formatMemorySize, maintenanceWorkMemRange, parseMemorySize, toMaintenanceWorkMem } from '../../src/index.js';
import { expectCode } from '../helpers.js';

describe('parseMemorySize / formatMemorySize', () => {
  it.each([
    ['64MB', 64 * 1024 ** 2],
    ['2GB', 2 * 1024 ** 3],
    ['512kB', 512 * 1024],
    ['1TB', 1024 ** 4],
    ['1000B', 1000],
    [' 13 MB ', 13 * 1024 ** 2],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['2048', 2048 * 1024],
  ])('%s → %i bytes', (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });

  it('numbers are bytes', () => {
    expect(parseMemorySize(4096)).toBe(4096);
  });

  it.each([
    [64 * 1024 ** 2, '64MB'],
    [2 * 1024 ** 3, '2GB'],
    [13430 * 1024, '13430kB'],
    [1000, '1000B'],
    [0, '0kB'],
  ])('%i bytes → %s', (bytes, text) => {
    expect(formatMemorySize(bytes)).toBe(text);
  });

  it('rejects bad sizes with a clear code and the fix', () => {
    expect(expectCode(() => parseMemorySize('64mb'), 'INVALID_MEMORY_SIZE').message).toContain("write '64MB'");
    expect(expectCode(() => parseMemorySize('-1MB'), 'INVALID_MEMORY_SIZE').message).toMatch(/"-1MB".*"B", "kB", "MB", "GB", "TB"/);
    expectCode(() => parseMemorySize('lots'), 'INVALID_MEMORY_SIZE');
    expectCode(() => parseMemorySize(Number.NaN), 'INVALID_MEMORY_SIZE');
    expectCode(() => parseMemorySize(1.5), 'INVALID_MEMORY_SIZE');
    expectCode(() => formatMemorySize(-1), 'INVALID_MEMORY_SIZE');
  });
});

describe('toMaintenanceWorkMem', () => {
  it("validates PostgreSQL's range 1024 kB .. 2147483647 kB", () => {
    expect(toMaintenanceWorkMem('2GB')).toEqual({ kB: 2097152, bytes: 2 * 1024 ** 3, text: '2GB' });
    expect(toMaintenanceWorkMem('1MB').kB).toBe(1024);
    expect(toMaintenanceWorkMem('2147483647kB').text).toBe('2147483647kB');
    const low = expectCode(() => toMaintenanceWorkMem('1023kB'), 'INVALID_MEMORY_SIZE');
    expect(low.message).toMatch(/1023 kB\) is outside PostgreSQL's range 1024 kB \.\. 2147483647 kB/);
    expectCode(() => toMaintenanceWorkMem('2048GB'), 'INVALID_MEMORY_SIZE');
  });

  it('knows the range differs by server', () => {
    expect(maintenanceWorkMemRange()).toEqual({ minKb: 1024, maxKb: 2147483647 });
    expect(maintenanceWorkMemRange({ serverVersion: 170002 })).toEqual({ minKb: 64, maxKb: 2147483647 });
    expect(maintenanceWorkMemRange({ serverVersion: 18, serverBits: 32 })).toEqual({ minKb: 64, maxKb: 2097151 });
    expect(toMaintenanceWorkMem('512kB', { serverVersion: 17 }).kB).toBe(512);
    expectCode(() => toMaintenanceWorkMem('2GB', { serverBits: 32 }), 'INVALID_MEMORY_SIZE');
  });

  describe('agrees with the server', () => {
    let database: PgVectorTestDatabase;
    let server: { serverVersion: number; serverBits: 32 | 64 };
    beforeAll(async () => {
      database = await startTestDatabase();
      const [facts] = rowsOf<{ num: string; version: string }>(
        await database.db.execute(sql`select current_setting('server_version_num') as num, version() as version`),
      );
      server = { serverVersion: Number(facts?.num), serverBits: /32-bit/.test(facts?.version ?? '') ? 32 : 64 };
    });
    afterAll(async () => {
      await database.close();
    });

    it("has the server's range", async () => {
      const [row] = rowsOf<{ min_val: string; max_val: string }>(
        await database.db.execute(sql`select min_val, max_val from pg_settings where name = 'maintenance_work_mem'`),
      );
      expect(maintenanceWorkMemRange(server)).toEqual({ minKb: Number(row?.min_val), maxKb: Number(row?.max_val) });
    });

    it.each(['64MB', '2GB', '13430kB', '1.5GB', '1536kB', '1MB', '1023kB', '64kB', '63kB', '2097151kB', '2147483647kB', '1TB'])(
      'SET LOCAL maintenance_work_mem = %s: accepted and shown alike, or rejected by both',
      async (value) => {
        let setting: ReturnType<typeof toMaintenanceWorkMem> | undefined;
        try {
          setting = toMaintenanceWorkMem(value, server);
        } catch (e) {
          expect((e as { code?: string }).code).toBe('INVALID_MEMORY_SIZE');
        }
        const run = database.db.transaction(async (tx) => {
          await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '${setting?.text ?? value}'`));
          return rowsOf<{ kb: string; shown: string }>(
            await tx.execute(
              sql`select setting as kb, current_setting('maintenance_work_mem') as shown from pg_settings where name = 'maintenance_work_mem'`,
            ),
          )[0];
        });
        if (setting === undefined) {
          await expect(run).rejects.toThrow();
        } else {
          const shown = await run;
          expect(Number(shown?.kb)).toBe(setting.kB);
          expect(shown?.shown).toBe(setting.text);
        }
      },
    );
  });
});

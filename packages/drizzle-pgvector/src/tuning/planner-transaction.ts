import { sql } from 'drizzle-orm';
import type { AnyPgDatabase } from '../settings/index.js';
import { pgVectorError } from '../errors/index.js';
import { queryRows, rolledBack, statementOf } from '../driver/index.js';

/** Planner switches a measurement toggles (PostgreSQL's `enable_*` GUCs, values `on` / `off`). */
export type PlannerSwitch = 'enable_seqscan' | 'enable_indexscan' | 'enable_bitmapscan';
const SWITCHES: readonly PlannerSwitch[] = ['enable_seqscan', 'enable_indexscan', 'enable_bitmapscan'];


/** Reject something that is not a Drizzle database or transaction, before any SQL. */
export function checkDatabase(fn: string, db: unknown): asserts db is AnyPgDatabase {
  const d = db as { execute?: unknown; transaction?: unknown } | null;
  if (d === null || typeof d !== 'object' || typeof d.execute !== 'function' || typeof d.transaction !== 'function') {
    throw pgVectorError('INVALID_DATABASE', `${fn}: db must be a Drizzle PostgreSQL database or transaction (drizzle-orm/node-postgres, postgres-js, pglite …), got ${d === null ? 'null' : typeof d}.`, {
      option: 'db',
    });
  }
}

/** Switch planner settings with `SET LOCAL` (values are the constants on/off, never user text). */
export async function setPlanner(tx: AnyPgDatabase, values: Partial<Record<PlannerSwitch, boolean>>): Promise<void> {
  for (const name of SWITCHES) {
    const on = values[name];
    if (on !== undefined) await tx.execute(sql.raw(`SET LOCAL ${name} = ${on ? 'on' : 'off'}`));
  }
}

/**
 * Run `fn` in a transaction (a savepoint when `db` already is one). The planner switches it changes are put back
 * to their values on entry before it returns, so a caller's outer transaction keeps its own settings.
 */
export async function inPlannerTransaction<T>(db: AnyPgDatabase, fn: (tx: AnyPgDatabase) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as AnyPgDatabase;
    const [before] = await queryRows<Record<string, unknown>>(
      t,
      sql`select current_setting('enable_seqscan') as "enable_seqscan", current_setting('enable_indexscan') as "enable_indexscan", current_setting('enable_bitmapscan') as "enable_bitmapscan"`,
    );
    const result = await fn(t);
    const restore: Partial<Record<PlannerSwitch, boolean>> = {};
    for (const name of SWITCHES) restore[name] = before?.[name] !== 'off';
    await setPlanner(t, restore);
    return result;
  }) as Promise<T>;
}

/** `EXPLAIN` of nearest's SQL (with its SET LOCAL statements) in a savepoint that is rolled back; the index names scanned. */
export async function explainIndexes(tx: AnyPgDatabase, plan: { sql: string; params: readonly unknown[]; statements: readonly string[] }): Promise<string[]> {
  const used = await rolledBack(tx, async (sp: AnyPgDatabase) => {
    for (const s of plan.statements) await sp.execute(sql.raw(s));
    const explained = await queryRows<Record<string, unknown>>(sp, sql.join([sql.raw('explain '), statementOf(plan.sql, plan.params)]));
    const text = explained.map((r) => String(Object.values(r)[0])).join('\n');
    return [...text.matchAll(/Index (?:Only )?Scan using "?([^"\s]+)"?/g)].map((m) => m[1]!);
  });
  return [...new Set(used)];
}

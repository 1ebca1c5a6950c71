import type { Pool } from 'pg';

/** @internal Defaults shared by the backend starters and the handle. */
export const DEFAULT_IMAGE = 'pgvector/pgvector:pg17';
/** @internal */
export const DEFAULT_MAX_CONNECTIONS = 8;
/** @internal */
export const DEFAULT_SERVED_POOL = 4;
/** @internal */
export const CONNECT_TIMEOUT_MS = 15_000;

/** @internal True for Node's "module not found" errors (ESM and CommonJS). */
export function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** @internal Throw a RangeError unless `value` is undefined or a positive integer. */
export function checkPositiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}.`);
  }
}

/** @internal Run cleanup steps in order, continue past failures, then throw the first failure. */
export async function runAll(steps: Array<() => Promise<unknown> | unknown>): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several steps failed while closing the test database.');
}

/** @internal A `pg.Pool` whose idle-client errors (server gone) never crash the test process. */
export function createPgPool(PoolClass: typeof Pool, url: string, max: number | undefined): Pool {
  const pool = new PoolClass({ connectionString: url, ...(max === undefined ? {} : { max }) });
  pool.on('error', () => {});
  return pool;
}

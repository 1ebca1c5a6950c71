import { sql } from 'drizzle-orm';
import { BUILD_PHASES, type IndexMethod } from '../catalog/index.js';
import { queryRows, type Driver, type RowQuery, type SqlExecutor } from '../driver/index.js';
import { breaksConnection } from '../driver/errors.js';
import { buildSettingStatements, resetStatements, type BuildSettings } from './build-settings.js';

/** One progress report of an index build (`pg_stat_progress_create_index`, or start/end where it cannot be read). */
export interface BuildProgress {
  /**
   * `'start'`; pgvector's phase while it builds (HNSW: `'initializing'`, `'loading tuples'`; IVFFlat: `'initializing'`,
   * `'performing k-means'`, `'assigning tuples'`, `'loading tuples'`); PostgreSQL's own phases around a CONCURRENTLY
   * build (`'waiting for writers before build'`, `'index validation: scanning index'`, …, fraction unchanged); `'done'`.
   */
  readonly phase: string;
  /** 0 .. 1 over the whole build (IVFFlat: assigning tuples is the first half, loading tuples the second). */
  readonly fraction: number;
  readonly tuplesDone: number;
  /**
   * The server's `tuples_total` where it reports one (IVFFlat), else the rows the build reads: the table's row
   * estimate (HNSW reports none), never below `tuplesDone`. In `'done'`: equal to `tuplesDone`.
   */
  readonly tuplesTotal: number;
  readonly blocksDone: number;
  readonly blocksTotal: number;
  readonly elapsedMs: number;
  /** Remaining time extrapolated from `fraction`; undefined until there is some. */
  readonly etaMs: number | undefined;
}

/** @internal What to run. */
export interface BuildRun {
  readonly statement: string;
  readonly concurrently: boolean;
  readonly method: IndexMethod;
  readonly settings: BuildSettings;
  readonly onProgress: ((p: BuildProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly pollIntervalMs: number;
  /** The rows the build reads (progress total where the server reports none); 0 when unknown. */
  readonly rows: number;
}

/** @internal How the run ended. */
export interface BuildOutcome {
  readonly elapsedMs: number;
  readonly events: number;
  /** Set when the statement failed (the server's error). */
  readonly error?: unknown;
  readonly cancelled: boolean;
}

/** How long a finished build waits for its cancel request to be answered before giving its connection back. */
const CANCEL_WAIT_MS = 2000;

const PROGRESS_SQL =
  'SELECT phase, blocks_total, blocks_done, tuples_total, tuples_done FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1';

function fractionOf(method: IndexMethod, phase: string, p: { blocksDone: number; blocksTotal: number; tuplesDone: number; tuplesTotal: number }): number {
  const span = (BUILD_PHASES[method] as Record<string, { from: number; to: number; counter: 'blocks' | 'tuples' }>)[phase];
  if (span === undefined) return phase === 'initializing' || phase === 'performing k-means' ? 0 : NaN;
  const [done, total] = span.counter === 'blocks' ? [p.blocksDone, p.blocksTotal] : [p.tuplesDone, p.tuplesTotal];
  return span.from + (span.to - span.from) * (total > 0 ? Math.min(done / total, 1) : 0);
}

/**
 * @internal Run one index build statement with its settings: `BEGIN; SET LOCAL …; <statement>; COMMIT` (not
 * concurrent), or on one held connection `SET …; <statement>; RESET …` (CONCURRENTLY, which cannot run in a
 * transaction block). While it runs, a second connection (where the driver has a pool) reads
 * `pg_stat_progress_create_index` every `pollIntervalMs` and cancels the build with `pg_cancel_backend(pid)` when
 * `signal` fires. Never throws for the statement's own failure: returns it in `error`.
 */
export async function runBuild(driver: Driver, run: BuildRun): Promise<BuildOutcome> {
  const started = Date.now();
  let events = 0;
  let last = -1;
  let callbackError: unknown;
  type Counters = { blocksDone: number; blocksTotal: number; tuplesDone: number; tuplesTotal: number };
  /** The counters of the last report: 'done' completes them instead of starting again from zero. */
  let counters: Counters = { blocksDone: 0, blocksTotal: 0, tuplesDone: 0, tuplesTotal: run.rows };
  const emit = (phase: string, c: Counters, fraction: number): void => {
    if (!run.onProgress) return;
    const f = Math.max(fraction, last, 0);
    last = f;
    const elapsedMs = Date.now() - started;
    events++;
    // No tuples_total from the server (HNSW, the phases before IVFFlat's assignment): the rows the build reads.
    counters = { ...c, tuplesTotal: c.tuplesTotal > 0 ? c.tuplesTotal : Math.max(run.rows, c.tuplesDone) };
    try {
      run.onProgress(Object.freeze({ phase, fraction: f, ...counters, elapsedMs, etaMs: f > 0 && f < 1 ? Math.round((elapsedMs * (1 - f)) / f) : f >= 1 ? 0 : undefined }));
    } catch (error) {
      callbackError ??= error;
    }
  };
  emit('start', counters, 0);

  let pid: number | undefined;
  let finished = false;
  let cancelled = false;
  /** True while the build statement is in flight: only then is a cancel request sent to its backend. */
  let running = false;
  /** The cancel request in flight, awaited before the build's connection is given back (so it can hit nothing else). */
  let cancelling: Promise<void> = Promise.resolve();
  const cancel = (): void => {
    cancelled = true;
    if (pid === undefined || !running || !driver.concurrent) return;
    const backend = pid;
    cancelling = driver.query('SELECT pg_catalog.pg_cancel_backend($1)', [backend], () => undefined, true).catch(() => undefined);
  };
  const runStatement = async (run0: () => PromiseLike<unknown>): Promise<void> => {
    if (cancelled) throw new Error('cancelled before the build started');
    running = true;
    try {
      await run0();
    } finally {
      running = false;
      // Bounded: on a pool of one connection the cancel request waits for this very connection.
      await Promise.race([cancelling, new Promise((r) => setTimeout(r, CANCEL_WAIT_MS).unref?.())]);
    }
  };
  const onAbort = (): void => cancel();
  run.signal?.addEventListener('abort', onAbort, { once: true });

  let poller: Promise<void> = Promise.resolve();
  const startPolling = (backend: number): void => {
    pid = backend;
    if (run.signal?.aborted) cancel();
    if (!driver.concurrent) return; // one connection only (PGlite, a lone client): start and end events only
    poller = (async () => {
      let previous = '';
      while (!finished) {
        const rows = await driver.query(PROGRESS_SQL, [backend], (r) => r, true).catch(() => [] as unknown[][]);
        const row = rows[0];
        if (row !== undefined && !finished) {
          const phase = String(row[0] ?? '').replace(/^building index: /, '');
          const c = { blocksTotal: Number(row[1] ?? 0), blocksDone: Number(row[2] ?? 0), tuplesTotal: Number(row[3] ?? 0), tuplesDone: Number(row[4] ?? 0) };
          const key = `${phase}|${c.blocksDone}|${c.tuplesDone}|${c.blocksTotal}|${c.tuplesTotal}`;
          const f = fractionOf(run.method, phase, c);
          if (key !== previous) emit(phase, c, Number.isNaN(f) ? last : f);
          previous = key;
        }
        await new Promise((r) => setTimeout(r, run.pollIntervalMs));
      }
    })();
  };

  let error: unknown;
  try {
    if (run.concurrently) {
      await driver.connection(async (c) => {
        const [row] = await c.query('SELECT pg_catalog.pg_backend_pid() AS pid');
        startPolling(Number(row?.['pid']));
        for (const s of buildSettingStatements(run.settings, false)) await c.query(s);
        let failure: unknown;
        try {
          await runStatement(() => c.query(run.statement));
        } catch (e) {
          failure = e;
        }
        // A connection the failure ended (pg_terminate_backend, a restart) cannot be reset and is discarded by the
        // driver; a RESET error must never hide the build's own. A live one is reset before it goes back.
        if (failure === undefined || !breaksConnection(failure)) {
          for (const s of resetStatements(run.settings)) {
            if (failure === undefined) await c.query(s);
            else await c.query(s).catch(() => undefined);
          }
        }
        if (failure !== undefined) throw failure;
      });
    } else {
      await driver.transaction(async (tx) => {
        const t = tx as SqlExecutor;
        const [row] = await queryRows<{ pid: unknown }>(t, sql`SELECT pg_catalog.pg_backend_pid() AS pid`);
        startPolling(Number(row?.pid));
        for (const s of buildSettingStatements(run.settings, true)) await t.execute(sql.raw(s));
        await runStatement(() => t.execute(sql.raw(run.statement)));
      });
    }
  } catch (e) {
    error = e;
  } finally {
    finished = true;
    run.signal?.removeEventListener('abort', onAbort);
    await poller;
  }
  if (error === undefined) {
    // Finished: every tuple and block the build read is done (never fewer than the last report said).
    const tuples = Math.max(counters.tuplesDone, counters.tuplesTotal);
    const blocks = Math.max(counters.blocksDone, counters.blocksTotal);
    emit('done', { blocksDone: blocks, blocksTotal: blocks, tuplesDone: tuples, tuplesTotal: tuples }, 1);
  }
  if (callbackError !== undefined && error === undefined) throw callbackError;
  // A signal that fired after the statement had finished changes nothing: the index was built.
  return { elapsedMs: Date.now() - started, events, ...(error === undefined ? {} : { error }), cancelled: cancelled && error !== undefined };
}

/** @internal Row objects through the driver's held-connection path (catalog reads with bound parameters). */
export function driverRows(driver: Driver): RowQuery {
  return (text, params) => driver.connection((c) => c.query(text, params));
}

/**
 * @internal Row objects for cleaning up after a failed build (dropping its INVALID leftover): like
 * {@link driverRows}, on a connection of its own (the failed build's may be gone), with `statement_timeout` off
 * for that one statement — a build that hit `statement_timeout` must still be cleaned up. `DROP INDEX
 * CONCURRENTLY` cannot run in a transaction block, so this is a session-level `SET`, `RESET` on the same checkout.
 */
export function cleanupRows(driver: Driver): RowQuery {
  return (text, params) =>
    driver.connection(async (c) => {
      await c.query('SET statement_timeout = 0');
      try {
        return await c.query(text, params);
      } finally {
        await c.query('RESET statement_timeout');
      }
    });
}

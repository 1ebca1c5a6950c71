import { isEntity } from '../compat/entity.js';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe } from '../errors/index.js';
import { pgVectorError, type PgVectorError } from '../errors/index.js';
import { BinaryWriter } from './binary-writer.js';
import { encodeRow, planCopy, type CopyPlan } from './copy-plan.js';

/**
 * The driver-independent half of `copyRows`: option checks, the row source, abort, progress and the loop that
 * validates + encodes rows into chunks and hands them to a driver's sink (which applies back-pressure).
 */

/** Progress of a load, reported after each chunk the database (or its socket) accepted, and once at the end. */
export interface CopyProgress {
  /** Rows sent so far. */
  rows: number;
  /** Bytes of COPY data sent so far. */
  bytes: number;
  /** rows / seconds since the load started. */
  rowsPerSecond: number;
}

/** Options of `copyRows` (both entries). */
export interface CopyRowsOptions<TInsert = Record<string, unknown>> {
  /**
   * Table keys to load, in this order; the other columns get their database defaults. Default: every insertable
   * column, except database-default columns (serial, identity, `.default()`) the first row leaves undefined.
   */
  columns?: readonly (keyof TInsert & string)[];
  /** Called with {@link CopyProgress} as the load goes. */
  onProgress?: (progress: CopyProgress) => void;
  /** Abort the load: the COPY is cancelled, the transaction rolled back, and the call rejects with `COPY_ABORTED`. */
  signal?: AbortSignal;
}

/** What a finished load reports. */
export interface CopyResult {
  /** Rows written. */
  rows: number;
  /** Bytes of COPY data sent. */
  bytes: number;
}

/** Rows to load: an array, any iterable, or an async iterable (a generator reading a file, a cursor …). */
export type CopyRowSource<T> = Iterable<T> | AsyncIterable<T>;

/** Check the arguments shared by both entries; throws INVALID_COPY_OPTION. */
export function checkCopyArguments(table: unknown, rows: unknown, options: unknown): void {
  if (!isEntity(table, PgTable)) {
    throw pgVectorError('INVALID_COPY_OPTION', `copyRows: expected a Drizzle pgTable as the table, got ${describe(table)}.`, { option: 'table' });
  }
  const iterable = rows !== null && typeof rows === 'object' && (Symbol.iterator in rows || Symbol.asyncIterator in rows);
  if (!iterable) {
    throw pgVectorError('INVALID_COPY_OPTION', `copyRows: rows must be an array, an iterable or an async iterable of insert objects, got ${describe(rows)}.`, {
      option: 'rows',
    });
  }
  if (options === null || typeof options !== 'object') {
    throw pgVectorError('INVALID_COPY_OPTION', `copyRows: options must be an object like { onProgress, signal }, got ${describe(options)}.`, { option: 'options' });
  }
  const { onProgress, signal } = options as CopyRowsOptions;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw pgVectorError('INVALID_COPY_OPTION', `copyRows: onProgress must be a function, got ${describe(onProgress)}.`, { option: 'onProgress' });
  }
  if (signal !== undefined && (signal === null || typeof (signal as AbortSignal).aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw pgVectorError('INVALID_COPY_OPTION', `copyRows: signal must be an AbortSignal, got ${describe(signal)}.`, { option: 'signal' });
  }
}

/** Turns an AbortSignal into checks and races; every abort becomes one COPY_ABORTED error. */
export class AbortGuard {
  private rejecters = new Set<(error: unknown) => void>();
  private readonly onAbort = (): void => {
    const error = this.error();
    for (const reject of this.rejecters) reject(error);
  };
  rowsSent = 0;

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get aborted(): boolean {
    return this.signal?.aborted === true;
  }

  error(): PgVectorError {
    const reason: unknown = this.signal?.reason;
    return pgVectorError(
      'COPY_ABORTED',
      `copyRows: aborted (${reason instanceof Error ? reason.message : String(reason ?? 'signal aborted')}) after ${this.rowsSent} rows had been sent; ` +
        'the COPY was cancelled and the transaction rolled back, so nothing was written. Run the load again to load the rows.',
      { rowsSent: this.rowsSent, reason: reason instanceof Error ? reason.message : reason },
      reason,
    );
  }

  check(): void {
    if (this.aborted) throw this.error();
  }

  /** `promise`, or a rejection with COPY_ABORTED as soon as the signal aborts. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal === undefined) return promise;
    if (this.aborted) return Promise.reject(this.error());
    return new Promise<T>((resolve, reject) => {
      this.rejecters.add(reject);
      promise.then(
        (value) => {
          this.rejecters.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.rejecters.delete(reject);
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.rejecters.clear();
  }
}

/** Reports progress; rowsPerSecond from the start of the load. */
export class ProgressMeter {
  private readonly started = performance.now();
  rows = 0;
  bytes = 0;

  constructor(private readonly onProgress: ((progress: CopyProgress) => void) | undefined) {}

  report(rows: number, bytes: number): void {
    this.rows = rows;
    this.bytes = bytes;
    if (this.onProgress === undefined) return;
    const seconds = (performance.now() - this.started) / 1000;
    this.onProgress({ rows, bytes, rowsPerSecond: seconds > 0 ? rows / seconds : 0 });
  }
}

/** A row source opened for reading; arrays and sync iterables are read without awaiting each row. */
export class RowReader {
  private readonly iterator: Iterator<unknown> | AsyncIterator<unknown>;
  readonly isAsync: boolean;

  constructor(rows: CopyRowSource<unknown>) {
    if (Symbol.asyncIterator in rows) {
      this.iterator = (rows as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      this.isAsync = true;
    } else {
      this.iterator = (rows as Iterable<unknown>)[Symbol.iterator]();
      this.isAsync = false;
    }
  }

  next(guard: AbortGuard): IteratorResult<unknown> | Promise<IteratorResult<unknown>> {
    return this.isAsync ? guard.race((this.iterator as AsyncIterator<unknown>).next()) : (this.iterator as Iterator<unknown>).next();
  }

  /** Let the source clean up (a generator's finally blocks) without waiting on it. */
  close(): void {
    try {
      const done = this.iterator.return?.();
      if (done instanceof Promise) done.catch(() => {});
    } catch {
      // the source's own cleanup failed; the load's error is the one to report
    }
  }
}

/** Receives completed chunks (whole rows); returns a promise when the caller must wait (back-pressure). */
export type ChunkSink = (chunks: Buffer[], rowsInChunks: number) => void | Promise<void>;

/** The first row (undefined for an empty source) and the plan, built before any SQL is sent. */
export async function openLoad(
  reader: RowReader,
  guard: AbortGuard,
  table: PgTable,
  columns: readonly string[] | undefined,
): Promise<{ first: IteratorResult<unknown>; plan: CopyPlan }> {
  guard.check();
  const first = await reader.next(guard);
  return { first, plan: planCopy(table, columns, first.done ? undefined : first.value) };
}

/**
 * Validate and encode every row, handing completed chunks to `sink` and waiting when it asks to. Returns the
 * row count; what is still in the writer's buffer is the caller's to flush.
 */
export async function pumpRows(
  plan: CopyPlan,
  reader: RowReader,
  first: IteratorResult<unknown>,
  writer: BinaryWriter,
  guard: AbortGuard,
  sink: ChunkSink,
): Promise<number> {
  let index = 0;
  let result = first;
  while (result.done !== true) {
    if (guard.aborted) guard.check();
    encodeRow(plan, writer, result.value, index++);
    if (writer.pendingBytes > 0) {
      const rows = writer.completedRows;
      const wait = sink(writer.take(), rows);
      guard.rowsSent = rows;
      if (wait !== undefined) await guard.race(wait);
    }
    const next = reader.next(guard);
    result = next instanceof Promise ? await next : next;
  }
  return index;
}

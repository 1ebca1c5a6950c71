import type { InferInsertModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { describe, pgVectorError } from '../errors/index.js';
import { BinaryWriter, copyHeader, copyTrailer } from './binary-writer.js';
import { copySql } from './copy-plan.js';
import {
  AbortGuard,
  ProgressMeter,
  RowReader,
  checkCopyArguments,
  openLoad,
  pumpRows,
  type CopyResult,
  type CopyRowSource,
  type CopyRowsOptions,
} from './load-rows.js';

/** The part of a PGlite `Transaction` (or instance) a load uses. */
export interface PgliteQueryable {
  query(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

/** The part of a `PGlite` instance a load uses (structural, so this entry does not import PGlite). */
export interface PgliteLike extends PgliteQueryable {
  transaction<T>(callback: (tx: PgliteQueryable) => Promise<T>): Promise<T>;
  isInTransaction?(): boolean;
}

/** What the PGlite `copyRows` accepts: a PGlite instance, a PGlite `Transaction`, or a drizzle-orm/pglite db. */
export type PgliteCopyClient = PgliteLike | PgliteQueryable | { readonly $client: PgliteLike };

/** Options of the PGlite `copyRows`. */
export interface PgliteCopyRowsOptions<TInsert = Record<string, unknown>> extends CopyRowsOptions<TInsert> {
  /**
   * Bytes of COPY data per batch (one `COPY … FROM '/dev/blob'` each, all in the one transaction). Bounds memory:
   * about twice this is held at once. Default 16 MiB.
   */
  batchBytes?: number;
}

/** Default batch size of the PGlite load. */
export const DEFAULT_PGLITE_BATCH_BYTES = 16 * 1024 * 1024;

const SAVEPOINT = 'drizzle_pgvector_copy';
const MIN_BATCH_BYTES = 1024;

function resolveClient(client: PgliteCopyClient): PgliteQueryable {
  const target = client !== null && typeof client === 'object' && '$client' in client ? client.$client : client;
  if (target === null || typeof target !== 'object' || typeof (target as PgliteQueryable).query !== 'function') {
    throw pgVectorError(
      'INVALID_COPY_OPTION',
      `copyRows (drizzle-pgvector/pglite): expected a PGlite instance, a PGlite transaction or a drizzle-orm/pglite db, got ${describe(target)}. ` +
        'For node-postgres import copyRows from drizzle-pgvector/pg.',
      { option: 'client' },
    );
  }
  return target as PgliteQueryable;
}

/** Run the load's batches on `q` (already inside the transaction or savepoint). */
async function runBatches(
  q: PgliteQueryable,
  sql: string,
  plan: Parameters<typeof pumpRows>[0],
  reader: RowReader,
  first: IteratorResult<unknown>,
  guard: AbortGuard,
  progress: ProgressMeter,
  batchBytes: number,
): Promise<CopyResult> {
  let batch: Buffer[] = [];
  let batchSize = 0;
  let bytes = 0;
  const send = async (rows: number): Promise<void> => {
    if (batch.length === 0) return;
    const blob = new Blob([copyHeader(), ...batch, copyTrailer()]);
    batch = [];
    batchSize = 0;
    guard.check();
    await q.query(sql, [], { blob });
    bytes += blob.size;
    progress.report(rows, bytes);
  };
  const writer = new BinaryWriter();
  const rows = await pumpRows(plan, reader, first, writer, guard, (chunks, rowsInChunks) => {
    for (const chunk of chunks) {
      batch.push(chunk);
      batchSize += chunk.length;
    }
    if (batchSize >= batchBytes) return send(rowsInChunks);
  });
  for (const chunk of writer.flush()) batch.push(chunk);
  await send(rows);
  guard.check();
  return { rows, bytes };
}

/**
 * Bulk-load Drizzle insert objects into `table` on PGlite: binary COPY from a blob (PGlite's `/dev/blob`), in
 * batches of `batchBytes`, all in one transaction.
 *
 * Same validation, defaults and all-or-nothing behaviour as `copyRows` from `drizzle-pgvector/pg`: a bad row, a
 * failing source or an aborted `signal` rolls back every batch. Given a PGlite instance, the load runs in
 * `pglite.transaction()`; given a PGlite `Transaction` (or an instance already inside `BEGIN`), it runs in a
 * SAVEPOINT, rolled back alone on failure and committed when the caller commits.
 *
 * @throws PgVectorError `INVALID_COPY_ROW` / value codes (row index and column in message and details),
 *   `UNSUPPORTED_COPY_COLUMN`, `INVALID_COPY_OPTION`, `COPY_ABORTED`; the source's own error; PGlite's error (SQLSTATE in `code`).
 *
 * @example
 * ```ts
 * import { copyRows } from 'drizzle-pgvector/pglite';
 *
 * await copyRows(db, items, rows); // db = drizzle({ client: pglite }), or the PGlite instance itself
 * // BEGIN; COPY "items" ("id", "embedding") FROM '/dev/blob' (FORMAT binary) -- once per batch; COMMIT
 * ```
 */
export async function copyRows<TTable extends PgTable>(
  client: PgliteCopyClient,
  table: TTable,
  rows: CopyRowSource<InferInsertModel<TTable>>,
  options: PgliteCopyRowsOptions<InferInsertModel<TTable>> = {},
): Promise<CopyResult> {
  checkCopyArguments(table, rows, options);
  const batchBytes = options.batchBytes ?? DEFAULT_PGLITE_BATCH_BYTES;
  if (typeof batchBytes !== 'number' || !Number.isInteger(batchBytes) || batchBytes < MIN_BATCH_BYTES) {
    throw pgVectorError('INVALID_COPY_OPTION', `copyRows: batchBytes must be an integer of at least ${MIN_BATCH_BYTES}, got ${describe(batchBytes)}.`, {
      option: 'batchBytes',
      value: batchBytes,
      min: MIN_BATCH_BYTES,
    });
  }
  const q = resolveClient(client);
  const guard = new AbortGuard(options.signal);
  const reader = new RowReader(rows as CopyRowSource<unknown>);
  try {
    const { first, plan } = await openLoad(reader, guard, table, options.columns as readonly string[] | undefined);
    const progress = new ProgressMeter(options.onProgress);
    if (first.done === true) {
      progress.report(0, 0);
      return { rows: 0, bytes: 0 };
    }
    const sql = copySql(plan, `'/dev/blob'`);
    const run = (tx: PgliteQueryable): Promise<CopyResult> => runBatches(tx, sql, plan, reader, first, guard, progress, batchBytes);
    const pglite = q as Partial<PgliteLike>;
    let result: CopyResult;
    if (typeof pglite.transaction === 'function' && pglite.isInTransaction?.() !== true) {
      result = await pglite.transaction(run);
    } else {
      await q.query(`SAVEPOINT ${SAVEPOINT}`);
      try {
        result = await run(q);
      } catch (error) {
        await q.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        await q.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        throw error;
      }
      await q.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    }
    progress.report(result.rows, result.bytes);
    return result;
  } catch (error) {
    reader.close();
    throw error;
  } finally {
    guard.dispose();
  }
}

import type { InferInsertModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Client, Pool, PoolClient } from 'pg';
import type { from as CopyFrom } from 'pg-copy-streams';
import { describe, faultError, pgVectorError, tableNameOf } from '../errors/index.js';
import { BinaryWriter, copyHeader, copyTrailer } from './binary-writer.js';
import { copySql } from './copy-plan.js';
import { importPeer } from './peer-dependency.js';
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

/** What the node-postgres `copyRows` accepts: a `pg.Pool`, a `pg.Client` / `PoolClient`, or a Drizzle node-postgres db. */
export type PgCopyClient = Pool | Client | PoolClient | { readonly $client: Pool | Client | PoolClient };

type Queryable = Client | PoolClient;
type CopyStream = ReturnType<typeof CopyFrom>;

/** pg-copy-streams' `from`, imported on first use: `drizzle-pgvector/pg` loads without it. */
function loadCopyFrom(): Promise<typeof CopyFrom> {
  return importPeer('pg-copy-streams', 'copyRows (drizzle-pgvector/pg)', async () => {
    const mod = (await import('pg-copy-streams')) as { from?: typeof CopyFrom; default?: { from: typeof CopyFrom } };
    return mod.from ?? mod.default!.from;
  });
}

const SAVEPOINT = 'drizzle_pgvector_copy';

function resolveClient(client: PgCopyClient): { pool?: Pool; client?: Queryable } {
  const target = client !== null && typeof client === 'object' && '$client' in client ? client.$client : client;
  if (target === null || typeof target !== 'object' || typeof (target as Partial<Client>).query !== 'function') {
    throw pgVectorError(
      'INVALID_COPY_OPTION',
      `copyRows (drizzle-pgvector/pg): expected a pg.Pool, pg.Client, PoolClient or a drizzle-orm/node-postgres db, got ${describe(target)}. ` +
        'For PGlite import copyRows from drizzle-pgvector/pglite.',
      { option: 'client' },
    );
  }
  // pg.Pool counts its clients; a Client has none of these counters.
  if (typeof (target as Pool).totalCount === 'number' && typeof (target as Pool).connect === 'function') return { pool: target as Pool };
  return { client: target as Queryable };
}

/** Whether the client is inside a transaction: pg ≥ 8.14 tells; older versions are probed with a SAVEPOINT. */
async function inTransaction(client: Queryable): Promise<boolean> {
  const status = (client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
  if (status === 'E') {
    throw pgVectorError(
      'INVALID_COPY_OPTION',
      'copyRows: the client is inside a transaction that has already failed; ROLLBACK it (or to a savepoint) before loading rows.',
      { option: 'client', transactionStatus: status },
    );
  }
  if (status === 'I') return false;
  if (status === 'T') return true;
  try {
    await client.query(`SAVEPOINT ${SAVEPOINT}`);
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return true;
  } catch {
    return false; // "SAVEPOINT can only be used in transaction blocks"
  }
}

/** Resolve on 'drain'; reject if the stream fails or closes first. */
function drained(stream: CopyStream, failure: () => unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) {
      reject(failure() ?? new Error('COPY stream closed'));
      return;
    }
    const done = (error?: unknown): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => done();
    const onError = (error: unknown): void => done(error);
    const onClose = (): void => done(failure() ?? new Error('COPY stream closed'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** One load on one connection: BEGIN (or SAVEPOINT), COPY, COMMIT (or RELEASE); ROLLBACK on any failure. */
async function loadOn(
  client: Queryable,
  table: PgTable,
  reader: RowReader,
  options: CopyRowsOptions,
  guard: AbortGuard,
  markBroken: (error: unknown) => void,
  copyFrom: typeof CopyFrom,
): Promise<CopyResult> {
  const { first, plan } = await openLoad(reader, guard, table, options.columns as readonly string[] | undefined);
  const progress = new ProgressMeter(options.onProgress);
  if (first.done === true) {
    progress.report(0, 0);
    return { rows: 0, bytes: 0 };
  }
  const nested = await inTransaction(client);
  await client.query(nested ? `SAVEPOINT ${SAVEPOINT}` : 'BEGIN');
  let stream: CopyStream | undefined;
  let streamError: unknown;
  let finished: Promise<void> | undefined;
  try {
    const copy = client.query(copyFrom(copySql(plan)));
    stream = copy;
    finished = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', (error) => {
        streamError ??= error;
        reject(error);
      });
    });
    finished.catch(() => {});
    let bytes = 0;
    const write = (chunks: Buffer[], rows: number, end = false): void | Promise<void> => {
      if (streamError !== undefined) throw streamError;
      let ok = true;
      for (const chunk of chunks) {
        ok = copy.write(chunk);
        bytes += chunk.length;
      }
      if (end) return;
      if (ok) return progress.report(rows, bytes);
      return drained(copy, () => streamError).then(() => progress.report(rows, bytes));
    };
    write([copyHeader()], 0, true);
    const writer = new BinaryWriter();
    const rows = await pumpRows(plan, reader, first, writer, guard, write);
    write([...writer.flush(), copyTrailer()], rows, true);
    copy.end();
    await guard.race(finished);
    stream = undefined;
    guard.check();
    await client.query(nested ? `RELEASE SAVEPOINT ${SAVEPOINT}` : 'COMMIT');
    progress.report(rows, bytes);
    return { rows, bytes };
  } catch (error) {
    reader.close();
    if (stream !== undefined && !stream.destroyed) {
      // CopyFail: the server aborts the COPY; its "COPY from stdin failed" reply is not the error to report.
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      await finished?.catch(() => {});
    }
    try {
      await client.query(nested ? `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}` : 'ROLLBACK');
    } catch (rollbackError) {
      markBroken(rollbackError);
    }
    throw error;
  }
}

/**
 * Bulk-load Drizzle insert objects into `table` with binary COPY over node-postgres, in one transaction.
 *
 * Rows (an array, iterable or async iterable of `typeof table.$inferInsert`) are validated like an insert
 * (dimensions, NaN/Infinity, ranges, NOT NULL; `$defaultFn` applied), encoded in PostgreSQL's binary format and
 * streamed with `pg-copy-streams`, waiting for the socket (memory stays bounded whatever the row count). All or
 * nothing: a bad row, a failing source, an aborted `signal` or a server error rolls everything back. With a
 * pool, a connection is checked out for the load and released as broken if the server dropped it. With a
 * client already inside a transaction, the load runs in a SAVEPOINT: it is rolled back alone on failure and
 * committed only when the caller commits.
 *
 * Needs the optional peer dependency `pg-copy-streams` (`npm install pg-copy-streams`), imported on the first call.
 *
 * @throws PgVectorError `INVALID_COPY_ROW` / value codes (row index and column in message and details),
 *   `UNSUPPORTED_COPY_COLUMN`, `INVALID_COPY_OPTION`, `COPY_ABORTED`, `MISSING_PEER_DEPENDENCY` (pg-copy-streams
 *   is not installed; before connecting); `CONNECTION_LOST` / `STATEMENT_TIMEOUT` / `LOCK_TIMEOUT` (SQLSTATE in
 *   `details.sqlState`, the driver's error as `cause`; nothing written); the source's own error; any other server
 *   error as it is (SQLSTATE in `code`).
 *
 * @example
 * ```ts
 * import { copyRows } from 'drizzle-pgvector/pg';
 *
 * await copyRows(pool, items, rows, { onProgress: (p) => console.log(p.rows, p.rowsPerSecond) });
 * // BEGIN; COPY "items" ("id", "embedding") FROM STDIN (FORMAT binary); COMMIT
 * ```
 */
export async function copyRows<TTable extends PgTable>(
  client: PgCopyClient,
  table: TTable,
  rows: CopyRowSource<InferInsertModel<TTable>>,
  options: CopyRowsOptions<InferInsertModel<TTable>> = {},
): Promise<CopyResult> {
  checkCopyArguments(table, rows, options);
  const target = resolveClient(client);
  const copyFrom = await loadCopyFrom();
  const guard = new AbortGuard(options.signal);
  const reader = new RowReader(rows as CopyRowSource<unknown>);
  let connection: Queryable | undefined;
  let broken: unknown;
  const onError = (error: unknown): void => {
    broken ??= error;
  };
  try {
    guard.check();
    // Not raced with the signal: a checkout that completes after an abort would never be released.
    connection = target.client ?? (await (target.pool as Pool).connect());
    // A server that drops the connection mid-load makes pg emit 'error' on the client: keep it from crashing the process.
    connection.on('error', onError);
    return await loadOn(
      connection,
      table,
      reader,
      options as CopyRowsOptions,
      guard,
      (error) => {
        broken ??= error;
      },
      copyFrom,
    );
  } catch (error) {
    reader.close();
    // A lost connection, statement_timeout or lock_timeout: its own code; the transaction never committed.
    throw faultError(`copyRows into "${tableNameOf(table)}"`, error, 'Nothing was written: the load runs in one transaction, which did not commit.') ?? error;
  } finally {
    guard.dispose();
    if (connection !== undefined) {
      connection.off('error', onError);
      if (target.pool !== undefined) (connection as PoolClient).release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
    }
  }
}

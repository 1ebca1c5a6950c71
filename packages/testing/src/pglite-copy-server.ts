import { createServer, type Socket } from 'node:net';

/**
 * Test helper: serve a PGlite instance to node-postgres over loopback TCP, with `COPY … FROM STDIN` working.
 *
 * @electric-sql/pglite-socket hands every protocol message to PGlite on its own, and PGlite (one WASM backend,
 * no socket of its own) reads a COPY's data from the same input as its Query message, so COPY FROM STDIN fails
 * there ("unexpected EOF"). This server answers the CopyInResponse itself, collects the CopyData until CopyDone /
 * CopyFail, then gives PGlite the Query plus all of its data in one call (dropping PGlite's own CopyInResponse from
 * the reply). Everything else is passed through message by message, like pglite-socket. PGlite has one session:
 * use one connection at a time (a pool of max 1). `terminate()` ends every connection the way PostgreSQL's
 * pg_terminate_backend() does (FATAL 57P01, then close), for tests of broken connections. Buffers a whole COPY.
 */
export interface PgliteCopyServer {
  readonly url: string;
  /** Send FATAL 57P01 "terminating connection due to administrator command" to every client and close them. */
  terminate(): void;
  close(): Promise<void>;
}

interface PgliteRaw {
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<void>;
  isInTransaction(): boolean;
  exec(sql: string): Promise<unknown>;
}

const SSL_REQUEST = 80877103;
const PROTOCOL_3 = 196608;
const COPY_FROM_STDIN = /^\s*copy\b[\s\S]*\bfrom\s+stdin\b/i;

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function errorResponse(severity: string, code: string, text: string): Buffer {
  const field = (t: string, v: string) => Buffer.concat([Buffer.from(t, 'latin1'), Buffer.from(v, 'utf8'), Buffer.from([0])]);
  return message('E', Buffer.concat([field('S', severity), field('V', severity), field('C', code), field('M', text), Buffer.from([0])]));
}

/** Drop CopyInResponse ('G') messages from a reply. */
function withoutCopyIn(reply: Buffer): Buffer {
  const kept: Buffer[] = [];
  let p = 0;
  while (p + 5 <= reply.length) {
    const length = reply.readInt32BE(p + 1);
    if (reply[p] !== 0x47) kept.push(reply.subarray(p, p + 1 + length));
    p += 1 + length;
  }
  return Buffer.concat(kept);
}

/**
 * Serve a PGlite instance on a random loopback port, `COPY … FROM STDIN` included, for node-postgres (or any
 * wire-protocol client). Resolves once listening; `close()` stops it (the PGlite instance stays open).
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { vector } from '@electric-sql/pglite-pgvector';
 * import pg from 'pg';
 * import { servePgliteWithCopy } from '@drizzle-pgvector/testing';
 *
 * const pglite = await PGlite.create({ extensions: { vector } });
 * const server = await servePgliteWithCopy(pglite);
 * const pool = new pg.Pool({ connectionString: server.url, max: 1 }); // PGlite has one session
 * await pool.query('copy items (id) from stdin'); // … stream the data with pg-copy-streams
 * await pool.end();
 * await server.close();
 * ```
 */
export async function servePgliteWithCopy(pglite: unknown): Promise<PgliteCopyServer> {
  const db = pglite as PgliteRaw;
  let queue: Promise<unknown> = Promise.resolve();
  const run = (input: Buffer): Promise<Buffer> => {
    const out: Buffer[] = [];
    const job = queue.then(() => db.runExclusive(() => db.execProtocolRawStream(new Uint8Array(input), { onRawData: (d) => out.push(Buffer.from(d)) })));
    queue = job.catch(() => {});
    return job.then(() => Buffer.concat(out));
  };
  const sockets = new Set<Socket>();
  let closed = false;

  const serve = (socket: Socket): void => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    let started = false;
    let copy: Buffer[] | undefined;
    let chain: Promise<void> = Promise.resolve();
    const send = (data: Buffer): void => {
      if (data.length > 0 && socket.writable) socket.write(data);
    };
    const handle = async (msg: Buffer, startup: boolean): Promise<void> => {
      if (startup) {
        if (msg.readInt32BE(4) === SSL_REQUEST) return send(Buffer.from('N'));
        return send(await run(msg));
      }
      const type = String.fromCharCode(msg[0]!);
      if (copy !== undefined) {
        if (type === 'd') copy.push(msg);
        else if (type === 'c' || type === 'f') {
          const all = type === 'f' ? [copy[0]!, msg] : [...copy, msg];
          copy = undefined;
          send(withoutCopyIn(await run(Buffer.concat(all))));
        }
        return;
      }
      if (type === 'Q' && COPY_FROM_STDIN.test(msg.subarray(5, msg.length - 1).toString('utf8'))) {
        copy = [msg];
        // CopyInResponse: overall format 1 (binary), 0 columns (clients do not read them).
        send(message('G', Buffer.from([1, 0, 0])));
        return;
      }
      if (type === 'X') {
        socket.end();
        return;
      }
      send(await run(msg));
    };
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const headerLength = started ? 5 : 4;
        if (pending.length < headerLength) break;
        const length = started ? 1 + pending.readInt32BE(1) : pending.readInt32BE(0);
        if (pending.length < length) break;
        const msg = pending.subarray(0, length);
        pending = pending.subarray(length);
        const startup = !started;
        if (startup && msg.length >= 8 && msg.readInt32BE(4) === PROTOCOL_3) started = true;
        chain = chain.then(() => handle(msg, startup)).catch(() => {
          socket.destroy();
        });
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      // Like pglite-socket: a connection that goes away mid-transaction leaves PGlite's one session rolled back.
      void chain
        .then(() => queue)
        .then(async () => {
          if (!closed && db.isInTransaction()) await db.exec('ROLLBACK');
        })
        .catch(() => {});
    });
  };

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  return {
    url: `postgres://postgres@127.0.0.1:${address.port}/postgres`,
    terminate: () => {
      for (const socket of sockets) {
        socket.write(errorResponse('FATAL', '57P01', 'terminating connection due to administrator command'));
        socket.end();
      }
    },
    close: async () => {
      closed = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
    },
  };
}

/**
 * The exact top-10 of every held-out query in ONE pass over the table: `COPY seed_items TO STDOUT (FORMAT binary)`
 * streams each stored float4 vector once, and the cosine distance to every query is computed here (in double).
 * Fifty sequential scans through the server (one per query) take 50× a full scan — 25 minutes on a loaded 2-core
 * machine — while this reads the table once. A few real sequential scans (`nearest(…, { strategy: 'exact' })`)
 * measure the latency and check that both give the same ids.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { log } from './seed-schema.js';

const K = 10;

/** Top-k smallest distances, kept sorted (k is small). */
class TopK {
  readonly ids: number[] = [];
  readonly d: number[] = [];
  worst = Infinity;
  push(id: number, distance: number): void {
    if (this.ids.length === K && distance >= this.worst) return;
    let at = this.d.length;
    while (at > 0 && this.d[at - 1]! > distance) at--;
    this.d.splice(at, 0, distance);
    this.ids.splice(at, 0, id);
    if (this.ids.length > K) {
      this.d.pop();
      this.ids.pop();
    }
    if (this.ids.length === K) this.worst = this.d[K - 1]!;
  }
}

/** Exact cosine top-10 ids of every query, by one COPY of the table. */
export async function exactTopK(client: pg.Client, queries: readonly number[][], dimensions: number, limit?: number): Promise<number[][]> {
  const nq = queries.length;
  const flat = new Float64Array(nq * dimensions);
  queries.forEach((q, j) => {
    const norm = Math.sqrt(q.reduce((s, x) => s + x * x, 0));
    for (let i = 0; i < dimensions; i++) flat[j * dimensions + i] = q[i]! / norm;
  });
  const tops = queries.map(() => new TopK());
  const row = new Float32Array(dimensions);
  const rowBytes = new Uint8Array(row.buffer);
  const tupleBytes = 2 + 4 + 4 + 4 + 4 + 4 * dimensions;
  let pending: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let rows = 0;
  const consume = (buf: Buffer): void => {
    pending = pending.length === 0 ? buf : Buffer.concat([pending, buf]);
    let o = 0;
    if (!headerDone) {
      if (pending.length < 19) return;
      o = 19 + pending.readInt32BE(15);
      headerDone = true;
    }
    while (pending.length - o >= 2) {
      if (pending.readInt16BE(o) === -1) {
        o += 2;
        break;
      }
      if (pending.length - o < tupleBytes) break;
      const id = pending.readInt32BE(o + 6);
      const dims = pending.readInt16BE(o + 14);
      if (dims !== dimensions) throw new Error(`row ${id}: ${dims} dimensions, expected ${dimensions}`);
      const base = o + 18;
      for (let i = 0; i < dimensions; i++) {
        const b = base + 4 * i;
        rowBytes[4 * i] = pending[b + 3]!;
        rowBytes[4 * i + 1] = pending[b + 2]!;
        rowBytes[4 * i + 2] = pending[b + 1]!;
        rowBytes[4 * i + 3] = pending[b]!;
      }
      let norm = 0;
      for (let i = 0; i < dimensions; i++) norm += row[i]! * row[i]!;
      const inv = 1 / Math.sqrt(norm);
      // Four queries per pass over the row (each row element is loaded once for four products).
      for (let j = 0; j < nq; j += 4) {
        const b0 = j * dimensions;
        const b1 = Math.min(j + 1, nq - 1) * dimensions;
        const b2 = Math.min(j + 2, nq - 1) * dimensions;
        const b3 = Math.min(j + 3, nq - 1) * dimensions;
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        for (let i = 0; i < dimensions; i++) {
          const x = row[i]!;
          d0 += x * flat[b0 + i]!;
          d1 += x * flat[b1 + i]!;
          d2 += x * flat[b2 + i]!;
          d3 += x * flat[b3 + i]!;
        }
        const dots = [d0, d1, d2, d3];
        for (let t = 0; t < 4 && j + t < nq; t++) tops[j + t]!.push(id, 1 - dots[t]! * inv);
      }
      o += tupleBytes;
      if (++rows % 100_000 === 0) log(`ground-truth: ${rows.toLocaleString('en-US')} rows scanned`);
    }
    pending = pending.subarray(o);
  };
  const source = limit === undefined ? 'seed_items' : `(select id, embedding from seed_items where id <= ${limit})`;
  const stream = client.query(copyTo(`copy ${limit === undefined ? `${source} (id, embedding)` : source} to stdout (format binary)`));
  for await (const chunk of stream) consume(chunk as Buffer);
  return tops.map((t) => t.ids);
}

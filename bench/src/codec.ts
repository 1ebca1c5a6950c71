/**
 * Codec benchmark: drizzle-pgvector's text encode/decode vs pgvector-node's (`pgvector` 0.3.0) for 1536-dim
 * vectors. Pure CPU, no database. Prints a markdown table of ops/sec (median of several interleaved rounds).
 *
 *   pnpm --filter drizzle-pgvector-bench bench:codec
 *
 * Env: CODEC_ROUND_MS (default 300) time per measurement, CODEC_ROUNDS (default 7).
 */
import { deepStrictEqual } from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import pgvector, { SparseVector as PgvectorSparseVector } from 'pgvector';
import { SparseVector, decodeDense, decodeSparse, encodeValue, type ValueSpec } from 'drizzle-pgvector';
import { seededRandom, unitVector } from '@drizzle-pgvector/testing/data';
import { markdownTable as table } from '@drizzle-pgvector/testing/report';

import { environment, median, opsPerSecond } from './stats.js';

const DIMENSIONS = 1536;
const SPARSE_NNZ = 200;
const ROUND_MS = Number(process.env.CODEC_ROUND_MS ?? 300);
const ROUNDS = Number(process.env.CODEC_ROUNDS ?? 7);
const INPUTS = 16;

const vectorSpec: ValueSpec = { type: 'vector', dimensions: DIMENSIONS, label: 'x' };
const sparseSpec: ValueSpec = { type: 'sparsevec', dimensions: DIMENSIONS, label: 'x' };

/** The shortest decimal that reads back as the same float4: what pgvector prints for a stored element. */
function float4Text(x: number): string {
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(Number(x.toPrecision(9)));
}

const random = seededRandom(1536);
// Embedding-like inputs. A model's output is float32: as a Float32Array, or as doubles holding float32 values
// (which print with up to 17 digits). An API's JSON (OpenAI…) carries short decimals that parse to doubles
// printing with at most 9 digits.
const dense = Array.from({ length: INPUTS }, () => unitVector(random, DIMENSIONS));
const float32 = dense.map((v) => Float32Array.from(v));
const fromJson = dense.map((v) => v.map((x) => Number(float4Text(x))));
const denseText = dense.map((v) => `[${v.map(float4Text).join(',')}]`);
const sparseParts = dense.map((v) => {
  const indices = [...new Set(Array.from({ length: SPARSE_NNZ * 2 }, () => Math.floor(random() * DIMENSIONS)))].slice(0, SPARSE_NNZ).sort((a, b) => a - b);
  return { indices, values: indices.map((i) => v[i]!) };
});
const oursSparse = sparseParts.map((p) => new SparseVector(DIMENSIONS, p.indices, p.values));
const theirsSparse = sparseParts.map((p) => new PgvectorSparseVector(new Map(p.indices.map((i, j) => [i, p.values[j]!])), DIMENSIONS));
const sparseText = oursSparse.map((s) => s.toString());

interface Case {
  name: string;
  ours: (i: number) => unknown;
  theirs: (i: number) => unknown;
  /** Checks that both sides produce the same thing before anything is timed. */
  check: (i: number) => void;
  note: string;
}

const asNumbers = (text: string) => JSON.parse(text) as number[];
const sparseEqual = (a: string, b: string) => {
  const x = SparseVector.parse(a);
  const y = SparseVector.parse(b);
  deepStrictEqual([x.dimensions, x.indices, x.values], [y.dimensions, y.indices, y.values]);
};

const cases: Case[] = [
  {
    name: 'encode vector, number[] from API JSON',
    ours: (i) => encodeValue(fromJson[i], vectorSpec),
    theirs: (i) => pgvector.toSql(fromJson[i]!),
    check: (i) => deepStrictEqual(asNumbers(encodeValue(fromJson[i], vectorSpec)), asNumbers(pgvector.toSql(fromJson[i]!)!)),
    note: 'values with ≤ 9 significant digits; ours checks length, finiteness and float4 range, pgvector-node maps Number() over the array',
  },
  {
    name: 'encode vector, number[] of float32 values',
    ours: (i) => encodeValue(dense[i], vectorSpec),
    theirs: (i) => pgvector.toSql(dense[i]!),
    check: (i) => deepStrictEqual(asNumbers(encodeValue(dense[i], vectorSpec)), asNumbers(pgvector.toSql(dense[i]!)!)),
    note: 'float32 values held as doubles print with up to 17 digits: number→text dominates both',
  },
  {
    name: 'encode vector, Float32Array',
    ours: (i) => encodeValue(float32[i], vectorSpec),
    theirs: (i) => pgvector.toSql(Array.from(float32[i]!)),
    check: (i) => deepStrictEqual(asNumbers(encodeValue(float32[i], vectorSpec)), asNumbers(pgvector.toSql(Array.from(float32[i]!))!)),
    note: 'pgvector-node takes arrays only, so the caller converts with Array.from first',
  },
  {
    name: 'decode vector text',
    ours: (i) => decodeDense(denseText[i]),
    theirs: (i) => pgvector.fromSql(denseText[i]!),
    check: (i) => deepStrictEqual(decodeDense(denseText[i]), pgvector.fromSql(denseText[i]!)),
    note: 'server text with shortest float4 digits, as pgvector prints it',
  },
  {
    name: `encode sparsevec (${SPARSE_NNZ} nnz)`,
    ours: (i) => encodeValue(oursSparse[i], sparseSpec),
    theirs: (i) => pgvector.toSql(theirsSparse[i]!),
    check: (i) => sparseEqual(encodeValue(oursSparse[i], sparseSpec), pgvector.toSql(theirsSparse[i]!)!),
    note: 'each side serialises its own SparseVector class',
  },
  {
    name: `encode sparsevec from pgvector-node's class`,
    ours: (i) => encodeValue(theirsSparse[i], sparseSpec),
    theirs: (i) => pgvector.toSql(theirsSparse[i]!),
    check: (i) => sparseEqual(encodeValue(theirsSparse[i], sparseSpec), pgvector.toSql(theirsSparse[i]!)!),
    note: 'ours validates and copies the foreign object (sorted, no duplicates, finite) before writing',
  },
  {
    name: `decode sparsevec text (${SPARSE_NNZ} nnz)`,
    ours: (i) => decodeSparse(sparseText[i]),
    theirs: (i) => pgvector.fromSql(sparseText[i]!),
    check: (i) => {
      const a = decodeSparse(sparseText[i]);
      const b = pgvector.fromSql(sparseText[i]!) as PgvectorSparseVector;
      deepStrictEqual([a.dimensions, [...a.indices], [...a.values]], [b.dimensions, b.indices, b.values]);
    },
    note: 'ours validates while parsing',
  },
];

let sink = 0;
function consume(x: unknown): void {
  sink += typeof x === 'string' ? x.length : Array.isArray(x) ? x.length : x ? 1 : 0;
}

/** ops/sec of `fn` over about `budgetMs`, calling it in small batches between clock reads. */
function opsPerSec(fn: (i: number) => unknown, budgetMs: number): number {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < budgetMs) {
    for (let j = 0; j < 32; j++) consume(fn((ops + j) % INPUTS));
    ops += 32;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

export async function runCodecBenchmark(): Promise<void> {
  console.log(`## Codec: drizzle-pgvector vs pgvector-node ${'0.3.0'} (${DIMENSIONS} dimensions)`);
  console.log();
  console.log(`${await environment()}. ${ROUNDS} rounds × ${ROUND_MS} ms per side, interleaved; median ops/sec.`);
  console.log();
  for (const c of cases) for (let i = 0; i < INPUTS; i++) c.check(i);
  const rows: string[][] = [];
  for (const c of cases) {
    // Warm-up so both sides are optimised before timing.
    opsPerSec(c.ours, 200);
    opsPerSec(c.theirs, 200);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        ours.push(opsPerSec(c.ours, ROUND_MS));
        theirs.push(opsPerSec(c.theirs, ROUND_MS));
      } else {
        theirs.push(opsPerSec(c.theirs, ROUND_MS));
        ours.push(opsPerSec(c.ours, ROUND_MS));
      }
    }
    const o = median(ours);
    const t = median(theirs);
    rows.push([c.name, opsPerSecond(o), opsPerSecond(t), `${(o / t).toFixed(2)}×`, c.note]);
  }
  console.log(table(['operation', 'drizzle-pgvector ops/s', 'pgvector-node ops/s', 'ours / theirs', 'notes'], rows, ['l', 'r', 'r', 'r', 'l']));
  console.log();
  console.log(`Outputs were checked equal before timing. (sink ${sink > 0 ? 'ok' : '0'})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runCodecBenchmark();

/**
 * Codec benchmark: drizzle-pgvector's text encode/decode for 1536-dim vectors against, side by side in one run,
 * Drizzle's built-in `vector` column (drizzle-orm 0.45.4 `pg-core` `vector`: `mapToDriverValue` /
 * `mapFromDriverValue` called on a real column instance), pgvector-node 0.3.0 (`toSql` / `fromSql`) and
 * `JSON.stringify` (encode) / `JSON.parse` (decode) of the same values. Pure CPU, no database.
 *
 *   pnpm --filter drizzle-pgvector-bench bench:codec
 *
 * Env: CODEC_ROUND_MS (default 300) time per peer per round, CODEC_ROUNDS (default 7).
 * Targets (issue 9): decode ≥ 2× Drizzle built-in, encode with full validation ≥ 1× JSON.stringify.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { pgTable, vector as drizzleVector } from 'drizzle-orm/pg-core';
import pgvector, { SparseVector as PgvectorSparseVector } from 'pgvector';
import { SparseVector, decodeDense, decodeSparse, encodeValue, type ValueSpec } from 'drizzle-pgvector';
import { seededRandom, unitVector } from '@drizzle-pgvector/testing/data';
import { markdownTable as table } from '@drizzle-pgvector/testing/report';

import { resultsDir, writeReport, type BenchmarkReport } from './report.js';
import { environment, median } from './stats.js';

const DIMENSIONS = 1536;
const SPARSE_NNZ = 200;
const ROUND_MS = Number(process.env.CODEC_ROUND_MS ?? 300);
const ROUNDS = Number(process.env.CODEC_ROUNDS ?? 7);
const INPUTS = 16;

const vectorSpec: ValueSpec = { type: 'vector', dimensions: DIMENSIONS, label: 'x' };
const sparseSpec: ValueSpec = { type: 'sparsevec', dimensions: DIMENSIONS, label: 'x' };

/** Drizzle's own vector column, as a user of drizzle-orm/pg-core declares it. */
const drizzleColumn = pgTable('codec_bench', { embedding: drizzleVector('embedding', { dimensions: DIMENSIONS }) }).embedding;
const drizzleEncode = (v: number[]) => drizzleColumn.mapToDriverValue(v) as string;
const drizzleDecode = (text: string) => drizzleColumn.mapFromDriverValue(text);

/** Significant digits of the shortest decimal that reads back as the float4 `x`. */
function float4Digits(x: number): number {
  for (let p = 1; p < 9; p++) if (Math.fround(Number(x.toPrecision(p))) === x) return p;
  return 9;
}
/** An element as PostgreSQL prints a float4 (`0.0123`, `1.234e-05`, `1.234567e+06`): what a driver receives. */
function pgFloat4Text(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = float4Digits(x);
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(p)))));
  if (exponent >= -4 && exponent < 6) return String(Number(x.toPrecision(p)));
  const [mantissa, e] = x.toExponential(p - 1).split('e') as [string, string];
  const n = Number(e);
  return `${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

const random = seededRandom(1536);
// Embedding-like inputs. A model's output is float32: as a Float32Array, or as doubles holding float32 values
// (which print with up to 17 digits). An API's JSON (OpenAI…) carries short decimals that parse to doubles
// printing with at most 9 digits.
const dense = Array.from({ length: INPUTS }, () => unitVector(random, DIMENSIONS).map(Math.fround));
const float32 = dense.map((v) => Float32Array.from(v));
const fromJson = dense.map((v) => v.map((x) => Number(x.toPrecision(float4Digits(x)))));
const denseText = dense.map((v) => `[${v.map(pgFloat4Text).join(',')}]`);
const sparseParts = dense.map((v) => {
  const indices = [...new Set(Array.from({ length: SPARSE_NNZ * 2 }, () => Math.floor(random() * DIMENSIONS)))].slice(0, SPARSE_NNZ).sort((a, b) => a - b);
  return { indices, values: indices.map((i) => v[i]!) };
});
const oursSparse = sparseParts.map((p) => new SparseVector(DIMENSIONS, p.indices, p.values));
const theirsSparse = sparseParts.map((p) => new PgvectorSparseVector(new Map(p.indices.map((i, j) => [i, p.values[j]!])), DIMENSIONS));
const sparseText = oursSparse.map((s) => s.toString());

type Peer = 'ours' | 'drizzle' | 'pgvector' | 'json';
const PEERS: readonly Peer[] = ['ours', 'drizzle', 'pgvector', 'json'];

interface Case {
  name: string;
  /** The peers measured for this case (ours first). */
  run: Partial<Record<Peer, (i: number) => unknown>>;
  /** What the JSON column means here. */
  jsonIs?: string;
  /** Checks every peer produces the same values before anything is timed. */
  check: (i: number) => void;
  note: string;
}

/** The float4s PostgreSQL stores from a vector literal: what every encoder must agree on. */
const stored = (text: string) => (JSON.parse(text) as number[]).map(Math.fround);
const sameStored = (...texts: string[]) => {
  for (const t of texts.slice(1)) deepStrictEqual(stored(t), stored(texts[0]!));
};
const sparseEqual = (a: string, b: string) => {
  const x = SparseVector.parse(a);
  const y = SparseVector.parse(b);
  deepStrictEqual([x.dimensions, x.indices, x.values], [y.dimensions, y.indices, y.values]);
};

const cases: Case[] = [
  {
    name: 'encode vector, number[] of float32 values',
    run: {
      ours: (i) => encodeValue(dense[i], vectorSpec),
      drizzle: (i) => drizzleEncode(dense[i]!),
      pgvector: (i) => pgvector.toSql(dense[i]!),
      json: (i) => JSON.stringify(dense[i]),
    },
    jsonIs: 'JSON.stringify(array)',
    check: (i) => sameStored(encodeValue(dense[i], vectorSpec), drizzleEncode(dense[i]!), pgvector.toSql(dense[i]!)!, JSON.stringify(dense[i])),
    note: "a model's float32 output held as doubles: JSON prints up to 17 digits, ours the ≤ 9 that read back as the same float4",
  },
  {
    name: 'encode vector, number[] from API JSON',
    run: {
      ours: (i) => encodeValue(fromJson[i], vectorSpec),
      drizzle: (i) => drizzleEncode(fromJson[i]!),
      pgvector: (i) => pgvector.toSql(fromJson[i]!),
      json: (i) => JSON.stringify(fromJson[i]),
    },
    jsonIs: 'JSON.stringify(array)',
    check: (i) => sameStored(encodeValue(fromJson[i], vectorSpec), drizzleEncode(fromJson[i]!), pgvector.toSql(fromJson[i]!)!, JSON.stringify(fromJson[i])),
    note: 'short decimals (≤ 9 significant digits), as parsed from an embeddings API response',
  },
  {
    name: 'encode vector, Float32Array',
    run: {
      ours: (i) => encodeValue(float32[i], vectorSpec),
      drizzle: (i) => drizzleEncode(Array.from(float32[i]!)),
      pgvector: (i) => pgvector.toSql(Array.from(float32[i]!)),
      json: (i) => JSON.stringify(Array.from(float32[i]!)),
    },
    jsonIs: 'JSON.stringify(Array.from(f32))',
    check: (i) =>
      sameStored(
        encodeValue(float32[i], vectorSpec),
        drizzleEncode(Array.from(float32[i]!)),
        pgvector.toSql(Array.from(float32[i]!))!,
        JSON.stringify(Array.from(float32[i]!)),
      ),
    note: 'the others need Array.from first (JSON.stringify of a typed array is an object)',
  },
  {
    name: 'decode vector text',
    run: {
      ours: (i) => decodeDense(denseText[i]),
      drizzle: (i) => drizzleDecode(denseText[i]!),
      pgvector: (i) => pgvector.fromSql(denseText[i]!),
      json: (i) => JSON.parse(denseText[i]!),
    },
    jsonIs: 'JSON.parse(text)',
    check: (i) => {
      const ours = decodeDense(denseText[i]);
      deepStrictEqual(ours, drizzleDecode(denseText[i]!));
      deepStrictEqual(ours, pgvector.fromSql(denseText[i]!));
      deepStrictEqual(ours, JSON.parse(denseText[i]!));
      deepStrictEqual(ours.map(Math.fround), dense[i]); // every float4 round-trips exactly
    },
    note: 'text as PostgreSQL prints a vector(1536) (shortest float4 digits, 1.234e-05 style exponents) to number[]',
  },
  {
    name: `encode sparsevec (${SPARSE_NNZ} nnz)`,
    run: { ours: (i) => encodeValue(oursSparse[i], sparseSpec), pgvector: (i) => pgvector.toSql(theirsSparse[i]!) },
    check: (i) => sparseEqual(encodeValue(oursSparse[i], sparseSpec), pgvector.toSql(theirsSparse[i]!)!),
    note: 'each side serialises its own SparseVector class (Drizzle 0.45 has no sparse value mapping)',
  },
  {
    name: `encode sparsevec from pgvector-node's class`,
    run: { ours: (i) => encodeValue(theirsSparse[i], sparseSpec), pgvector: (i) => pgvector.toSql(theirsSparse[i]!) },
    check: (i) => sparseEqual(encodeValue(theirsSparse[i], sparseSpec), pgvector.toSql(theirsSparse[i]!)!),
    note: 'ours validates and copies the foreign object (sorted, no duplicates, finite) before writing',
  },
  {
    name: `decode sparsevec text (${SPARSE_NNZ} nnz)`,
    run: { ours: (i) => decodeSparse(sparseText[i]), pgvector: (i) => pgvector.fromSql(sparseText[i]!) },
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

/** Measured numbers of one case: ops/sec per round for each peer. */
export interface CodecCaseResult {
  name: string;
  opsPerSecond: Partial<Record<Peer, number[]>>;
  median: Partial<Record<Peer, number>>;
  /** median(ours) / median(peer). */
  ratio: Partial<Record<Exclude<Peer, 'ours'>, number>>;
  jsonIs?: string;
}

const fmt = (x: number | undefined) => (x === undefined ? '—' : Math.round(x).toLocaleString('en-US'));
const ratio = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(2)}×`);

export async function runCodecBenchmark(): Promise<BenchmarkReport> {
  for (const c of cases) for (let i = 0; i < INPUTS; i++) c.check(i);
  const results: CodecCaseResult[] = [];
  for (const c of cases) {
    const peers = PEERS.filter((p) => c.run[p] !== undefined);
    // Warm-up so every peer is optimised before timing.
    for (const p of peers) opsPerSec(c.run[p]!, 200);
    const rounds: Partial<Record<Peer, number[]>> = {};
    for (let r = 0; r < ROUNDS; r++) {
      // Rotated order: each peer goes first equally often, so drift hits all alike.
      for (let j = 0; j < peers.length; j++) {
        const p = peers[(r + j) % peers.length]!;
        (rounds[p] ??= []).push(opsPerSec(c.run[p]!, ROUND_MS));
      }
    }
    const med: Partial<Record<Peer, number>> = {};
    for (const p of peers) med[p] = median(rounds[p]!);
    const ratios: CodecCaseResult['ratio'] = {};
    for (const p of peers) if (p !== 'ours') ratios[p] = med.ours! / med[p]!;
    results.push({ name: c.name, opsPerSecond: rounds, median: med, ratio: ratios, jsonIs: c.jsonIs });
    process.stderr.write(`codec: ${c.name}: ${peers.map((p) => `${p} ${fmt(med[p])}`).join(', ')}\n`);
  }
  const rows = results.map((r, k) => [
    r.name,
    fmt(r.median.ours),
    fmt(r.median.drizzle),
    fmt(r.median.pgvector),
    r.median.json === undefined ? '—' : `${fmt(r.median.json)} (${r.jsonIs})`,
    ratio(r.ratio.drizzle),
    ratio(r.ratio.pgvector),
    ratio(r.ratio.json),
    cases[k]!.note,
  ]);
  const decode = results.find((r) => r.name === 'decode vector text')!;
  const encodes = results.filter((r) => r.name.startsWith('encode vector'));
  const markdown = [
    `## Codec: drizzle-pgvector vs Drizzle built-in vs pgvector-node vs JSON (${DIMENSIONS} dimensions)`,
    '',
    `${await environment()}. drizzle-orm 0.45.4 \`vector\` column (its mapToDriverValue / mapFromDriverValue), pgvector-node 0.3.0 (toSql / fromSql). ${ROUNDS} rounds × ${ROUND_MS} ms per peer, peers interleaved in a rotated order; median ops/sec (one op = one ${DIMENSIONS}-d vector). Ours validates every element (count, type, finite, float4/half range) while encoding; the others validate nothing.`,
    '',
    `Targets: decode ≥ 2× Drizzle built-in — **${ratio(decode.ratio.drizzle)}**; encode with validation ≥ 1× JSON.stringify — **${encodes.map((r) => ratio(r.ratio.json)).join(' / ')}** (${encodes.map((r) => r.name.replace('encode vector, ', '')).join(' / ')}).`,
    '',
    table(
      ['operation', 'drizzle-pgvector ops/s', 'Drizzle built-in ops/s', 'pgvector-node ops/s', 'JSON ops/s', 'ours / Drizzle', 'ours / pgvector-node', 'ours / JSON', 'notes'],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    `Every peer's output was checked before timing: encoders agree on the float4s PostgreSQL stores, decoders on the numbers. (sink ${sink > 0 ? 'ok' : '0'})`,
    '',
  ].join('\n');
  return { name: 'codec', markdown, data: { dimensions: DIMENSIONS, rounds: ROUNDS, roundMs: ROUND_MS, cases: results } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runCodecBenchmark();
  console.log(result.markdown);
  for (const path of await writeReport(resultsDir(process.argv.slice(2)), result)) process.stderr.write(`wrote ${path}\n`);
}

/**
 * The dense text encoder writes the shortest decimal that reads back as the float4 PostgreSQL stores. Checked
 * two ways: in JS over many random float4 bit patterns and doubles (each element must read back as
 * `strtof(String(x))`, the value the previous `JSON.stringify` encoding stored), and on the server, which
 * must store exactly the same float4s from our text as from `String(x)` text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@drizzle-pgvector/testing/data';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { encodeValue, type ValueSpec } from '../../src/index.js';
import { parsedFloat4 } from '../../src/internal.js';

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const random = seededRandom(9);

/** Finite float4s from random bit patterns (every magnitude, subnormals included), as doubles. */
function randomFloat4s(count: number): number[] {
  const out: number[] = [];
  while (out.length < count) {
    U32[0] = Math.floor(random() * 2 ** 32);
    if (Number.isFinite(F32[0]!)) out.push(F32[0]!);
  }
  return out;
}
/** Doubles as an API's JSON carries them (few digits) and arbitrary doubles inside float4's range. */
function randomDoubles(count: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    const x = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 30);
    return i % 2 === 0 ? Number(x.toPrecision(1 + (i % 10))) : x;
  });
}
/** Exactly halfway between two float4s: the text decides which one strtof picks, so String(x) is sent. */
function isFloat4Tie(x: number): boolean {
  const f = Math.fround(x);
  const other = 2 * x - f;
  return f !== x && Math.fround(other) === other;
}
const significantDigits = (text: string) => text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;

const spec = (n: number): ValueSpec => ({ type: 'vector', dimensions: n, label: 'x' });
const elements = (text: string) => text.slice(1, -1).split(',');

describe('dense text encoder', () => {
  for (const [name, values] of [
    ['float4 bit patterns as number[]', randomFloat4s(15000)],
    ['doubles', randomDoubles(15000)],
  ] as const) {
    it(`${name}: every element reads back as the float4 String(x) gives`, () => {
      const text = encodeValue(values, spec(values.length));
      const parts = elements(text);
      expect(parts).toHaveLength(values.length);
      let inRange = 0;
      let short = 0;
      for (let i = 0; i < values.length; i++) {
        const part = parts[i]!;
        // The fast path covers magnitudes 1e-14..1e22 (embeddings live there) except float4 ties: at most 9 digits.
        const magnitude = Math.abs(values[i]!);
        if (magnitude > 1e-14 && magnitude < 1e22 && !isFloat4Tie(values[i]!)) {
          inRange++;
          if (significantDigits(part) <= 9) short++;
        }
        // A decimal of ≤ 15 significant digits survives the trip through a double, so parsedFloat4 of its
        // Number() is strtof of the text itself.
        if (significantDigits(part) <= 15) expect(parsedFloat4(Number(part)), `${values[i]} → ${part}`).toBe(parsedFloat4(values[i]!));
        else expect(part).toBe(String(values[i]));
      }
      expect(inRange).toBeGreaterThan(values.length / 4);
      expect(short / inRange).toBeGreaterThan(0.999);
    });
  }

  it('Float32Array input writes the same text as the number[] of its values', () => {
    const values = randomFloat4s(5000);
    expect(encodeValue(Float32Array.from(values), spec(5000))).toBe(encodeValue(values, spec(5000)));
  });

  it('keeps the layout of Number.prototype.toString for short values', () => {
    const values = [0, -0, 1, -1, 0.5, 0.1, 100, 1e-7, 1.5e-7, 0.000123, 123456789, 1e21, -2.5e-5, 65504, 3.4028234663852886e38];
    expect(encodeValue(values, spec(values.length))).toBe(
      '[0,-0,1,-1,0.5,0.1,100,1e-7,1.5e-7,0.000123,123456790,1e+21,-0.000025,65504,3.4028234663852886e+38]',
    );
  });

  it('writes the float4 value, not the double: 0.1f as 0.1, 1/3 as 0.33333334', () => {
    expect(encodeValue([Math.fround(0.1), 1 / 3, Math.fround(1 / 3)], spec(3))).toBe('[0.1,0.33333334,0.33333334]');
  });
});

describe('dense text encoder against the server', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('the server stores the same float4s from our text as from String(x) text', async () => {
    const values = [...randomFloat4s(1000).filter((x) => Math.abs(x) < 3e38), ...randomDoubles(1000)];
    const ours = encodeValue(values, spec(values.length));
    const plain = `[${values.map((x) => (Object.is(x, -0) ? '-0' : String(x))).join(',')}]`;
    expect(ours).not.toBe(plain);
    const [row] = await database.query<{ same: boolean; n: number }>(
      'select $1::vector = $2::vector as same, vector_dims($1::vector) as n, ($1::vector)::real[] = ($2::vector)::real[] as arrays',
      [ours, plain],
    );
    expect(row).toMatchObject({ same: true, n: values.length });
  });
});

import { pgSchema } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { copySql, planCopy } from '../../src/copy/copy-plan.js';
import { halfBits } from '../../src/copy/vector-encoders.js';
import { vector } from '../../src/index.js';
import { expectCode } from '../helpers.js';
import { items, withDefaults } from './fixtures.js';

const f32bits = (x: number): number => new Uint32Array(Float32Array.of(x).buffer)[0]!;

describe('copy plan and encoders (no database)', () => {
  it('writes the COPY statement with quoted identifiers', () => {
    expect(copySql(planCopy(items, undefined, { id: 1, embedding: [] }))).toBe('COPY "copy_items" ("id", "embedding") FROM STDIN (FORMAT binary)');
    const schema = pgSchema('my "s"');
    const t = schema.table('t', { embedding: vector('embedding', { dimensions: 2 }) });
    expect(copySql(planCopy(t, undefined, {}), `'/dev/blob'`)).toBe(`COPY "my ""s"""."t" ("embedding") FROM '/dev/blob' (FORMAT binary)`);
  });

  it('leaves database-default columns the first row omits to the server, unless columns says otherwise', () => {
    expect(planCopy(withDefaults, undefined, { embedding: [1, 2] }).columnList).toBe('"tag", "embedding"');
    expect(planCopy(withDefaults, undefined, { id: 1, label: 'x' }).columnList).toBe('"id", "label", "tag", "embedding"');
    expect(planCopy(withDefaults, ['embedding', 'id'], undefined).columnList).toBe('"embedding", "id"');
    expectCode(() => planCopy(withDefaults, ['nope' as never], undefined), 'INVALID_COPY_OPTION');
    expectCode(() => planCopy(withDefaults, ['id', 'id'], undefined), 'INVALID_COPY_OPTION');
  });

  it('rounds float4 to binary16 to nearest even, subnormals included', () => {
    expect(halfBits(f32bits(1))).toBe(0x3c00);
    expect(halfBits(f32bits(-2))).toBe(0xc000);
    expect(halfBits(f32bits(65504))).toBe(0x7bff);
    expect(halfBits(f32bits(0.1))).toBe(0x2e66);
    expect(halfBits(f32bits(2 ** -24))).toBe(0x0001);
    expect(halfBits(f32bits(2 ** -25))).toBe(0x0000); // halfway to 0: even
    expect(halfBits(f32bits(3 * 2 ** -25))).toBe(0x0002); // halfway between 1 and 2 subnormal steps: even
    expect(halfBits(f32bits(1 + 2 ** -11))).toBe(0x3c00); // halfway, rounds to even
    expect(halfBits(f32bits(1 + 3 * 2 ** -11))).toBe(0x3c02);
    expect(halfBits(f32bits(-0))).toBe(0x8000);
  });
});

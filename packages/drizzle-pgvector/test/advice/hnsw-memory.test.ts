import { describe, expect, it } from 'vitest';
import { estimateIndexBuildMemory, hnswTuplesThatFit } from '../../src/index.js';
import { expectCode } from '../helpers.js';

// Thresholds pgvector 0.8.6 printed on PostgreSQL 15.20 (x86-64), from shared/reference/pgvector.md §5.
const PUBLISHED_PG15 = [
  { type: 'vector', dimensions: 3, m: 16, mwm: '8MB', workers: 0, observed: 10_554 },
  { type: 'vector', dimensions: 128, m: 16, mwm: '16MB', workers: 0, observed: 12_983 },
  { type: 'vector', dimensions: 768, m: 16, mwm: '32MB', workers: 0, observed: 8_702 },
  { type: 'vector', dimensions: 128, m: 32, mwm: '16MB', workers: 0, observed: 9_304 },
  { type: 'halfvec', dimensions: 128, m: 16, mwm: '16MB', workers: 0, observed: 16_201 },
  { type: 'vector', dimensions: 128, m: 16, mwm: '16MB', workers: 1, observed: 10_537 },
  { type: 'vector', dimensions: 3, m: 16, mwm: '3073kB', workers: 1, observed: 0 },
] as const;

describe('hnswTuplesThatFit', () => {
  it.each(PUBLISHED_PG15)('$type($dimensions) m=$m $mwm workers=$workers: within 0.5 % of pgvector ($observed)', (c) => {
    const predicted = hnswTuplesThatFit({
      type: c.type,
      dimensions: c.dimensions,
      m: c.m,
      maintenanceWorkMem: c.mwm,
      parallelWorkers: c.workers,
      serverVersion: 150020,
    });
    expect(Math.abs(predicted - c.observed)).toBeLessThanOrEqual(Math.max(1, c.observed * 0.005));
  });

  it('the server version and pointer width change the chunk header and the count', () => {
    const base = { type: 'vector', dimensions: 3, m: 16, maintenanceWorkMem: '8MB' } as const;
    const pg15 = hnswTuplesThatFit({ ...base, serverVersion: 15 });
    const pg16 = hnswTuplesThatFit({ ...base, serverVersion: 16 });
    const wasm = hnswTuplesThatFit({ ...base, serverVersion: 18, serverBits: 32 });
    expect(hnswTuplesThatFit(base)).toBe(pg15); // default: the conservative (larger) header
    expect(pg16).toBeGreaterThan(pg15);
    expect(wasm).toBeGreaterThan(pg16);
  });
});

describe('estimateIndexBuildMemory', () => {
  it('HNSW: per-tuple bytes and the setting for a typical table', () => {
    const e = estimateIndexBuildMemory({ method: 'hnsw', type: 'vector', dimensions: 1536, rows: 1_000_000, serverVersion: 15 });
    expect(e.bytesPerTuple).toBeCloseTo(6924, -1); // pgvector.md: D=1536 m=16 PG15 → 6924 B/row
    expect(e.maintenanceWorkMem).toBe('6603MB');
    expect(e.assumptions).toEqual({ serverMajor: 15, serverBits: 64, chunkHeaderBytes: 24, parallel: false });
    const fit = estimateIndexBuildMemory({ method: 'hnsw', type: 'vector', dimensions: 1536, rows: 1_000_000, maintenanceWorkMem: '2GB' }).fit;
    expect(fit?.enough).toBe(false);
    expect(fit?.tuplesThatFit).toBe(hnswTuplesThatFit({ type: 'vector', dimensions: 1536, maintenanceWorkMem: '2GB' }));
  });

  it('IVFFlat: the published case, 13,752,896 bytes → "memory required is 14 MB", at least 13430kB', () => {
    const e = estimateIndexBuildMemory({ method: 'ivfflat', type: 'vector', dimensions: 128, rows: 20_000, lists: 200, heapPages: 1429 });
    expect(e.bytes).toBe(13_752_896);
    expect(e.reportedMB).toBe(14);
    expect(e.minimumKb).toBe(13_430);
    expect(e.maintenanceWorkMem).toBe('14MB');
    expect(e.samples).toEqual({ target: 10_000, actual: 10_000 });
    // Default lists come from recommendIvfflat: 1M rows → 1000 lists → pgvector's "memory required is 501 MB"-class figure.
    const big = estimateIndexBuildMemory({ method: 'ivfflat', type: 'vector', dimensions: 1536, rows: 1_000_000 });
    expect(big.samples?.target).toBe(50_000);
    expect(big.reportedMB).toBeGreaterThan(400);
  });

  it('rejects bad input before doing anything', () => {
    const base = { method: 'hnsw', type: 'vector', dimensions: 128, rows: 1000 } as const;
    expect(expectCode(() => estimateIndexBuildMemory({ ...base, method: 'btree' as never }), 'INVALID_ADVICE_INPUT').message).toMatch(
      /unknown index method "btree"; use 'hnsw' or 'ivfflat'/,
    );
    expectCode(() => estimateIndexBuildMemory({ ...base, type: 'float4' as never }), 'INVALID_ADVICE_INPUT');
    expect(expectCode(() => estimateIndexBuildMemory({ ...base, dimensions: 2001 }), 'INVALID_ADVICE_INPUT').message).toMatch(
      /vector\(2001\) has more dimensions than hnsw indexes \(at most 2000\).*asHalfvec/,
    );
    expectCode(() => estimateIndexBuildMemory({ ...base, method: 'ivfflat', type: 'sparsevec', dimensions: 100 }), 'INVALID_ADVICE_INPUT');
    expect(expectCode(() => estimateIndexBuildMemory({ ...base, rows: 1.5 }), 'INVALID_ADVICE_INPUT').message).toContain('got 1.5');
    expect(expectCode(() => estimateIndexBuildMemory({ ...base, m: 101 }), 'INVALID_ADVICE_INPUT').message).toMatch(/m must be an integer from 2 to 100/);
    expectCode(() => estimateIndexBuildMemory({ ...base, method: 'ivfflat', lists: 0 }), 'INVALID_ADVICE_INPUT');
    expectCode(() => estimateIndexBuildMemory({ ...base, metric: 'jaccard' }), 'INVALID_ADVICE_INPUT');
    expectCode(() => estimateIndexBuildMemory({ ...base, serverVersion: 9 }), 'INVALID_ADVICE_INPUT');
    expectCode(() => estimateIndexBuildMemory({ ...base, serverBits: 16 as never }), 'INVALID_ADVICE_INPUT');
    expectCode(() => estimateIndexBuildMemory({ ...base, maintenanceWorkMem: '512kB' }), 'INVALID_MEMORY_SIZE');
    expectCode(() => hnswTuplesThatFit({ type: 'vector', dimensions: 3, maintenanceWorkMem: 'big' }), 'INVALID_MEMORY_SIZE');
  });
});

import { FLOAT4_MAX, INT_RANGES, JSONB_BINARY_VERSION, POSTGRES_EPOCH_MS } from '../catalog/index.js';
import { describe, pgVectorError } from '../errors/index.js';
import type { FieldEncoder } from './vector-encoders.js';

/**
 * Binary COPY payloads of the common scalar types (PostgreSQL's `*_send` formats, big-endian): int2/4/8,
 * float4/8, text-like (text, varchar, char, enum labels, json), bool, uuid, timestamp/timestamptz (int64 µs
 * since 2000-01-01 UTC), jsonb (version byte 1 + JSON text), bytea (raw bytes).
 */
export type ScalarKind = 'int2' | 'int4' | 'int8' | 'float4' | 'float8' | 'text' | 'bool' | 'uuid' | 'timestamp' | 'timestamptz' | 'jsonb' | 'bytea';

/** Map a column's SQL type (as Drizzle prints it) to a scalar kind, or undefined when binary COPY does not handle it. */
export function scalarKindOf(sqlType: string): ScalarKind | undefined {
  const t = sqlType.trim().toLowerCase();
  if (t === 'smallint' || t === 'int2' || t === 'smallserial') return 'int2';
  if (t === 'integer' || t === 'int' || t === 'int4' || t === 'serial') return 'int4';
  if (t === 'bigint' || t === 'int8' || t === 'bigserial') return 'int8';
  if (t === 'real' || t === 'float4') return 'float4';
  if (t === 'double precision' || t === 'float8') return 'float8';
  if (t === 'text' || t === 'json' || /^(varchar|character varying|char|character|bpchar)(\s*\(\d+\))?$/.test(t)) return 'text';
  if (t === 'boolean' || t === 'bool') return 'bool';
  if (t === 'uuid') return 'uuid';
  if (t === 'jsonb') return 'jsonb';
  if (t === 'bytea') return 'bytea';
  const ts = /^timestamp(\s*\(\d\))?(\s+(with|without) time zone)?$/.exec(t);
  if (ts) return ts[3] === 'with' ? 'timestamptz' : 'timestamp';
  if (t === 'timestamptz') return 'timestamptz';
  return undefined;
}

function bad(label: string, kind: string, value: unknown, expected: string): never {
  throw pgVectorError('INVALID_COPY_ROW', `${label}: expected ${expected} for ${kind}, got ${describe(value)}.`, {
    type: kind,
    received: describe(value),
  });
}

function intEncoder(kind: 'int2' | 'int4', label: string): FieldEncoder {
  const range = kind === 'int2' ? INT_RANGES.smallint : INT_RANGES.integer;
  const size = kind === 'int2' ? 2 : 4;
  return (w, value) => {
    let n = value;
    if (typeof n === 'string' && /^\s*-?\d+\s*$/.test(n)) n = Number(n);
    else if (typeof n === 'bigint') n = Number(n);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < range.min || n > range.max) {
      bad(label, kind === 'int2' ? 'smallint' : 'integer', value, `an integer from ${range.min} to ${range.max}`);
    }
    w.ensure(4 + size);
    w.int32(size);
    if (size === 2) w.int16(n);
    else w.int32(n);
  };
}

function int8Encoder(label: string): FieldEncoder {
  const { min, max } = INT_RANGES.bigint;
  return (w, value) => {
    let n: bigint | undefined;
    if (typeof value === 'bigint') n = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
    else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) n = BigInt(value.trim());
    if (n === undefined || n < min || n > max) bad(label, 'bigint', value, 'a bigint, a safe integer number or an integer string within int8');
    w.ensure(12);
    w.int32(8);
    w.int64(n);
  };
}

function floatEncoder(kind: 'float4' | 'float8', label: string): FieldEncoder {
  return (w, value) => {
    const n = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
    if (typeof n !== 'number') bad(label, kind === 'float4' ? 'real' : 'double precision', value, 'a number');
    if (kind === 'float4') {
      // Like real's text input: finite values beyond float4, or that underflow to 0, are errors (NaN/±Infinity are allowed).
      if (Number.isFinite(n) && (Math.abs(n) > FLOAT4_MAX || (n !== 0 && Math.fround(n) === 0))) {
        bad(label, 'real', value, `a number within ±${FLOAT4_MAX} that does not underflow to 0 in float4`);
      }
      w.ensure(8);
      w.int32(4);
      w.float32(n);
    } else {
      w.ensure(12);
      w.int32(8);
      w.float64(n);
    }
  };
}

const UUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

function uuidEncoder(label: string): FieldEncoder {
  return (w, value) => {
    const m = typeof value === 'string' ? UUID.exec(value) : null;
    if (!m) bad(label, 'uuid', value, 'a UUID string like "0b0e6a3c-1d2f-4e5a-9b8c-7d6e5f4a3b2c"');
    w.ensure(20);
    w.int32(16);
    w.buf.write(m[1]! + m[2]! + m[3]! + m[4]! + m[5]!, w.pos, 'hex');
    w.pos += 16;
  };
}

const TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const INT64_MAX = 2n ** 63n - 1n;

/** Microseconds since 2000-01-01 UTC of a Date or an ISO-like string; `withZone` strings need an offset. */
function microseconds(value: unknown, withZone: boolean, label: string): bigint {
  const kind = withZone ? 'timestamp with time zone' : 'timestamp';
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) bad(label, kind, value, 'a valid Date (this one is Invalid Date)');
    return BigInt(ms - POSTGRES_EPOCH_MS) * 1000n;
  }
  if (typeof value !== 'string') bad(label, kind, value, 'a Date or an ISO 8601 string');
  const lower = value.trim().toLowerCase();
  if (lower === 'infinity') return INT64_MAX;
  if (lower === '-infinity') return -INT64_MAX - 1n;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) bad(label, kind, value, 'a Date or an ISO 8601 string like "2024-05-01 12:00:00.123456+00"');
  const zone = m[8];
  if (withZone && zone === undefined) {
    bad(label, kind, value, 'a Date or a string with a UTC offset (e.g. "…Z" or "…+02:00"; without one the server would use its TimeZone setting)');
  }
  let offsetMinutes = 0;
  if (withZone && zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offsetMinutes * 60_000;
  if (Number.isNaN(ms)) bad(label, kind, value, 'a valid date and time');
  const micros = Number((m[7] ?? '').padEnd(6, '0'));
  return BigInt(ms - POSTGRES_EPOCH_MS) * 1000n + BigInt(micros);
}

function timestampEncoder(withZone: boolean, label: string): FieldEncoder {
  return (w, value) => {
    const us = microseconds(value, withZone, label);
    w.ensure(12);
    w.int32(8);
    w.int64(us);
  };
}

function textEncoder(label: string, typeName: string): FieldEncoder {
  return (w, value) => {
    if (typeof value !== 'string') bad(label, typeName, value, 'a string');
    w.textField(value);
  };
}

function jsonbEncoder(label: string): FieldEncoder {
  return (w, value) => {
    const text = typeof value === 'string' ? value : undefined;
    if (text === undefined) bad(label, 'jsonb', value, 'JSON text (the column maps values with JSON.stringify first)');
    w.textField(text, JSONB_BINARY_VERSION);
  };
}

function boolEncoder(label: string): FieldEncoder {
  return (w, value) => {
    if (typeof value !== 'boolean') bad(label, 'boolean', value, 'true or false');
    w.ensure(5);
    w.int32(1);
    w.buf[w.pos++] = value ? 1 : 0;
  };
}

function byteaEncoder(label: string): FieldEncoder {
  return (w, value) => {
    if (!(value instanceof Uint8Array)) bad(label, 'bytea', value, 'a Buffer or Uint8Array');
    w.bytesField(value);
  };
}

/**
 * The encoder of a scalar kind. Values arrive as the column's driver value (after Drizzle's mapToDriverValue where the
 * column has one that changes the shape, e.g. jsonb's JSON.stringify or a customType's toDriver).
 */
export function scalarFieldEncoder(kind: ScalarKind, label: string, typeName: string): FieldEncoder {
  switch (kind) {
    case 'int2':
    case 'int4':
      return intEncoder(kind, label);
    case 'int8':
      return int8Encoder(label);
    case 'float4':
    case 'float8':
      return floatEncoder(kind, label);
    case 'text':
      return textEncoder(label, typeName);
    case 'bool':
      return boolEncoder(label);
    case 'uuid':
      return uuidEncoder(label);
    case 'timestamp':
    case 'timestamptz':
      return timestampEncoder(kind === 'timestamptz', label);
    case 'jsonb':
      return jsonbEncoder(label);
    case 'bytea':
      return byteaEncoder(label);
  }
}

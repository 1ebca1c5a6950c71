/**
 * PostgreSQL facts behind binary COPY (`COPY … FROM STDIN (FORMAT binary)`), from the PostgreSQL docs
 * ("COPY — Binary Format") and the types' `*_send`/`*_recv` functions. Field payload layouts of pgvector's
 * own types are in the pgvector reference (vector: int16 dim, int16 0, float4s; halfvec: int16 dim, int16 0,
 * binary16s; sparsevec: int32 dim, int32 nnz, int32 0, int32 indices, float4 values; bit: core `bit_send`).
 */

/** The 11-byte signature that starts every binary COPY file: `PGCOPY\n\377\r\n\0`. */
export const COPY_BINARY_SIGNATURE: readonly number[] = Object.freeze([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);

/** Header after the signature: int32 flags (0: no OIDs) and int32 header-extension length (0). */
export const COPY_BINARY_HEADER_LENGTH = COPY_BINARY_SIGNATURE.length + 8;

/** The file trailer: an int16 field count of -1. */
export const COPY_BINARY_TRAILER = -1;

/** Field length that marks a NULL field. */
export const COPY_NULL_LENGTH = -1;

/** Most columns a tuple can have (int16 field count; PostgreSQL's own limit is 1600). */
export const MAX_COPY_COLUMNS = 1600;

/** `timestamp`/`timestamptz` binary values are int64 microseconds since 2000-01-01 00:00:00 UTC. */
export const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

/** Version byte that starts a `jsonb` binary value. */
export const JSONB_BINARY_VERSION = 1;

/** Integer ranges of PostgreSQL's int2 / int4 / int8. */
export const INT_RANGES = Object.freeze({
  smallint: Object.freeze({ min: -32768, max: 32767 }),
  integer: Object.freeze({ min: -2147483648, max: 2147483647 }),
  bigint: Object.freeze({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
});

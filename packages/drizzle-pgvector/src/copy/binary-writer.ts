import { COPY_BINARY_HEADER_LENGTH, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER, COPY_NULL_LENGTH } from '../catalog/index.js';

/** The binary COPY file header: signature, int32 flags 0, int32 header-extension length 0. */
export function copyHeader(): Buffer {
  const header = Buffer.alloc(COPY_BINARY_HEADER_LENGTH);
  header.set(COPY_BINARY_SIGNATURE, 0);
  return header;
}

/** The binary COPY file trailer: int16 -1. */
export function copyTrailer(): Buffer {
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(COPY_BINARY_TRAILER, 0);
  return trailer;
}

/** Default size of the chunks handed to the socket (one CopyData message each). */
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

/**
 * Builds a binary COPY stream in fixed-size chunks, big-endian. Rows are written field by field; when a field
 * does not fit, the finished rows before it become a completed chunk and the partial row moves to a new buffer,
 * so a chunk always ends on a row boundary (a failed row never leaves half a tuple in a chunk that is sent).
 */
export class BinaryWriter {
  buf: Buffer;
  pos = 0;
  /** Start of the row being written. */
  private rowStart = 0;
  private readonly completed: Buffer[] = [];
  private completedBytes = 0;
  /** Rows ended so far, and how many of them are in completed chunks. */
  rows = 0;
  completedRows = 0;

  constructor(private readonly chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Make room for `n` more bytes of the current row. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const partial = this.pos - this.rowStart;
    const next = Buffer.allocUnsafe(Math.max(this.chunkBytes, partial + n));
    this.buf.copy(next, 0, this.rowStart, this.pos);
    if (this.rowStart > 0) this.pushCompleted(this.buf.subarray(0, this.rowStart));
    this.completedRows = this.rows;
    this.buf = next;
    this.rowStart = 0;
    this.pos = partial;
  }

  private pushCompleted(chunk: Buffer): void {
    this.completed.push(chunk);
    this.completedBytes += chunk.length;
  }

  /** Start a tuple of `fields` fields. */
  beginRow(fields: number): void {
    this.rowStart = this.pos;
    this.ensure(2);
    this.int16(fields);
  }

  /** The current row is complete. */
  endRow(): void {
    this.rowStart = this.pos;
    this.rows++;
  }

  /** Drop what was written of the current row. */
  discardRow(): void {
    this.pos = this.rowStart;
  }

  /** A NULL field. */
  nullField(): void {
    this.ensure(4);
    this.int32(COPY_NULL_LENGTH);
  }

  // Raw big-endian writes; callers ensure() first.
  int16(v: number): void {
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  int32(v: number): void {
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  uint16(v: number): void {
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }

  float32(v: number): void {
    this.buf.writeFloatBE(v, this.pos);
    this.pos += 4;
  }

  float64(v: number): void {
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  int64(v: bigint): void {
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
  }

  /** A whole field of raw bytes: int32 length + bytes. */
  bytesField(bytes: Uint8Array): void {
    this.ensure(4 + bytes.length);
    this.int32(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A whole field of UTF-8 text, with an optional leading version byte (jsonb). */
  textField(text: string, prefix?: number): void {
    const extra = prefix === undefined ? 0 : 1;
    this.ensure(4 + extra + text.length * 3);
    const lengthAt = this.pos;
    this.pos += 4;
    if (prefix !== undefined) this.buf[this.pos++] = prefix;
    const written = this.buf.write(text, this.pos, 'utf8');
    this.pos += written;
    this.buf.writeInt32BE(written + extra, lengthAt);
  }

  /** Bytes of completed chunks waiting to be taken. */
  get pendingBytes(): number {
    return this.completedBytes;
  }

  /** Take the completed chunks (whole rows only). */
  take(): Buffer[] {
    if (this.completed.length === 0) return [];
    const out = this.completed.splice(0);
    this.completedBytes = 0;
    return out;
  }

  /** Complete the current buffer (whole rows written so far) and take every chunk. */
  flush(): Buffer[] {
    if (this.rowStart > 0) {
      this.pushCompleted(this.buf.subarray(0, this.rowStart));
      const partial = this.pos - this.rowStart;
      const next = Buffer.allocUnsafe(Math.max(this.chunkBytes, partial));
      this.buf.copy(next, 0, this.rowStart, this.pos);
      this.buf = next;
      this.pos = partial;
      this.rowStart = 0;
    }
    this.completedRows = this.rows;
    return this.take();
  }
}

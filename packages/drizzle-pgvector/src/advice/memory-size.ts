import { MAINTENANCE_WORK_MEM, MEMORY_UNIT_NAMES, MEMORY_UNITS, type MemoryUnit } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';

/** A memory size: bytes as a number, or PostgreSQL text such as `'64MB'`, `'2GB'`, `'512kB'` (a bare number is kB). */
export type MemorySize = number | string;

const MEMORY_TEXT = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/;
const UNIT_LIST = MEMORY_UNIT_NAMES.slice().reverse().map((u) => `"${u}"`).join(', ');

/**
 * Parse a memory size the way PostgreSQL parses memory settings, to bytes.
 *
 * Units are PostgreSQL's, binary and case-sensitive: `B`, `kB`, `MB`, `GB`, `TB`; a bare number means kB (the unit of
 * `maintenance_work_mem`); a JavaScript number means bytes. Fractions are allowed (`'1.5GB'`) and rounded to a byte.
 *
 * @example
 * ```ts
 * parseMemorySize('64MB'); // 67108864
 * parseMemorySize('512kB'); // 524288
 * parseMemorySize(4096); // 4096
 * ```
 * No SQL: pure function.
 *
 * @throws {@link PgVectorError} `INVALID_MEMORY_SIZE` for anything else (`'64mb'`, `'-1MB'`, `'lots'`, `NaN`).
 */
export function parseMemorySize(value: MemorySize): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw pgVectorError(
        'INVALID_MEMORY_SIZE',
        `Memory size ${String(value)} is not a byte count: pass a non-negative integer number of bytes, or PostgreSQL text such as '64MB'.`,
        { value },
      );
    }
    return value;
  }
  if (typeof value !== 'string') {
    throw pgVectorError('INVALID_MEMORY_SIZE', `Memory size must be a string such as '64MB' or a number of bytes, got ${typeof value}.`, {
      value,
    });
  }
  const match = MEMORY_TEXT.exec(value);
  const unitText = match?.[2] ?? '';
  const unit = (unitText === '' ? 'kB' : unitText) as MemoryUnit;
  if (!match || !(MEMORY_UNIT_NAMES as readonly string[]).includes(unit)) {
    const lower = MEMORY_UNIT_NAMES.find((u) => u.toLowerCase() === unitText.toLowerCase());
    const hint = lower ? ` Units are case-sensitive: write '${match?.[1] ?? ''}${lower}'.` : '';
    throw pgVectorError(
      'INVALID_MEMORY_SIZE',
      `Invalid memory size ${JSON.stringify(value)}: expected a non-negative number followed by one of PostgreSQL's units ${UNIT_LIST} (a bare number is kB), e.g. '64MB'.${hint}`,
      { value, units: [...MEMORY_UNIT_NAMES] },
    );
  }
  const bytes = Math.round(Number(match[1]) * MEMORY_UNITS[unit]);
  if (!Number.isSafeInteger(bytes)) {
    throw pgVectorError('INVALID_MEMORY_SIZE', `Memory size ${JSON.stringify(value)} is too large to represent in bytes.`, { value });
  }
  return bytes;
}

/**
 * Format bytes the way PostgreSQL shows memory settings: the largest unit that divides the value exactly.
 *
 * @example
 * ```ts
 * formatMemorySize(67108864); // '64MB'
 * formatMemorySize(13752320); // '13430kB'
 * formatMemorySize(1000); // '1000B'
 * ```
 * No SQL: pure function.
 *
 * @throws {@link PgVectorError} `INVALID_MEMORY_SIZE` when `bytes` is not a non-negative safe integer.
 */
export function formatMemorySize(bytes: number): string {
  parseMemorySize(bytes);
  if (bytes === 0) return '0kB';
  const unit = MEMORY_UNIT_NAMES.find((u) => bytes % MEMORY_UNITS[u] === 0) ?? 'B';
  return `${bytes / MEMORY_UNITS[unit]}${unit}`;
}

/**
 * The `maintenance_work_mem` range, in kB, of a server.
 *
 * @example
 * ```ts
 * maintenanceWorkMemRange({ serverVersion: 18, serverBits: 32 }); // { minKb: 64, maxKb: 2097151 }
 * ```
 * Compare: `SELECT min_val, max_val FROM pg_settings WHERE name = 'maintenance_work_mem'`.
 */
export function maintenanceWorkMemRange(server: MaintenanceWorkMemServer = {}): { minKb: number; maxKb: number } {
  const M = MAINTENANCE_WORK_MEM;
  const v = server.serverVersion;
  const major = v === undefined ? undefined : v >= 10_000 ? Math.floor(v / 10_000) : v;
  const minKb = major !== undefined && major >= M.lowMinSinceMajor ? M.lowMinKb : M.minKb;
  return { minKb, maxKb: M.maxKb[server.serverBits === 32 ? 32 : 64] };
}

/** A validated `maintenance_work_mem` value. */
export interface MaintenanceWorkMem {
  /** The setting in its own unit, kB (PostgreSQL rounds to the nearest kB). */
  readonly kB: number;
  readonly bytes: number;
  /** Text for `SET LOCAL maintenance_work_mem = '…'`, e.g. `'2GB'`. */
  readonly text: string;
}

/** The server a `maintenance_work_mem` is meant for (its range differs by version and pointer width). */
export interface MaintenanceWorkMemServer {
  /** PostgreSQL major version (17) or server_version_num (170002): 17+ accept down to 64 kB. Default: 1024 kB minimum. */
  serverVersion?: number;
  /** 64 (default: up to 2147483647 kB) or 32 (PGlite: up to 2097151 kB). */
  serverBits?: 32 | 64;
}

/**
 * Validate a `maintenance_work_mem` value (bytes, or text such as `'2GB'`) against PostgreSQL's range —
 * 1024 kB .. 2147483647 kB on a 64-bit server (from PostgreSQL 17 the minimum is 64 kB; 32-bit servers such as
 * PGlite stop at 2097151 kB) — and return it in kB, bytes and as setting text.
 *
 * @example
 * ```ts
 * const mwm = toMaintenanceWorkMem('2GB'); // { kB: 2097152, bytes: 2147483648, text: '2GB' }
 * await db.transaction(async (tx) => {
 *   await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '${mwm.text}'`));
 *   // CREATE INDEX …
 * });
 * ```
 * SQL it is meant for: `SET LOCAL maintenance_work_mem = '2GB'`.
 *
 * @throws {@link PgVectorError} `INVALID_MEMORY_SIZE` for unparsable text or a value outside the range.
 */
export function toMaintenanceWorkMem(value: MemorySize, server: MaintenanceWorkMemServer = {}): MaintenanceWorkMem {
  const bytes = parseMemorySize(value);
  const kB = Math.round(bytes / MEMORY_UNITS.kB);
  const { minKb, maxKb } = maintenanceWorkMemRange(server);
  if (kB < minKb || kB > maxKb) {
    throw pgVectorError(
      'INVALID_MEMORY_SIZE',
      `maintenance_work_mem ${JSON.stringify(value)} (${kB} kB) is outside PostgreSQL's range ${minKb} kB .. ${maxKb} kB for this server. Pass a value in that range, e.g. '64MB' or '1GB'.`,
      { value, kB, minKb, maxKb },
    );
  }
  return Object.freeze({ kB, bytes: kB * MEMORY_UNITS.kB, text: formatMemorySize(kB * MEMORY_UNITS.kB) });
}

/** @internal Bytes rounded up to whole MB (whole kB below 1 MB) as PostgreSQL memory text, e.g. `'157MB'`. */
export function sizeText(bytes: number): string {
  const unit = bytes >= MEMORY_UNITS.MB ? MEMORY_UNITS.MB : MEMORY_UNITS.kB;
  return formatMemorySize(Math.max(Math.ceil(bytes / unit), 1) * unit);
}

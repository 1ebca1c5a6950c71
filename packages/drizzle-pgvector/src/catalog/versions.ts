import { pgVectorError } from '../errors/index.js';

/** A pgvector version, e.g. `0.8.0` → `{ major: 0, minor: 8, patch: 0 }`. */
export interface ExtensionVersion {
  /** As the server reports it (`pg_extension.extversion`), e.g. `'0.8.0'`. */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const STRICT = /^(\d+)\.(\d+)\.(\d+)$/;
/** Server-reported versions: `0.8.0`, and, leniently, `0.8` or `0.8.0-dev`. */
const LENIENT = /^(\d+)\.(\d+)(?:\.(\d+))?/;

/**
 * Parse a version given by a user (`minVersion`): exactly `major.minor.patch`.
 *
 * @throws PgVectorError `INVALID_EXTENSION_VERSION` for anything else.
 */
export function parseRequiredVersion(value: unknown, what: string): ExtensionVersion {
  const match = typeof value === 'string' ? STRICT.exec(value) : null;
  if (match === null) {
    throw pgVectorError(
      'INVALID_EXTENSION_VERSION',
      `${what}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not a pgvector version; use 'major.minor.patch', e.g. '0.7.0' (halfvec, sparsevec, bit indexing) or '0.8.0' (iterative index scans).`,
      { value, expected: 'major.minor.patch' },
    );
  }
  return { version: value as string, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Parse the version a server reports; `undefined` when it is not recognisable. */
export function parseServerVersion(value: unknown): ExtensionVersion | undefined {
  const match = typeof value === 'string' ? LENIENT.exec(value.trim()) : null;
  if (match === null) return undefined;
  return { version: (value as string).trim(), major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

/** Negative when `a` < `b`, 0 when equal, positive when `a` > `b` (major, then minor, then patch). */
export function compareVersions(a: ExtensionVersion, b: ExtensionVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * `a >= b` for server-style dotted versions (`0.8.0`, leniently `0.8` or `0.8.0-dev`); an unrecognisable `a`
 * counts as older than anything.
 */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = parseServerVersion(a);
  const pb = parseServerVersion(b);
  if (pb === undefined) throw new TypeError(`versionAtLeast: ${JSON.stringify(b)} is not a version`);
  return pa !== undefined && compareVersions(pa, pb) >= 0;
}

import { CliError } from '../errors.js';

/** commander parser: a number (range checks are the library's, so its error codes and ranges apply). */
export function numberArg(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) {
      throw new CliError('INVALID_ARGUMENT', `${flag} must be a number, got ${JSON.stringify(value)}.`, { flag, value });
    }
    return n;
  };
}

/** commander parser: an integer within [min, max]. */
export function integerArg(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new CliError('INVALID_ARGUMENT', `${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`, { flag, value, min, max });
    }
    return n;
  };
}

/** Decimals kept for a non-integer number in a `--json` document (enough for any measurement, none of the float noise). */
export const JSON_DECIMALS = 6;

/** A number for a `--json` document: integers as they are, others rounded to {@link JSON_DECIMALS} (0.9630000000000003 → 0.963). */
export function jsonNumber(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const factor = 10 ** JSON_DECIMALS;
  return Math.round(value * factor) / factor;
}

/** A recall (a fraction) as printed in tables and sentences: 3 decimals. */
export function recallText(value: number): string {
  return value.toFixed(3);
}

/** Milliseconds as printed in latency columns: 2 decimals. */
export function msText(value: number): string {
  return value.toFixed(2);
}

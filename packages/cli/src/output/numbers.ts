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

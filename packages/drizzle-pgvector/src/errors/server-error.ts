/** What a PostgreSQL server said about a failed statement, dug out of the driver's (and Drizzle's) error wrappers. */
export interface ServerErrorInfo {
  /** SQLSTATE, e.g. `0A000`; `undefined` when the failure did not come from the server (network, driver). */
  readonly code: string | undefined;
  /** The server's message (without Drizzle's "Failed query: …" wrapper). */
  readonly message: string;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  /** The innermost error that carries the server's message: pass it as `cause`. */
  readonly error: unknown;
}

/**
 * @internal Unwrap Drizzle's `DrizzleQueryError` (and any other `cause` chain) down to the driver's error, which
 * carries the SQLSTATE `code` for node-postgres, postgres.js and PGlite alike.
 */
export function serverError(error: unknown): ServerErrorInfo {
  let current: unknown = error;
  // The innermost error with a SQLSTATE: wrappers may carry a copy of the code (the driver layer's
  // withServerCode puts it on Drizzle's "Failed query" error), but only the driver's error has the server's words.
  let found: ServerErrorInfo | undefined;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      found = {
        code: candidate.code,
        message: typeof candidate.message === 'string' ? candidate.message : String(current),
        detail: typeof candidate.detail === 'string' && candidate.detail !== '' ? candidate.detail : undefined,
        hint: typeof candidate.hint === 'string' && candidate.hint !== '' ? candidate.hint : undefined,
        error: current,
      };
    }
    if (candidate.cause === undefined) break;
    current = candidate.cause;
  }
  if (found !== undefined) return found;
  const innermost = current ?? error;
  return {
    code: undefined,
    message: innermost instanceof Error ? innermost.message : String(innermost),
    detail: undefined,
    hint: undefined,
    error: innermost,
  };
}

/** @internal `message (SQLSTATE xxxxx)` plus detail/hint, for embedding in our messages. */
export function describeServerError(info: ServerErrorInfo): string {
  let text = info.code ? `${info.message} (SQLSTATE ${info.code})` : info.message;
  if (info.detail) text += `; detail: ${info.detail}`;
  if (info.hint) text += `; hint: ${info.hint}`;
  return text;
}

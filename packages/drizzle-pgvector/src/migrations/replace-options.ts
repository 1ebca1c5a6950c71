import { PROGRESS_POLL } from '../catalog/index.js';
import { describe, describeServerError, pgVectorError, serverError, PgVectorError } from '../errors/index.js';
import { buildSettingsOf, checkBuildSettings, checkRunOptions, type BuildSettingsOptions } from '../operations/operation-input.js';
import type { BuildProgress } from '../operations/run-build.js';
import { temporaryIndexName, type SwapRun } from '../operations/swap-index.js';
import type { IndexReplacement } from './index-replacement.js';

/** `migrate(db, { replaceIndexes: { … } })`: how changed vector indexes are rebuilt. */
export interface ReplaceIndexesOptions extends BuildSettingsOptions {
  /** Progress of each replacement's build, with the index's name. */
  onProgress?: (index: string, progress: BuildProgress) => void;
  /** Cancels the running build (the old index stays; the migration is not recorded). */
  signal?: AbortSignal;
  /** How often progress is read, in ms (10 .. 60000, default 100). */
  pollIntervalMs?: number;
}

const FN = 'migrate';
const KEYS = ['maintenanceWorkMem', 'maxMaintenanceWorkMem', 'parallelWorkers', 'onProgress', 'signal', 'pollIntervalMs'] as const;

/** @internal `replaceIndexes` validated before any SQL: `true`/`undefined` mean `{ maintenanceWorkMem: 'auto' }`. */
export function checkReplaceOptions(value: unknown): ReplaceIndexesOptions & { pollIntervalMs: number } {
  if (value === undefined || value === true || value === false) return { maintenanceWorkMem: 'auto', pollIntervalMs: PROGRESS_POLL.defaultMs };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: replaceIndexes must be true, false or an object of build options, got ${describe(value)}.`, { option: 'replaceIndexes' });
  }
  const options = value as ReplaceIndexesOptions;
  const poll = checkRunOptions(`${FN} replaceIndexes`, options, KEYS);
  checkBuildSettings(`${FN} replaceIndexes`, options);
  return { maintenanceWorkMem: 'auto', ...options, pollIntervalMs: poll };
}

/** @internal The swap settings for one index. */
export function replaceRun(options: ReplaceIndexesOptions & { pollIntervalMs: number }): (index: string) => SwapRun {
  return (index) => ({
    ...buildSettingsOf(options),
    onProgress: options.onProgress === undefined ? undefined : (p) => options.onProgress!(index, p),
    signal: options.signal,
    pollIntervalMs: options.pollIntervalMs,
  });
}

/** @internal MIGRATION_FAILED for a replacement that failed; `cause` is replaceIndex's own error. */
export function replaceFailure(tag: string, i: number, total: number, statement: string, r: IndexReplacement, error: unknown, progressName: string, migrationsTable: string): Error {
  const reason = PgVectorError.is(error) ? error : undefined;
  const info = serverError(reason?.cause ?? error);
  const sqlState = (reason?.details['sqlState'] as string | null | undefined) ?? info.code ?? null;
  return pgVectorError(
    'MIGRATION_FAILED',
    `Migration "${tag}" failed at statement ${i + 1} of ${total}, which replaces the index "${r.name}" without downtime (built CONCURRENTLY as "${temporaryIndexName(r.name)}", then swapped in):\n  ${statement.trim()}\n${
      reason ? reason.message : describeServerError(info)
    }\nThe old index is untouched unless the message above says otherwise; the migration is not recorded in ${migrationsTable}${
      i > 0 ? ` (the statements before this one are committed, progress kept in ${progressName})` : ''
    }, so the next migrate() resumes with this replacement. Fix the cause and run migrate() again, or pass replaceIndexes: false to run drizzle-kit's DROP INDEX / CREATE INDEX as written.`,
    { migration: tag, statementIndex: i, statement: statement.trim(), phase: 'replace-index', index: r.name, reason: reason?.code ?? null, sqlState },
    error,
  );
}

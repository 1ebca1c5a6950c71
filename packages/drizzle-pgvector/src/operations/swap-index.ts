/**
 * @internal Replace an index by a new definition without downtime — the one implementation behind
 * `replaceIndex()` and `migrate()`'s handling of drizzle-kit's `DROP INDEX "x"; CREATE INDEX "x" …` pair.
 */
import type { IndexMethod } from '../catalog/index.js';
import { qualified, quoteIdent, type Driver } from '../driver/index.js';
import type { IndexBuildMemoryEstimate } from '../advice/estimate-index-build-memory.js';
import { describeServerError, faultAdvice, faultCode, pgVectorError, serverError } from '../errors/index.js';
import { buildRows, resolveBuildSettings, type BuildShape } from './build-settings.js';
import { buildFailure } from './build-failure.js';
import { dropInvalidStatement } from './invalid-index.js';
import { findIndex, type IndexState } from '../pg-catalog/index.js';
import type { BuildSettingsOptions } from './operation-input.js';
import { cleanupRows, driverRows, runBuild, type BuildProgress } from './run-build.js';

/** What to swap in. */
export interface SwapTarget {
  /** The index to replace (as the catalog spells it). */
  readonly name: string;
  /** Schema of the index and its table; undefined: the search_path. */
  readonly schema: string | undefined;
  readonly method: IndexMethod;
  /**
   * The new definition with `{{name}}` where the index name goes:
   * `CREATE INDEX CONCURRENTLY {{name}} ON "items" USING hnsw (…) WITH (m=24)`.
   */
  readonly template: string;
  /** For `maintenanceWorkMem: 'auto'`; undefined when the shape is unknown (then the server's setting is kept). */
  readonly shape: (() => Promise<BuildShape>) | undefined;
}

/** How the swap runs. */
export interface SwapRun extends BuildSettingsOptions {
  readonly onProgress: ((progress: BuildProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly pollIntervalMs: number;
}

/** What the swap did. */
export interface SwapOutcome {
  readonly name: string;
  /** The name the new index was built under before it was renamed. */
  readonly temporary: string;
  /** `'replaced'`; `'created'` when there was no index of that name; `'finished'` when an earlier, interrupted swap had already built the new index. */
  readonly status: 'replaced' | 'created' | 'finished';
  /** The statements run, in order (settings and catalog reads left out). */
  readonly statements: readonly string[];
  readonly maintenanceWorkMem: string | undefined;
  readonly parallelWorkers: number | undefined;
  readonly estimate: IndexBuildMemoryEstimate | undefined;
  readonly elapsedMs: number;
  readonly buildMs: number;
  readonly progressEvents: number;
}

/** PostgreSQL's NAMEDATALEN − 1: longer names are truncated by the server. */
const MAX_NAME_BYTES = 63;
const TEMP_SUFFIX = '_pgv_new';

/** @internal `<name>_pgv_new`, cut to 63 bytes. */
export function temporaryIndexName(name: string): string {
  let base = name;
  while (Buffer.byteLength(base + TEMP_SUFFIX) > MAX_NAME_BYTES) base = base.slice(0, -1);
  return base + TEMP_SUFFIX;
}

/**
 * @internal The swap's three statements for the index `name` in `schema`, from the new definition's template
 * (`CREATE INDEX CONCURRENTLY {{name}} ON …`): what `swapIndex` runs and what drift findings print.
 */
export function swapStatements(template: string, schema: string, name: string): { build: string; drop: string; rename: string } {
  const temporary = temporaryIndexName(name);
  return {
    build: template.replace('{{name}}', quoteIdent(temporary)),
    drop: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(schema, name)}`,
    rename: `ALTER INDEX ${qualified(schema, temporary)} RENAME TO ${quoteIdent(name)}`,
  };
}

/** @internal `CREATE INDEX CONCURRENTLY {{name}} ON …` from a `CREATE [UNIQUE] INDEX [CONCURRENTLY] "x" ON …;` statement. */
export function swapTemplate(createStatement: string): string {
  return createStatement.replace(/^CREATE (UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?"(?:[^"]|"")*"/, 'CREATE $1INDEX CONCURRENTLY {{name}}').replace(/;\s*$/, '');
}

/**
 * @internal Swap in the new definition:
 *
 * ```sql
 * DROP INDEX CONCURRENTLY IF EXISTS "public"."items_hnsw_pgv_new";        -- only when an earlier attempt left one
 * SET maintenance_work_mem = '…';                                         -- 'auto' / explicit settings
 * CREATE INDEX CONCURRENTLY "items_hnsw_pgv_new" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=24);
 * RESET maintenance_work_mem;
 * SELECT … i.indisvalid … WHERE c.relname = 'items_hnsw_pgv_new';          -- must be valid
 * DROP INDEX CONCURRENTLY IF EXISTS "public"."items_hnsw";
 * ALTER INDEX "public"."items_hnsw_pgv_new" RENAME TO "items_hnsw";
 * ```
 *
 * Writes and searches go on all the time: the old index serves until the new one is valid. A failed or
 * cancelled build drops its INVALID leftover and leaves the old index untouched. An interrupted swap (the
 * process died after the build) is finished by the next call: a valid new index whose old one is gone or
 * INVALID is renamed into place without a rebuild.
 */
export async function swapIndex(fn: string, driver: Driver, target: SwapTarget, run: SwapRun): Promise<SwapOutcome> {
  const started = Date.now();
  const rows = driverRows(driver);
  const temporary = temporaryIndexName(target.name);
  const statements: string[] = [];
  const exec = async (text: string): Promise<void> => {
    statements.push(text);
    await rows(text, []);
  };
  const old = await findIndex(rows, target.name, target.schema);
  const schema = old?.schema ?? target.schema;
  const leftover = await findIndex(rows, temporary, schema);
  const swap = async (state: IndexState): Promise<void> => {
    try {
      if (old !== undefined) await exec(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(old.schema, old.name)}`);
      await exec(`ALTER INDEX ${qualified(state.schema, state.name)} RENAME TO ${quoteIdent(target.name)}`);
    } catch (error) {
      throw swapFailure(fn, target.name, state, old, error);
    }
  };
  const base = { name: target.name, temporary, maintenanceWorkMem: undefined, parallelWorkers: undefined, estimate: undefined, buildMs: 0, progressEvents: 0 };

  if (leftover?.valid && (old === undefined || !old.valid)) {
    // An earlier swap built the new index and stopped before (or while) dropping the old one.
    await swap(leftover);
    return Object.freeze({ ...base, status: 'finished', statements: Object.freeze(statements), elapsedMs: Date.now() - started });
  }
  if (leftover !== undefined) await exec(dropInvalidStatement(leftover).slice(0, -1));

  const settings = target.shape === undefined ? { maintenanceWorkMem: undefined, parallelWorkers: run.parallelWorkers, estimate: undefined, rows: undefined } : await resolveBuildSettings(fn, rows, run, target.shape);
  const statement = target.template.replace('{{name}}', quoteIdent(temporary));
  statements.push(statement);
  const progressRows = run.onProgress && target.shape !== undefined ? await buildRows(rows, await target.shape(), settings.rows) : 0;
  const outcome = await runBuild(driver, {
    statement,
    concurrently: true,
    method: target.method,
    settings,
    onProgress: run.onProgress,
    signal: run.signal,
    pollIntervalMs: run.pollIntervalMs,
    rows: progressRows,
  });
  const keep = old === undefined ? '' : ` The index ${qualified(old.schema, old.name)} is untouched and still serves searches.`;
  if (outcome.error !== undefined || outcome.cancelled) {
    throw await buildFailure(fn, cleanupRows(driver), outcome, { name: target.name, schema, statement, concurrently: true, leftovers: [temporary], note: keep.trim() });
  }
  const built = await findIndex(rows, temporary, schema);
  if (built === undefined || !built.valid) {
    if (built !== undefined) await rows(dropInvalidStatement(built), []).catch(() => undefined);
    throw pgVectorError(
      'INDEX_BUILD_FAILED',
      `${fn}("${target.name}"): the new index ${temporary} finished but is not valid (pg_index.indisvalid = false); it was dropped.${keep} Statement: ${statement}`,
      { index: target.name, temporary, statement, sqlState: null },
    );
  }
  await swap(built);
  return Object.freeze({
    ...base,
    status: old === undefined ? 'created' : 'replaced',
    statements: Object.freeze(statements),
    maintenanceWorkMem: settings.maintenanceWorkMem,
    parallelWorkers: settings.parallelWorkers,
    estimate: settings.estimate,
    elapsedMs: Date.now() - started,
    buildMs: outcome.elapsedMs,
    progressEvents: outcome.events,
  });
}

function swapFailure(fn: string, name: string, built: IndexState, old: IndexState | undefined, error: unknown): Error {
  const info = serverError(error);
  const fault = faultCode(info);
  return pgVectorError(
    fault ?? 'INDEX_BUILD_FAILED',
    `${fn}("${name}"): the new index ${qualified(built.schema, built.name)} is built and valid, but swapping it in failed: ${describeServerError(info)}.${
      old ? ` ${qualified(old.schema, old.name)} may be INVALID now (an interrupted DROP INDEX CONCURRENTLY); searches use the new index meanwhile.` : ''
    } Run the same call again: it finishes the swap without rebuilding.${fault ? ` ${faultAdvice(fault)}` : ''}`,
    { index: name, temporary: built.name, sqlState: info.code ?? null, phase: 'swap' },
    info.error,
  );
}

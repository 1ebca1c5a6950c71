import { sql, type SQL } from 'drizzle-orm';
import { isTransaction, NEW_MIGRATIONS_TABLE_HAS_NAME } from '../compat/index.js';
import { booleanOf, driverOf, qualified, queryRows, quoteIdent, type AnyPgDatabase, type SqlExecutor, type TransactionalDatabase } from '../driver/index.js';
import { describeServerError, pgVectorError, serverError } from '../errors/index.js';
import { ensureVectorExtension, type EnsureVectorExtensionOptions, type VectorExtensionInfo } from '../extension/ensure-vector-extension.js';
import { dropInvalidIndex, dropInvalidStatement } from '../operations/invalid-index.js';
import { findIndex } from '../pg-catalog/index.js';
import { swapIndex, type SwapOutcome } from '../operations/swap-index.js';
import { checkReplaceOptions, replaceFailure, replaceRun, type ReplaceIndexesOptions } from './replace-options.js';
import { replacementTarget } from './index-replacement.js';
import { doneHash, plan, resumePoint, type Planned, type ProgressRow } from './migration-plan.js';
import { catalogQuery, createdIndex, dropLeftover } from './invalid-leftover.js';
import { outsideFailure, shown, transactionFailure } from './migrate-failures.js';
import { readMigrations } from './migration-folder.js';

/** Options of {@link migrate}; the first three are Drizzle's own `MigrationConfig`. */
export interface MigrateConfig {
  /**
   * drizzle-kit's `out` folder: `meta/_journal.json` + `NNNN_name.sql` (drizzle-kit 0.x) or `<timestamp>_name/migration.sql`
   * folders (drizzle-kit 1.0). Relative paths resolve from the working directory.
   */
  migrationsFolder: string;
  /** Bookkeeping table. Default `__drizzle_migrations`, like Drizzle. */
  migrationsTable?: string;
  /** Schema of the bookkeeping table. Default `drizzle`, like Drizzle. */
  migrationsSchema?: string;
  /**
   * Run {@link ensureVectorExtension} (`CREATE EXTENSION IF NOT EXISTS vector` when missing) before the migrations.
   * Default `true`. Pass options (`{ minVersion: '0.7.0' }`) to check the version too, or `false` when a migration
   * creates the extension (see `vectorExtensionMigration`) or the migration role may not create extensions.
   */
  ensureExtension?: boolean | EnsureVectorExtensionOptions;
  /**
   * Replace a changed vector index without downtime (default `true`, with `maintenanceWorkMem: 'auto'`): a
   * migration's `DROP INDEX "x"` followed by `CREATE INDEX "x" … USING hnsw|ivfflat` (what drizzle-kit generates
   * when an index's `m`, `lists`, metric, expression or `WHERE` changed) runs as `replaceIndex` does — the new
   * definition is built `CONCURRENTLY` as `x_pgv_new`, checked valid, the old index dropped `CONCURRENTLY` and the
   * new one renamed to `x`. Pass build settings and `onProgress` / `signal` as an object, or `false` to run
   * drizzle-kit's statements exactly as written.
   */
  replaceIndexes?: boolean | ReplaceIndexesOptions;
}

/** A migration {@link migrate} applied (or finished) in this call. */
export interface AppliedMigration {
  /** Journal tag (`0001_brave_hulk`) or, for drizzle-kit 1.0 folders, the folder name (`20260101120000_brave_hulk`). */
  readonly tag: string;
  /** Journal `when` (or the folder name's timestamp), stored as `created_at` in the bookkeeping table. */
  readonly createdAt: number;
  /** sha256 of the `.sql` file, stored as `hash`. */
  readonly hash: string;
  /** Statements run outside a transaction (`CREATE INDEX CONCURRENTLY …`), in order. */
  readonly outsideTransaction: readonly string[];
  /** 0-based statement the run resumed at after an earlier failure, or `undefined` for a fresh run. */
  readonly resumedAt: number | undefined;
  /** Indexes replaced without downtime (`replaceIndexes`), in order: their statements are in `outsideTransaction` too. */
  readonly replacedIndexes: readonly SwapOutcome[];
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Migrations applied by this call, in order; empty when the database was up to date. */
  readonly applied: readonly AppliedMigration[];
  /** The pgvector extension as found/created by `ensureExtension`; `undefined` with `ensureExtension: false`. */
  readonly extension: VectorExtensionInfo | undefined;
}

const DEFAULT_TABLE = '__drizzle_migrations';
const DEFAULT_SCHEMA = 'drizzle';

/**
 * Apply drizzle-kit migrations like Drizzle's `migrate()` — same folder (either layout: drizzle-kit 0.x's journal or
 * 1.0's folder per migration), same bookkeeping table (`drizzle.__drizzle_migrations`: `id serial`, `hash text`,
 * `created_at bigint`, and on drizzle-orm 1.0 also `name text`, `applied_at timestamptz`), same rule for what is
 * pending (a table without `name`, as 0.45 makes it: journal `when` greater than the newest `created_at`; with
 * `name`, as 1.0 makes it: every migration whose name is not recorded), so you can switch between Drizzle's
 * `migrate` and this one — except that statements PostgreSQL refuses inside a transaction block run outside one:
 * `CREATE INDEX CONCURRENTLY` (what `hnswIndex(…).concurrently()` generates), `DROP INDEX CONCURRENTLY`,
 * `REINDEX … CONCURRENTLY`, `ALTER TABLE … DETACH PARTITION … CONCURRENTLY`.
 *
 * How it runs:
 * - Consecutive ordinary statements (across migrations) run in one transaction together with the bookkeeping
 *   inserts of the migrations they complete — without CONCURRENTLY statements this is exactly Drizzle's single
 *   transaction.
 * - Each non-transactional statement runs on its own, in file order, after the transaction holding the statements
 *   before it has committed.
 * - A migration is recorded in the bookkeeping table only after **all** its statements succeeded. Until then, its
 *   progress is kept in `<migrationsSchema>.<migrationsTable>_pgvector_progress` (created only when a pending
 *   migration has such statements), so a failed run can be resumed: the next `migrate()` skips the statements that
 *   already committed (checked by hash) and continues with the failed one.
 * - If a non-transactional statement fails, it throws `MIGRATION_FAILED` naming the migration, the statement and
 *   the server error (`cause`). A failed `CREATE INDEX CONCURRENTLY` leaves an INVALID index behind: migrate()
 *   drops it (`DROP INDEX CONCURRENTLY IF EXISTS "schema"."name";`) and says so; fix the cause (you may edit that
 *   statement and the ones after it) and run `migrate()` again.
 * - Before a `CREATE INDEX CONCURRENTLY`, an INVALID index of the same name is dropped; after it, the index must be
 *   valid (`pg_index.indisvalid`): a migration is never recorded while its index is INVALID.
 * - With `ensureExtension` (default), `CREATE EXTENSION IF NOT EXISTS vector` runs first when pgvector is missing.
 * - With `replaceIndexes` (default), drizzle-kit's `DROP INDEX "x"` + `CREATE INDEX "x" … USING hnsw|ivfflat` pair
 *   is one non-transactional step at the CREATE's place: the statements before it commit (in one transaction, the
 *   DROP left out), then `CREATE INDEX CONCURRENTLY "x_pgv_new" …`, a validity check, `DROP INDEX CONCURRENTLY "x"`,
 *   `ALTER INDEX "x_pgv_new" RENAME TO "x"`, then the statements after it commit together with the bookkeeping
 *   insert. The table keeps a usable index and takes writes all along. If the build fails or is cancelled, its
 *   INVALID leftover is dropped, the old index is untouched and the migration is not recorded: the next
 *   `migrate()` resumes with the replacement.
 *
 * No lock is taken: as with Drizzle's `migrate()`, run one migrator at a time.
 *
 * SQL it runs (default names):
 * ```sql
 * CREATE SCHEMA IF NOT EXISTS "drizzle";
 * CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
 *   -- drizzle-orm 1.0: (…, created_at bigint, name text, applied_at timestamp with time zone DEFAULT now())
 * select id, hash, created_at from "drizzle"."__drizzle_migrations" order by created_at desc limit 1;   -- 1.0: select name …
 * BEGIN; <statements>; insert into "drizzle"."__drizzle_migrations" ("hash", "created_at") values ($1, $2); COMMIT;   -- 1.0: + "name"
 * CREATE INDEX CONCURRENTLY "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops);  -- outside
 * ```
 *
 * @throws PgVectorError `MIGRATION_FAILED` (a statement failed; `details.migration`, `details.statement`,
 *   `details.invalidIndex`), `TRANSACTION_NOT_ALLOWED` (a transaction instead of the database),
 *   `INVALID_MIGRATIONS_FOLDER` (no or unreadable `meta/_journal.json`), and from
 *   `ensureExtension`: `EXTENSION_MISSING` / `EXTENSION_TOO_OLD`.
 *
 * @example
 * ```ts
 * import { drizzle } from 'drizzle-orm/node-postgres';
 * import { migrate } from 'drizzle-pgvector/migrator';
 *
 * const db = drizzle(process.env.DATABASE_URL!);
 * const { applied } = await migrate(db, { migrationsFolder: './drizzle' });
 * console.log(applied.map((m) => m.tag)); // ['0000_enable_pgvector', '0001_items']
 * ```
 */
export async function migrate(db: TransactionalDatabase, config: MigrateConfig): Promise<MigrateResult> {
  if (isTransaction(db as never)) {
    throw pgVectorError(
      'TRANSACTION_NOT_ALLOWED',
      'migrate() needs a Drizzle database, not a transaction: it opens its own transactions and runs CREATE INDEX CONCURRENTLY outside them. Call it with the db you created with drizzle(…).',
      {},
    );
  }
  if (config === null || typeof config !== 'object' || typeof config.migrationsFolder !== 'string') {
    throw pgVectorError('INVALID_MIGRATIONS_FOLDER', 'migrate(db, { migrationsFolder }): migrationsFolder (drizzle-kit\'s "out" folder) is required.', {});
  }
  const table = config.migrationsTable ?? DEFAULT_TABLE;
  const schema = config.migrationsSchema ?? DEFAULT_SCHEMA;
  const progressTable = `${table}_pgvector_progress`;
  const migrationsRef = sql.raw(qualified(schema, table));
  const progressRef = sql.raw(qualified(schema, progressTable));
  const progressName = `${schema}.${progressTable}`;

  const replacing = config.replaceIndexes !== false;
  const run = replaceRun(checkReplaceOptions(config.replaceIndexes));
  const planned = readMigrations(config.migrationsFolder).map(plan);
  /** Has statements outside a transaction this time (CONCURRENTLY ones, or index swaps). */
  const outsideOf = (m: Planned): boolean => m.hasOutside || (replacing && m.steps.some((st) => st.replace !== undefined));

  const extension =
    config.ensureExtension === false
      ? undefined
      : await ensureVectorExtension(db, config.ensureExtension === true || config.ensureExtension === undefined ? {} : config.ensureExtension);

  // Drizzle's bookkeeping, verbatim (0.45: drizzle-orm/pg-core/dialect.js PgDialect.migrate; 1.0:
  // drizzle-orm/pg-core/async/session.js migrate, which adds `name` and `applied_at`).
  await db.execute(sql`CREATE SCHEMA IF NOT EXISTS ${sql.raw(quoteIdent(schema))}`);
  await db.execute(sql`
			CREATE TABLE IF NOT EXISTS ${migrationsRef} (
				id SERIAL PRIMARY KEY,
				hash text NOT NULL,
				created_at bigint${NEW_MIGRATIONS_TABLE_HAS_NAME ? sql.raw(',\n\t\t\t\tname text,\n\t\t\t\tapplied_at timestamp with time zone DEFAULT now()') : sql``}
			)
		`);
  // The table decides, not the installed line: one 0.45 made keeps its created_at rule (drizzle-orm 1.0 upgrades it
  // itself the next time its own migrate() runs; the rows written here are what it matches).
  const [shape] = await queryRows<{ named: unknown }>(
    db,
    sql`select exists (select 1 from information_schema.columns where table_schema = ${schema} and table_name = ${table} and column_name = 'name') as named`,
  );
  const named = booleanOf(shape?.named);
  let pending: Planned[];
  if (named) {
    const recorded = new Set(
      (await queryRows<{ name: unknown }>(db, sql`select name from ${migrationsRef} where name is not null`)).map((r) => String(r.name)),
    );
    pending = planned.filter((m) => !recorded.has(m.tag));
  } else {
    const [last] = await queryRows<{ created_at: unknown }>(db, sql`select id, hash, created_at from ${migrationsRef} order by created_at desc limit 1`);
    pending = planned.filter((m) => last === undefined || Number(last.created_at) < m.folderMillis);
  }
  if (pending.length === 0) return Object.freeze({ applied: Object.freeze([]), extension });

  const quotedProgress = `${quoteIdent(schema)}.${quoteIdent(progressTable)}`;
  const [presence] = await queryRows<{ present: unknown }>(db, sql`SELECT to_regclass(${quotedProgress}) IS NOT NULL AS present`);
  let hasProgressTable = booleanOf(presence?.present);
  if (!hasProgressTable && pending.some(outsideOf)) {
    await db.execute(sql`
      CREATE TABLE IF NOT EXISTS ${progressRef} (
        created_at bigint PRIMARY KEY,
        hash text NOT NULL,
        statements_done integer NOT NULL,
        done_hash text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    hasProgressTable = true;
  }
  const progress = new Map<number, ProgressRow>();
  if (hasProgressTable) {
    for (const row of await queryRows<ProgressRow & Record<string, unknown>>(db, sql`SELECT created_at, statements_done, done_hash FROM ${progressRef}`)) {
      progress.set(Number(row.created_at), row);
    }
  }

  const saveProgress = (m: Planned, done: number): SQL => sql`
    INSERT INTO ${progressRef} (created_at, hash, statements_done, done_hash) VALUES (${m.folderMillis}, ${m.hash}, ${done}, ${doneHash(m.steps, done)})
    ON CONFLICT (created_at) DO UPDATE SET hash = excluded.hash, statements_done = excluded.statements_done, done_hash = excluded.done_hash, updated_at = now()`;

  interface Op {
    readonly migration: Planned;
    readonly step: number | undefined;
    readonly query: SQL;
  }
  let ops: Op[] = [];
  const flush = async (): Promise<void> => {
    if (ops.length === 0) return;
    const batch = ops;
    ops = [];
    let failed: { op: Op; error: unknown } | undefined;
    try {
      await db.transaction(async (tx: SqlExecutor) => {
        for (const op of batch) {
          try {
            await tx.execute(op.query);
          } catch (error) {
            failed = { op, error };
            throw error;
          }
        }
      });
    } catch (error) {
      throw transactionFailure(failed?.op.migration ?? batch[0]!.migration, failed?.op.step, failed?.error ?? error, batch, progress);
    }
  };

  const applied: AppliedMigration[] = [];
  for (const m of pending) {
    const start = resumePoint(m, progress.get(m.folderMillis), schema, table, progressName, named);
    const outside: string[] = [];
    const replaced: SwapOutcome[] = [];
    for (let i = start; i < m.steps.length; i++) {
      const step = m.steps[i]!;
      const replacement = replacing ? step.replace : undefined;
      if (replacing && step.deferred !== undefined) continue; // the swap at the CREATE drops the old index, CONCURRENTLY
      // An earlier run with replaceIndexes left this CREATE's DROP to its swap, and this one resumes past the DROP.
      const dropStep = replacement === undefined && step.replace !== undefined ? m.steps.findIndex((st) => st.deferred === step.replace) : -1;
      if (dropStep >= 0 && dropStep < start && m.steps[dropStep]!.transactional) ops.push({ migration: m, step: dropStep, query: sql.raw(m.steps[dropStep]!.sql) });
      if (step.transactional && replacement === undefined) {
        ops.push({ migration: m, step: i, query: sql.raw(step.sql) });
        continue;
      }
      if (i > 0) ops.push({ migration: m, step: undefined, query: saveProgress(m, i) });
      await flush();
      if (replacement !== undefined) {
        let outcome: SwapOutcome;
        try {
          outcome = await swapIndex('migrate', driverOf(db as unknown as AnyPgDatabase), await replacementTarget(db, replacement), run(replacement.name));
        } catch (error) {
          throw replaceFailure(m.tag, i, m.steps.length, step.sql, replacement, error, progressName, `${quoteIdent(schema)}.${quoteIdent(table)}`);
        }
        replaced.push(outcome);
        outside.push(...outcome.statements);
        await db.execute(saveProgress(m, i + 1));
        continue;
      }
      const created = step.transactional ? undefined : createdIndex(step.statement);
      if (created) {
        // An INVALID index of this name is what an earlier failed attempt left: with IF NOT EXISTS the statement
        // would skip the build and the migration would be recorded over an index that serves (or enforces) nothing.
        await dropInvalidIndex(catalogQuery(db), created.name, created.schema);
      }
      try {
        await db.execute(sql.raw(step.sql));
      } catch (error) {
        const leftover = created ? await dropLeftover(db, created) : undefined;
        throw outsideFailure(m, i, step, error, schema, table, progressName, leftover);
      }
      if (created) {
        const state = await findIndex(catalogQuery(db), created.name, created.schema);
        if (state !== undefined && !state.valid) {
          throw pgVectorError(
            'MIGRATION_FAILED',
            `Migration "${m.tag}": statement ${i + 1} (${shown(step.sql)}) finished, but the index ${state.schema}.${state.name} is INVALID (pg_index.indisvalid = false), so the migration is not recorded. Drop it with ${dropInvalidStatement(state)} and run migrate() again.`,
            { migration: m.tag, statementIndex: i, statement: step.sql.trim(), phase: 'outside-transaction', invalidIndex: state.name, dropStatement: dropInvalidStatement(state) },
          );
        }
      }
      outside.push(step.sql.trim());
      try {
        await db.execute(saveProgress(m, i + 1));
      } catch (error) {
        const info = serverError(error);
        throw pgVectorError(
          'MIGRATION_FAILED',
          `Migration "${m.tag}": statement ${i + 1} succeeded but its progress could not be saved in ${progressName}: ${describeServerError(info)}. The next migrate() would run it again; if it is a CREATE INDEX CONCURRENTLY, drop that index first or finish this migration by hand.`,
          { migration: m.tag, statementIndex: i, statement: step.sql.trim(), sqlState: info.code ?? null },
          info.error,
        );
      }
    }
    ops.push({
      migration: m,
      step: undefined,
      query: named
        ? sql`insert into ${migrationsRef} ("hash", "created_at", "name") values(${m.hash}, ${m.folderMillis}, ${m.tag})`
        : sql`insert into ${migrationsRef} ("hash", "created_at") values(${m.hash}, ${m.folderMillis})`,
    });
    if (hasProgressTable && (outsideOf(m) || progress.has(m.folderMillis))) {
      ops.push({ migration: m, step: undefined, query: sql`DELETE FROM ${progressRef} WHERE created_at = ${m.folderMillis}` });
    }
    // A migration with non-transactional statements is recorded on its own, so that a failure in a later
    // migration cannot roll its record back after its CONCURRENTLY statements already ran.
    if (outsideOf(m)) await flush();
    applied.push(
      Object.freeze({ tag: m.tag, createdAt: m.folderMillis, hash: m.hash, outsideTransaction: Object.freeze(outside), resumedAt: start > 0 ? start : undefined, replacedIndexes: Object.freeze(replaced) }),
    );
  }
  await flush();
  return Object.freeze({ applied: Object.freeze(applied), extension });
}

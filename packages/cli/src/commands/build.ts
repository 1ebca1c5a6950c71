import {
  buildIndex,
  declaredVectorIndexes,
  PgVectorError,
  rebuildIndex,
  replaceIndex,
  type BuildIndexResult,
  type BuildProgress,
  type MemorySize,
  type RebuildIndexResult,
  type ReplaceIndexResult,
} from 'drizzle-pgvector';
import type { ConfigFlags } from '../config/load-config.js';
import { declaringTable } from '../config/load-schema.js';
import { EXIT } from '../errors.js';

import { buildProgressBar } from '../output/progress.js';
import { bytes, duration } from '../output/table.js';
import type { CommandResult } from './command.js';
import { withDatabase, withInterrupt } from './context.js';

export interface BuildFlags extends ConfigFlags {
  maintenanceWorkMem?: 'auto' | MemorySize;
  maxMaintenanceWorkMem?: MemorySize;
  parallelWorkers?: number;
  concurrently?: boolean;
  /** `build --replace`: replaceIndex instead of buildIndex. */
  replace?: boolean;
  progress: boolean;
  json: boolean;
}

/** `build --json` / `rebuild --json`. */
export interface BuildDocument {
  readonly index: string;
  readonly table: string | undefined;
  readonly database: string;
  /** `build`: BuildIndexResult (`--replace`: ReplaceIndexResult); `rebuild`: RebuildIndexResult (all: name, sql, maintenanceWorkMem, parallelWorkers, estimate, elapsedMs, progressEvents). */
  readonly result: BuildIndexResult | RebuildIndexResult | ReplaceIndexResult;
  /** The last progress report (phase `done` after a build that reported progress). */
  readonly lastProgress: BuildProgress | undefined;
}

function settingsOf(flags: BuildFlags) {
  return {
    ...(flags.maintenanceWorkMem !== undefined ? { maintenanceWorkMem: flags.maintenanceWorkMem } : {}),
    ...(flags.maxMaintenanceWorkMem !== undefined ? { maxMaintenanceWorkMem: flags.maxMaintenanceWorkMem } : {}),
    ...(flags.parallelWorkers !== undefined ? { parallelWorkers: flags.parallelWorkers } : {}),
    ...(flags.concurrently !== undefined ? { concurrently: flags.concurrently } : {}),
  };
}

/** `build <index>`: buildIndex for an index the schema declares, with a progress bar; Ctrl-C cancels it. */
export async function build(name: string, flags: BuildFlags): Promise<CommandResult<BuildDocument>> {
  return withDatabase(flags, 'required', async ({ database, tables }) => {
    const t = declaringTable(tables, name);
    const bar = buildProgressBar(name, flags.progress && !flags.json);
    let lastProgress: BuildProgress | undefined;
    try {
      const onProgress = (p: BuildProgress): void => {
        lastProgress = p;
        bar.update(p);
      };
      const result = await withInterrupt<BuildIndexResult | ReplaceIndexResult>((signal) => {
        if (!flags.replace) return buildIndex(database.db, t.table, name, { ...settingsOf(flags), signal, onProgress });
        if (flags.concurrently !== undefined) {
          throw new PgVectorError('INVALID_OPERATION_OPTION', 'build --replace always builds CONCURRENTLY (the old index keeps serving until the swap); leave out --concurrently.', {
            details: { option: 'concurrently' },
          });
        }
        const { concurrently: _c, ...settings } = settingsOf(flags);
        return replaceIndex(database.db, t.table, name, { ...settings, signal, onProgress });
      });
      bar.stop();
      const document: BuildDocument = { index: name, table: t.qualified, database: database.description, result, lastProgress };
      return { exitCode: EXIT.ok, document, text: () => renderBuild('build', document) };
    } finally {
      bar.stop();
    }
  });
}

export interface RebuildFlags extends BuildFlags {
  dbSchema?: string;
}

/** `rebuild <index>`: rebuildIndex (REINDEX) for an index in the database; needs no schema. */
export async function rebuild(name: string, flags: RebuildFlags): Promise<CommandResult<BuildDocument>> {
  return withDatabase(flags, 'optional', async ({ database, tables }) => {
    // The schema (when there is one) knows which PostgreSQL schema a declared index lives in.
    const declared = flags.dbSchema === undefined ? tables.find((t) => declaredVectorIndexes(t.table).some((i) => i.name === name)) : undefined;
    const dbSchema = flags.dbSchema ?? declared?.schema;
    const bar = buildProgressBar(name, flags.progress && !flags.json);
    let lastProgress: BuildProgress | undefined;
    try {
      const result = await withInterrupt((signal) =>
        rebuildIndex(database.db, name, {
          ...settingsOf(flags),
          ...(dbSchema !== undefined ? { schema: dbSchema } : {}),
          signal,
          onProgress: (p) => {
            lastProgress = p;
            bar.update(p);
          },
        }),
      );
      bar.stop();
      const document: BuildDocument = { index: name, table: declared?.qualified, database: database.description, result, lastProgress };
      return { exitCode: EXIT.ok, document, text: () => renderBuild('rebuild', document) };
    } finally {
      bar.stop();
    }
  });
}

function renderBuild(command: 'build' | 'rebuild', d: BuildDocument): string {
  const r = d.result;
  const lines: string[] = [];
  if ('status' in r && r.status === 'exists') {
    lines.push(`${d.index} already exists and is valid: nothing to do.`);
  } else if ('temporary' in r) {
    const how = r.status === 'finished' ? 'finished an interrupted replacement of' : r.status === 'created' ? 'created (nothing to replace)' : 'replaced';
    lines.push(`${how[0]!.toUpperCase()}${how.slice(1)} ${d.index}${d.table ? ` on ${d.table}` : ''} without downtime in ${duration(r.elapsedMs)} (${d.database}):`);
    for (const s of r.statements) lines.push(`  ${s};`);
  } else {
    lines.push(`${command === 'build' ? 'Built' : 'Rebuilt'} ${d.index}${d.table ? ` on ${d.table}` : ''} in ${duration(r.elapsedMs)} (${d.database}).`);
  }
  if (!('temporary' in r)) lines.push(`  ${r.sql}`);
  if (r.maintenanceWorkMem) lines.push(`  maintenance_work_mem = ${r.maintenanceWorkMem}${r.estimate ? ` (estimate ${bytes(r.estimate.bytes)}: ${r.estimate.why})` : ''}`);
  if (r.parallelWorkers !== undefined) lines.push(`  max_parallel_maintenance_workers = ${r.parallelWorkers}`);
  if ('droppedInvalid' in r && r.droppedInvalid) lines.push('  an INVALID index of that name (a failed CONCURRENTLY build) was dropped first');
  if ('wasValid' in r && !r.wasValid) lines.push('  the index was INVALID before; REINDEX made it valid');
  return lines.join('\n');
}

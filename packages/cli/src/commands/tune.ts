import { SETTINGS } from 'drizzle-pgvector/catalog';
import { tuneSearch, validateVectorSettings, type Metric, type TuneSearchResult, type VectorSettings } from 'drizzle-pgvector';
import type { ConfigFlags } from '../config/load-config.js';
import { findColumn } from '../config/load-schema.js';
import { EXIT, withFlags } from '../errors.js';
import { msText, recallText } from '../output/numbers.js';
import { heading, table } from '../output/table.js';
import type { CommandResult } from './command.js';
import { withDatabase } from './context.js';

export interface TuneFlags extends ConfigFlags {
  recall: number;
  k: number;
  sample?: number;
  seed?: number;
  metric?: Metric;
  index?: string;
  json: boolean;
}

/** tuneSearch's options → this command's flags (library errors name the flags). */
export const TUNE_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  targetRecall: '--recall',
  k: '--k',
  sampleSize: '--sample',
  seed: '--seed',
  metric: '--metric',
  index: '--index',
});

/** `tune --json`. */
export interface TuneDocument {
  readonly target: string;
  readonly database: string;
  /** tuneSearch's result: method, index, setting, value, settings, met, validationRecall, curve, validations … */
  readonly result: TuneSearchResult;
  /** The line to put in code. */
  readonly code: string;
}

/** `tune <table.column> --recall R`: tuneSearch, its recall/latency curve and the setting to use. */
export async function tune(target: string, flags: TuneFlags): Promise<CommandResult<TuneDocument>> {
  return withDatabase(flags, 'required', async ({ database, tables }) => {
    const { table: t, column, key } = findColumn(tables, target);
    let result: TuneSearchResult;
    try {
      result = await tuneSearch(database.db, column, {
        targetRecall: flags.recall,
        k: flags.k,
        ...(flags.sample !== undefined ? { sampleSize: flags.sample } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        ...(flags.metric !== undefined ? { metric: flags.metric } : {}),
        ...(flags.index !== undefined ? { index: flags.index } : {}),
      });
    } catch (e) {
      throw withFlags(e, TUNE_FLAGS);
    }
    const variable = t.exportName === 'default' ? t.name.replace(/[^A-Za-z0-9_$]/g, '_') : t.exportName;
    // The metric it was tuned with, always: without it nearest infers it from the indexes, which fails when they differ.
    const code = `nearest(db, ${variable}.${key}, query, { k: ${flags.k}, metric: '${result.metric}', settings: ${settingsLiteral(result.settings)} })`;
    const document: TuneDocument = { target, database: database.description, result, code };
    return { exitCode: result.met ? EXIT.ok : EXIT.actionNeeded, document, text: () => renderTune(document) };
  });
}

/** `{ efSearch: 80, probes: 100 }` as TypeScript. */
function settingsLiteral(settings: VectorSettings): string {
  return `{ ${Object.entries(settings)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : String(v)}`)
    .join(', ')} }`;
}

/** The GUC of a settings key, from the library's catalog. */
const gucOf = (key: string): string => SETTINGS.find((s) => s.key === key)?.guc ?? key;

function renderTune(d: TuneDocument): string {
  const r = d.result;
  const guc = gucOf(r.setting);
  const validated = new Map(r.validations.map((v) => [v.value, v.recall]));
  const mark = (value: number): string => `${value}${value === r.value ? ' ←' : ''}`;
  const rows = r.curve.map((p) => [
    mark(p.value),
    recallText(p.recall),
    recallText(p.lowerBound),
    validated.has(p.value) ? recallText(validated.get(p.value)!) : '',
    msText(p.meanMs),
    msText(p.p95Ms),
  ]);
  for (const v of r.validations) {
    if (!r.curve.some((p) => p.value === v.value)) rows.push([mark(v.value), '', '', recallText(v.recall), '', '']);
  }
  const lines = [
    `Tuning ${guc} for ${d.target} (${r.method.toUpperCase()} index ${r.index}, ${r.metric}, k = ${r.k}) on ${d.database}`,
    `target recall@${r.k} ${r.targetRecall} with ${Math.round(r.confidence * 100)} % confidence (lower bound = recall − 1.645 × standard error over the queries); ${r.tuningQueries} tuning + ${r.validationQueries} held-out validation queries`,
    '',
    table([r.setting, `recall@${r.k} (tuning)`, 'lower bound', 'recall (validation)', 'mean ms', 'p95 ms'], rows, ['right', 'right', 'right', 'right', 'right', 'right']),
    '',
    r.met ? `✔ ${r.why}` : `✘ ${r.why}`,
    ...r.notes.map((n) => `note: ${n}`),
  ];
  lines.push(heading(r.met ? 'Put in code' : 'Best found (target not reached)'));
  lines.push(d.code);
  // The library's own SET LOCAL text (validated values, enums quoted).
  const statements = validateVectorSettings(r.settings, 'tune').statements.join('; ');
  lines.push(`// or for several queries: withVectorSettings(db, ${settingsLiteral(r.settings)}, (tx) => …)   — ${statements}`);
  return lines.join('\n');
}

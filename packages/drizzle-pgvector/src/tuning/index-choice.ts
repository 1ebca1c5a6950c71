import { SETTINGS } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import type { VectorIndexInfo } from '../indexes/index.js';
import type { AnyPgDatabase, VectorSettings } from '../settings/index.js';
import type { SearchContext } from './search-context.js';
import { listsOf } from './sweep-candidates.js';

/**
 * Which index a measurement scans when a target has more than one. PostgreSQL picks between two vector indexes
 * on one column by estimated cost alone, and pgvector's estimates move with the session settings: HNSW's grows
 * with `hnsw.ef_search`, IVFFlat's with `ivfflat.probes / lists` (src/hnsw.c, src/ivfflat.c). So the setting that is
 * measured can flip the plan to the other index. To measure a named index, the other method's setting is raised to
 * where its estimate is highest (IVFFlat: probes = lists, an estimate as high as reading the whole index; HNSW:
 * ef_search at its maximum), and EXPLAIN confirms the plan.
 */

const maxOf = (key: 'efSearch' | 'probes'): number => SETTINGS.find((s) => s.key === key)!.max!;

const show = (settings: VectorSettings): string =>
  `{ ${Object.entries(settings)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : String(v)}`)
    .join(', ')} }`;

/** What steers the planner to `index`: settings for the other method's indexes, and a note saying so. */
export interface Steering {
  readonly settings: VectorSettings;
  readonly notes: readonly string[];
}

/** Settings that make the estimates of the target's other vector indexes (of the other method) their highest. */
export async function steerTo(db: AnyPgDatabase, context: SearchContext, index: VectorIndexInfo): Promise<Steering> {
  const others = context.indexes.filter((i) => i.name !== index.name);
  if (others.length === 0) return { settings: {}, notes: [] };
  const settings: { efSearch?: number; probes?: number } = {};
  const notes: string[] = [];
  const ivfflat = others.filter((i) => i.method === 'ivfflat' && index.method !== 'ivfflat');
  if (ivfflat.length > 0) {
    let lists = 1;
    for (const i of ivfflat) lists = Math.max(lists, await listsOf(db, context, i));
    settings.probes = Math.min(lists, maxOf('probes'));
  }
  if (others.some((i) => i.method === 'hnsw') && index.method !== 'hnsw') settings.efSearch = maxOf('efSearch');
  const steered = others.filter((i) => i.method !== index.method);
  if (steered.length > 0) {
    notes.push(
      `${context.target.label} has ${others.length + 1} vector indexes for '${context.metric}'; ${show(settings)} makes the planner's estimate for ${steered.map((i) => `"${i.name}"`).join(', ')} its highest, so it scans "${index.name}" (checked with EXPLAIN). Pass the same settings to nearest, or drop the index you do not use.`,
    );
  }
  const same = others.filter((i) => i.method === index.method);
  if (same.length > 0) {
    notes.push(`${same.map((i) => `"${i.name}"`).join(', ')} is also ${index.method.toUpperCase()} on ${context.target.label}: no setting steers the planner between two indexes of one method.`);
  }
  return { settings, notes };
}

/**
 * INDEX_NOT_USED unless the EXPLAIN of the measured search scanned `index`: a measurement of another plan would
 * report another index's recall (or an exact scan's 1.0) as this one's.
 */
export function checkIndexUsed(fn: string, context: SearchContext, index: VectorIndexInfo, used: readonly string[], settings: VectorSettings, filtered: boolean): void {
  if (used.some((u) => isIndex(u, index.name))) return;
  const vector = context.indexes.filter((i) => used.some((u) => isIndex(u, i.name))).map((i) => i.name);
  const what =
    vector.length > 0
      ? `the planner scanned ${vector.map((n) => `"${n}"`).join(', ')} instead`
      : `the planner used no vector index (${used.length > 0 ? `it scanned ${used.map((n) => `"${n}"`).join(', ')} and sorted the rows exactly` : 'an exact scan'})`;
  const fix =
    vector.length > 0
      ? `PostgreSQL picks between vector indexes on one column by estimated cost, and with these settings it estimated the other cheaper. Drop the index you do not use (one vector index per column and metric), or pass index: '${vector[0]}' to measure that one.`
      : filtered
        ? 'With this filter the planner reads the matching rows through another index and ranks them exactly, so there is no index recall to measure here: measure without the filter, or with a less selective one.'
        : `Check that the search matches the index (a partial index needs its condition in where; the operator must be the index's '${index.metric}').`;
  throw pgVectorError('INDEX_NOT_USED', `${fn}(${context.target.label}): asked to measure "${index.name}" (${index.method}) with settings ${show(settings)}, but ${what}. ${fix}`, {
    index: index.name,
    usedIndexes: [...used],
    settings,
  });
}

/** `used` (a name from EXPLAIN) is the index `name`, or one of its Citus shard placements (`<name>_<shard id>`). */
function isIndex(used: string, name: string): boolean {
  return used === name || (used.startsWith(`${name}_`) && /^\d+$/.test(used.slice(name.length + 1)));
}

/** The one HNSW/IVFFlat index the search uses, or NO_TUNABLE_INDEX. */
export function tunableIndex(fn: string, context: SearchContext): VectorIndexInfo {
  const methods = [...new Set(context.indexes.map((i) => i.method))];
  if (methods.length === 1 && context.indexes.length === 1) return context.indexes[0]!;
  const names = context.indexes.map((i) => `'${i.name}'`).join(' or ');
  throw pgVectorError(
    'NO_TUNABLE_INDEX',
    methods.length === 0
      ? `${fn}(${context.target.label}): no HNSW or IVFFlat index with '${context.metric}' is declared on this target, so there is no efSearch/probes to tune (the search is exact). Declare one with hnswIndex(…).on(${context.target.label}, '${context.metric}'), or pass the metric of an existing index.`
      : `${fn}(${context.target.label}): ${context.indexes.length} vector indexes with '${context.metric}' cover this target (${context.indexes.map((i) => `${i.name}: ${i.method}`).join(', ')}), and the planner picks one by estimated cost. Pass index: ${names} to tune that one, or drop the other.`,
    { target: context.target.label, metric: context.metric, indexes: context.indexes.map((i) => ({ name: i.name, method: i.method })) },
  );
}

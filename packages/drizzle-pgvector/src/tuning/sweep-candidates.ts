import { getTableConfig } from 'drizzle-orm/pg-core';
import { INDEX_OPTIONS, SETTINGS } from '../catalog/index.js';
import type { VectorIndexInfo } from '../indexes/index.js';
import type { AnyPgDatabase } from '../settings/index.js';
import { rowQuery } from '../driver/index.js';
import { findIndex } from '../pg-catalog/index.js';
import type { SearchContext } from './search-context.js';

/** efSearch values tried by default (those ≥ the rows fetched per query, plus that count itself). */
export const EF_SEARCH_CANDIDATES: readonly number[] = Object.freeze([10, 20, 40, 80, 120, 200, 400, 800, 1000]);

const setting = (key: 'efSearch' | 'probes') => SETTINGS.find((s) => s.key === key)!;

/** The efSearch sweep: at least `fetch` (an HNSW scan returns at most ef_search rows), at most the catalog's max. */
export function efSearchCandidates(fetch: number): number[] {
  const max = setting('efSearch').max!;
  const out = EF_SEARCH_CANDIDATES.filter((v) => v > fetch && v <= max);
  return fetch <= max ? [fetch, ...out] : out;
}

/** The probes sweep: 1, 2, 4, … below `lists`, then `lists` (capped at the catalog's max probes). */
export function probesCandidates(lists: number): number[] {
  const max = Math.min(lists, setting('probes').max!);
  const out: number[] = [];
  for (let p = 1; p < max; p *= 2) out.push(p);
  out.push(max);
  return out;
}

/**
 * An IVFFlat index's `lists`: as declared (`.with({ lists })`), else from the database (`pg_class.reloptions`,
 * read by `pg-catalog/`), else pgvector's default.
 *
 * ```sql
 * SELECT n.nspname, c.relname, …, c.reloptions FROM pg_class c … WHERE c.relname = $1 AND <the table's schema, or the search_path>
 * ```
 */
export async function listsOf(db: AnyPgDatabase, context: SearchContext, index: VectorIndexInfo): Promise<number> {
  if (index.options.lists !== undefined) return index.options.lists;
  const live = await findIndex(rowQuery(db), index.name, getTableConfig(context.table).schema);
  const fromDb = live?.storedOptions['lists'] ?? NaN;
  return Number.isInteger(fromDb) && fromDb > 0 ? fromDb : (INDEX_OPTIONS.find((o) => o.key === 'lists')!.default as number);
}

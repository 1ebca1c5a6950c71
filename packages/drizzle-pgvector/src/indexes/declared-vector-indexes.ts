import { SQL } from 'drizzle-orm';
import { isEntity } from '../compat/entity.js';
import { IndexedColumn, getTableConfig } from 'drizzle-orm/pg-core';
import type { PgTable } from 'drizzle-orm/pg-core';
import { INDEX_OPTIONS, operatorClassByName } from '../catalog/index.js';
import { toTarget, type VectorTarget } from '../targets/index.js';
import { declaredIndexInfo, type VectorIndexInfo } from './vector-index.js';

const TABLE_CACHE = new WeakMap<PgTable, readonly VectorIndexInfo[]>();

/**
 * The vector indexes a table declares in the schema (no database involved): those built with
 * {@link hnswIndex}/{@link ivfflatIndex}, and plain Drizzle `index().using('hnsw' | 'ivfflat',
 * t.col.op('vector_cosine_ops'))` indexes on a column. For the indexes a database has (health, drift), see
 * {@link vectorIndexes}.
 *
 * @example
 * ```ts
 * declaredVectorIndexes(items).map((i) => `${i.name}: ${i.method} ${i.metric} on ${i.target.label}`);
 * // ['items_embedding_hnsw: hnsw cosine on "items"."embedding"']
 * ```
 */
export function declaredVectorIndexes(table: PgTable): readonly VectorIndexInfo[] {
  const cached = TABLE_CACHE.get(table);
  if (cached) return cached;
  const config = getTableConfig(table);
  const out: VectorIndexInfo[] = [];
  for (const index of config.indexes) {
    const declared = declaredIndexInfo(index);
    if (declared) {
      out.push(declared);
      continue;
    }
    const ic = index.config as { name?: string; method?: string; columns: unknown[]; where?: SQL; with?: Record<string, unknown>; concurrently?: boolean };
    if ((ic.method !== 'hnsw' && ic.method !== 'ivfflat') || ic.columns.length !== 1) continue;
    const col = ic.columns[0];
    if (!isEntity(col, IndexedColumn) || !col.indexConfig.opClass) continue;
    const row = operatorClassByName(col.indexConfig.opClass);
    const column = Object.values(config.columns).find((c) => c.name === col.name);
    if (!row || !column) continue;
    let target: VectorTarget;
    try {
      target = toTarget(column);
    } catch {
      continue;
    }
    const options: Record<string, number> = {};
    for (const o of INDEX_OPTIONS) {
      const v = ic.with?.[o.sqlName] ?? ic.with?.[o.key];
      if (o.method === ic.method && v !== undefined) options[o.key] = Number(v);
    }
    out.push(
      Object.freeze({
        name: ic.name ?? `${config.name}_${col.name}_index`,
        method: ic.method,
        metric: row.metric,
        target,
        operatorClass: row,
        options: Object.freeze(options),
        where: ic.where,
        predicate: ic.where,
        concurrently: ic.concurrently ?? false,
        declared: false,
      }),
    );
  }
  const frozen = Object.freeze(out);
  TABLE_CACHE.set(table, frozen);
  return frozen;
}

/**
 * @deprecated Renamed {@link declaredVectorIndexes} (the schema's indexes, as opposed to {@link vectorIndexes}, the
 * database's); this alias is removed in the next minor release.
 */
export function getVectorIndexes(table: PgTable): readonly VectorIndexInfo[] {
  return declaredVectorIndexes(table);
}

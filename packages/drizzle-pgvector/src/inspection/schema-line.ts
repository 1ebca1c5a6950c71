import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { INDEX_OPTIONS, operatorClassByName } from '../catalog/index.js';
import { indexSchemaLine, keyRef, whereCode } from '../indexes/index-line.js';
import { vectorColumnInfo } from '../targets/column-info.js';
import type { LiveIndex } from '../pg-catalog/index.js';

/** @internal `t.embedding`, or `t["my column"]`, for the column whose SQL name is `sqlName`. */
export function columnRef(table: PgTable | undefined, sqlName: string): string {
  const key = table ? Object.entries(getTableColumns(table)).find(([, c]) => c.name === sqlName)?.[0] : undefined;
  return keyRef(key ?? sqlName);
}

/** An identifier as pg_get_indexdef prints it: bare, or double-quoted. */
const COL = String.raw`("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const CAST = new RegExp(String.raw`^\(${COL}::(vector|halfvec)\((\d+)\)\)$`);
const QUANTIZE = new RegExp(String.raw`^\(binary_quantize\(${COL}\)::bit\((\d+)\)\)$`);
const SUBVECTOR = new RegExp(String.raw`^\(subvector\(${COL}, (\d+), (\d+)\)::(?:vector|halfvec)\((\d+)\)\)$`);

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident;
}

/** @internal The drizzle-pgvector target for a live index key, e.g. `asHalfvec(t.embedding, 3)`; undefined when it has none. */
export function targetOf(table: PgTable | undefined, index: LiveIndex): { code: string; column: string; implied: string | undefined } | undefined {
  if (index.isColumn) return { code: columnRef(table, unquote(index.key)), column: unquote(index.key), implied: undefined };
  let m = CAST.exec(index.key);
  if (m) return { code: `${m[2] === 'vector' ? 'asVector' : 'asHalfvec'}(${columnRef(table, unquote(m[1]!))}, ${m[3]})`, column: unquote(m[1]!), implied: `vector_dims(${m[1]}) = ${m[3]}` };
  m = QUANTIZE.exec(index.key);
  if (m) return { code: `binaryQuantize(${columnRef(table, unquote(m[1]!))}, ${m[2]})`, column: unquote(m[1]!), implied: `vector_dims(${m[1]}) = ${m[2]}` };
  m = SUBVECTOR.exec(index.key);
  if (m) {
    const end = Number(m[2]) + Number(m[3]) - 1;
    return { code: `subvector(${columnRef(table, unquote(m[1]!))}, ${m[2]}, ${m[3]})`, column: unquote(m[1]!), implied: `vector_dims(${m[1]}) >= ${end}` };
  }
  return undefined;
}

/** True when the table's column `sqlName` is declared without fixed dimensions. */
function hasNoDimensions(table: PgTable | undefined, sqlName: string): boolean {
  const column = table ? Object.values(getTableColumns(table)).find((c) => c.name === sqlName) : undefined;
  if (column === undefined) return false;
  try {
    return vectorColumnInfo(column).dimensions === undefined;
  } catch {
    return false;
  }
}

/**
 * @internal The schema line that declares a live index as it is, for the table's extra-config callback:
 * `hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 8 }).where(sql`tag = 1`)`, or, for an
 * expression drizzle-pgvector has no target for, a plain Drizzle `index(…).using(…, sql`…`)`.
 */
// A cast target on a column without fixed dimensions adds `vector_dims(col) = n` to the predicate itself: a live
// predicate that is exactly that is left out of the line.
export function schemaLineOf(table: PgTable | undefined, index: LiveIndex): string {
  const opclass = operatorClassByName(index.opclass);
  const target = targetOf(table, index);
  const implied = target?.implied !== undefined && index.predicate === target.implied && hasNoDimensions(table, target.column);
  const predicate = implied ? undefined : index.predicate;
  if (opclass === undefined || target === undefined) {
    const options = Object.entries(index.storedOptions).map(([k, v]) => `${k}: ${v}`);
    return (
      `index('${index.name}').using('${index.method}', sql\`${index.key.replace(/`/g, '\\`')} ${index.opclass}\`)` +
      `${options.length ? `.with({ ${options.join(', ')} })` : ''}${whereCode(predicate)}`
    );
  }
  const options = INDEX_OPTIONS.filter((o) => o.method === index.method && index.storedOptions[o.sqlName] !== undefined).map(
    (o) => [o.key, index.storedOptions[o.sqlName]!] as const,
  );
  return indexSchemaLine({ method: index.method, name: index.name, target: target.code, metric: opclass.metric, options, predicate });
}

import type { IndexMethod, Metric } from '../catalog/index.js';

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** @internal How a schema line writes a column of the table `t` by its key: `t.embedding`, or `t["my column"]`. */
export function keyRef(key: string): string {
  return IDENT.test(key) ? `t.${key}` : `t[${JSON.stringify(key)}]`;
}

/** PostgreSQL's identifier length (NAMEDATALEN − 1). */
const MAX_NAME = 63;

/** @internal A name for a suggested index, `<table>_<column>_<suffix>`, the table part shortened to fit 63 bytes. */
export function suggestedIndexName(table: string, column: string, suffix: string | number): string {
  const tail = `_${column}_${suffix}`;
  return `${table.slice(0, Math.max(1, MAX_NAME - tail.length))}${tail}`.slice(0, MAX_NAME);
}

/** @internal What a schema line declares: a drizzle-pgvector index builder call. */
export interface IndexLine {
  readonly method: IndexMethod;
  readonly name: string;
  /** The target as code: `t.embedding`, `asHalfvec(t.embedding, 3072)`. */
  readonly target: string;
  readonly metric: Metric;
  /** Storage parameters by builder key (`m`, `efConstruction`, `lists`), in the order to print. */
  readonly options?: readonly (readonly [string, number])[];
  /** The partial-index condition as SQL text. */
  readonly predicate?: string | undefined;
}

/**
 * @internal The one schema-line printer: `hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 8 })
 * .where(sql`tag = 1`)`. Drift (`schemaLineOf`), `columnDimensions`, `vectorColumns` and
 * `adviseIndex` write their lines with it.
 */
export function indexSchemaLine(line: IndexLine): string {
  const options = line.options ?? [];
  const builder = line.method === 'hnsw' ? 'hnswIndex' : 'ivfflatIndex';
  return (
    `${builder}('${line.name}').on(${line.target}, '${line.metric}')` +
    `${options.length ? `.with({ ${options.map(([k, v]) => `${k}: ${v}`).join(', ')} })` : ''}${whereCode(line.predicate)}`
  );
}

/** @internal `.where(sql`…`)` for a predicate's SQL text, or nothing. */
export function whereCode(predicate: string | undefined): string {
  return predicate === undefined ? '' : `.where(sql\`${predicate.replace(/`/g, '\\`')}\`)`;
}

import { Param, SQL } from 'drizzle-orm';
import { isEntity } from '../compat/entity.js';
import { PgDialect } from 'drizzle-orm/pg-core';
import { INDEX_METHOD_LABELS, INDEX_OPTIONS, INDEX_RULES, VECTOR_TYPES, metricsFor, reducedRepresentationAdvice, type IndexMethod, type OperatorClassInfo } from '../catalog/index.js';
import { didYouMean, pgVectorError } from '../errors/index.js';
import { operatorClassForTarget, type VectorTarget } from '../targets/index.js';
import type { VectorIndexOptions } from './vector-index.js';

/** Validation of a vector index declaration (target, metric, options, predicate), before anything reaches the database. */

/** The builder each method is declared with, for messages. */
export const BUILDER_FN: Record<IndexMethod, string> = { hnsw: 'hnswIndex', ivfflat: 'ivfflatIndex' };
/** drizzle-kit splits its snapshot's index string on `;`: a predicate containing one breaks `drizzle-kit generate`. */
export function checkPredicateText(method: IndexMethod, name: string, condition: SQL): void {
  let text: string;
  try {
    text = new PgDialect().sqlToQuery(condition).sql;
  } catch {
    return; // not renderable on its own; drizzle-kit reports it
  }
  const position = text.indexOf(';');
  if (position < 0) return;
  throw pgVectorError(
    'INVALID_INDEX_DEFINITION',
    `${BUILDER_FN[method]}('${name}').where(…): the condition ${JSON.stringify(text)} contains a semicolon (position ${position}); drizzle-kit stores the index as a ;-separated string and would cut the condition there (drizzle-kit generate fails or writes a different index). Write the condition without ';' (for a literal containing one, use chr(59), e.g. sql\`\${t.tag} = 'a' || chr(59) || 'b'\`).`,
    { name, condition: text, position },
  );
}

/** Check (type × metric × method) compatibility and dimension limits; returns the catalog row. */
export function checkTarget(method: IndexMethod, name: string, target: VectorTarget, metric: unknown): OperatorClassInfo {
  const where = `${BUILDER_FN[method]}('${name}').on(${target.label}, …)`;
  const row = operatorClassForTarget(target, metric, where);
  if (!row.methods.includes(method)) {
    const allowed = metricsFor(target.type, method);
    throw pgVectorError(
      'UNSUPPORTED_METRIC',
      allowed.length === 0
        ? `${where}: ${INDEX_METHOD_LABELS[method]} cannot index ${target.type} (pgvector has no ${method} operator class for it). Use hnswIndex.`
        : `${where}: ${INDEX_METHOD_LABELS[method]} has no operator class for ${target.type} with '${metric}' (${row.opclass} exists for ${row.methods.map((m) => INDEX_METHOD_LABELS[m]).join(', ')} only). Use hnswIndex, or one of ${allowed.map((m) => `'${m}'`).join(', ')}.`,
      { metric, type: target.type, method, allowed },
    );
  }
  if (target.dimensions === undefined) {
    const col = target.label;
    throw pgVectorError(
      'COLUMN_HAS_NO_DIMENSIONS',
      `${where}: ${col} has no fixed dimensions and pgvector cannot index it ("column does not have dimensions"). Index a cast per dimension count instead: .on(asVector(t.${target.column.name}, 1536), '${metric}') — it becomes a partial index WHERE vector_dims(${col}) = 1536 — or declare the column with { dimensions }.`,
      { column: target.column.name, type: target.type },
    );
  }
  const max = VECTOR_TYPES[target.type].indexMaxDimensions[method]!;
  if (target.dimensions > max) {
    const advice = reducedRepresentationAdvice(target.type, target.dimensions, method, `t.${target.column.name}`);
    throw pgVectorError(
      'INDEX_DIMENSIONS_EXCEEDED',
      `${where}: ${target.sqlType} has ${target.dimensions} dimensions; ${INDEX_METHOD_LABELS[method]} indexes ${target.type} up to ${max}.${advice ? ` ${advice}` : ''}`,
      { dimensions: target.dimensions, max, type: target.type, method },
    );
  }
  if (method === 'ivfflat' && (INDEX_RULES.ivfflatSphericalMetrics as readonly unknown[]).includes(metric) && target.dimensions < INDEX_RULES.ivfflatSphericalMinDimensions) {
    throw pgVectorError(
      'INDEX_DIMENSIONS_TOO_FEW',
      `${where}: IVFFlat with '${metric}' needs at least ${INDEX_RULES.ivfflatSphericalMinDimensions} dimensions (pgvector: "${INDEX_RULES.ivfflatSphericalMessage}"); ${target.sqlType} has ${target.dimensions}. Use 'l2' or hnswIndex.`,
      { dimensions: target.dimensions, min: 2, method, metric },
    );
  }
  return row;
}

export function checkOptions<M extends IndexMethod>(method: M, name: string, options: unknown): VectorIndexOptions<M> {
  const where = `${BUILDER_FN[method]}('${name}').with(…)`;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw pgVectorError('INVALID_INDEX_OPTION', `${where}: options must be an object, got ${String(options)}.`, { options });
  }
  const own = INDEX_OPTIONS.filter((o) => o.method === method);
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const info = own.find((o) => o.key === key);
    if (info === undefined) {
      const other = INDEX_OPTIONS.find((o) => o.key === key || o.sqlName === key);
      const allowed = own.map((o) => o.key).join(', ');
      throw pgVectorError(
        'INVALID_INDEX_OPTION',
        other && other.method !== method
          ? `${where}: '${key}' is an ${INDEX_METHOD_LABELS[other.method]} option; ${INDEX_METHOD_LABELS[method]} takes ${allowed}.`
          : other
            ? `${where}: use '${other.key}' instead of '${key}'.`
            : `${where}: unknown option '${key}'.${didYouMean(key, own.map((o) => o.key))} ${INDEX_METHOD_LABELS[method]} takes ${allowed}.`,
        { option: key, allowed: own.map((o) => o.key) },
      );
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < info.min || value > info.max) {
      throw pgVectorError(
        'INVALID_INDEX_OPTION',
        `${where}: ${key} must be an integer from ${info.min} to ${info.max} (${info.description}), got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}.`,
        { option: key, value, min: info.min, max: info.max },
      );
    }
    out[key] = value;
  }
  if (method === 'hnsw') {
    const m = out['m'] ?? own.find((o) => o.key === 'm')!.default;
    const ef = out['efConstruction'] ?? own.find((o) => o.key === 'efConstruction')!.default;
    const min = INDEX_RULES.efConstructionPerM * m;
    if (ef < min) {
      throw pgVectorError(
        'INVALID_INDEX_OPTION',
        `${where}: efConstruction (${ef}${out['efConstruction'] === undefined ? ', the default' : ''}) must be at least 2 * m = ${min} (pgvector: "${INDEX_RULES.efConstructionMessage}"). Set efConstruction to ${min} or more, or lower m.`,
        { option: 'efConstruction', value: ef, min, m },
      );
    }
  }
  return out as VectorIndexOptions<M>;
}

/** Index predicates are emitted verbatim into DDL: bound parameters would appear as `$1` there. */
export function checkNoParams(method: IndexMethod, name: string, condition: SQL): void {
  const visit = (chunk: unknown): boolean => {
    if (isEntity(chunk, Param)) return true;
    if (isEntity(chunk, SQL)) return chunk.queryChunks.some(visit);
    if (chunk !== null && typeof chunk === 'object' && 'getSQL' in chunk && !('name' in chunk && 'table' in chunk)) return false;
    return typeof chunk === 'string' || typeof chunk === 'number' || typeof chunk === 'boolean' || typeof chunk === 'bigint';
  };
  if (condition.queryChunks.some(visit)) {
    throw pgVectorError(
      'INVALID_INDEX_DEFINITION',
      `${BUILDER_FN[method]}('${name}').where(…): the condition contains a bound parameter, which DDL cannot carry (drizzle-kit would write $1). Write the literal into the SQL: sql\`\${t.lang} = 'en'\` or sql.raw(...) for trusted constants.`,
      {},
    );
  }
}


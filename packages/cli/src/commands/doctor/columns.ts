import { getTableConfig } from 'drizzle-orm/pg-core';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { chooseIndex, columnDimensions, declaredVectorIndexes, type ColumnDimensionsReport, type VectorIndexStatus, type VectorType } from 'drizzle-pgvector';
import { operatorClassFor } from 'drizzle-pgvector/catalog';
import type { SchemaTable } from '../../config/load-schema.js';

import { finding, type Finding } from './findings.js';
import { rows, sql } from './rows.js';

/** One vector column in the database. */
export interface ColumnReport {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly type: VectorType;
  /** Fixed dimensions (the typmod), undefined when the column has none. */
  readonly dimensions: number | undefined;
  /** The schema declares this table (and so this column's indexes are compared). */
  readonly declared: boolean;
  /** Dimensions the schema declares, when it declares the column. */
  readonly declaredDimensions: number | undefined;
  /** Rows in the table (`pg_class.reltuples`, or a count when never analysed). */
  readonly rows: number;
  /** Indexes on the column or an expression of it. */
  readonly indexes: readonly string[];
  /** Columns without fixed dimensions (of a declared table): columnDimensions's distribution. */
  readonly distribution: ColumnDimensionsReport | undefined;
}

interface CatalogColumn {
  schema: string;
  table: string;
  column: string;
  type: string;
  typmod: number;
  reltuples: number | string;
}

function declaredTable(tables: readonly SchemaTable[], schema: string, table: string): SchemaTable | undefined {
  return tables.find((t) => t.name === table && (t.schema ?? 'public') === schema);
}

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export async function inspectColumns(
  db: PgDatabase<PgQueryResultHKT>,
  tables: readonly SchemaTable[],
  indexes: readonly VectorIndexStatus[],
): Promise<{ columns: ColumnReport[]; findings: Finding[] }> {
  const catalog = await rows<CatalogColumn>(
    db,
    sql`select n.nspname as schema, c.relname as table, a.attname as column, t.typname as type, a.atttypmod as typmod, c.reltuples as reltuples
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_type t on t.oid = a.atttypid
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and t.typname in ('vector', 'halfvec', 'sparsevec', 'bit')
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      order by n.nspname, c.relname, a.attnum`,
  );
  const columns: ColumnReport[] = [];
  const findings: Finding[] = [];
  for (const c of catalog) {
    const t = declaredTable(tables, c.schema, c.table);
    if (tables.length > 0 && !t) continue; // with a schema, doctor looks at its tables only (as vectorIndexes does)
    if (c.type === 'bit' && !t) continue; // a core bit column of a table the schema does not declare: not ours to judge
    const config = t ? getTableConfig(t.table) : undefined;
    const declaredColumn = config?.columns.find((col) => col.name === c.column) as { dimensions?: number; getSQLType(): string } | undefined;
    if (c.type === 'bit' && declaredColumn === undefined) continue;
    const declaredDimensions = declaredColumn ? Number(/\((\d+)\)/.exec(declaredColumn.getSQLType())?.[1] ?? NaN) : undefined;
    const type = c.type as VectorType;
    const dimensions = c.typmod > 0 ? c.typmod : undefined;
    let count = Number(c.reltuples);
    if (count < 0) {
      const [r] = await rows<{ n: number | string }>(db, sql.raw(`select count(*) as n from ${quote(c.schema)}.${quote(c.table)}`));
      count = Number(r?.n ?? 0);
    }
    const on = indexes.filter((i) => i.schema === c.schema && i.table === c.table && (i.column === c.column || (i.expression ?? '').includes(c.column)));
    let distribution: ColumnDimensionsReport | undefined;
    if (dimensions === undefined && t && type !== 'sparsevec') {
      distribution = await columnDimensions(db, t.table, c.column);
    }
    columns.push({
      schema: c.schema,
      table: c.table,
      column: c.column,
      type,
      dimensions,
      declared: t !== undefined,
      declaredDimensions: Number.isNaN(declaredDimensions) ? undefined : declaredDimensions,
      rows: count,
      indexes: on.map((i) => i.name),
      distribution,
    });
    const subject = `${c.table}.${c.column}`;
    const dd = Number.isNaN(declaredDimensions) ? undefined : declaredDimensions;
    if (declaredColumn && dd !== dimensions) {
      findings.push(
        finding(
          'action',
          'column-dimensions-differ',
          subject,
          `The schema declares ${c.table}.${c.column} as ${type}${dd ? `(${dd})` : ''}, the database has ${type}${dimensions ? `(${dimensions})` : ''}. Generate and apply a migration (drizzle-kit generate, then migrate), or change the schema to match.`,
          [`ALTER TABLE ${quote(c.schema)}.${quote(c.table)} ALTER COLUMN ${quote(c.column)} TYPE ${type}${dd ? `(${dd})` : ''};`],
        ),
      );
    }
    if (distribution && distribution.dimensions.length > 0) {
      const declaredNames = new Set(t ? declaredVectorIndexes(t.table).map((i) => i.name) : []);
      const missing = distribution.indexes.filter((s) => !declaredNames.has(s.name));
      if (missing.length > 0) {
        findings.push(
          finding(
            'warning',
            'mixed-dimensions',
            subject,
            `${subject} has no fixed dimensions: ${distribution.dimensions.map((d) => `${d.rows} rows of ${d.dimensions}`).join(', ')}. A column must have one dimension count to be indexed: declare one partial expression index per dimension count.`,
            missing.map((s) => s.sql),
            missing.map((s) => s.schemaLine).join(',\n'),
          ),
        );
      }
    } else if (dimensions !== undefined && on.length === 0 && count >= 10_000) {
      const choice = chooseIndex({ rows: count, dimensions, type });
      const method = choice.method;
      if (method) {
        const target = choice.target === 'column' ? `t.${c.column}` : `${choice.target}(t.${c.column}, ${choice.indexedDimensions})`;
        const name = `${c.table}_${c.column}_${method}`;
        const expr = choice.target === 'column' ? quote(c.column) : choice.target === 'asHalfvec' ? `(${quote(c.column)}::halfvec(${dimensions}))` : `(binary_quantize(${quote(c.column)})::bit(${dimensions}))`;
        const opclass = operatorClassFor(choice.indexedType, choice.indexedType === 'bit' ? 'hamming' : 'cosine')?.opclass ?? 'vector_cosine_ops';
        findings.push(
          finding(
            'warning',
            'unindexed-column',
            subject,
            `${subject} (${count} rows of ${type}(${dimensions})) has no vector index: every nearest-neighbour query scans the whole table. ${choice.reasons.map((r) => r.message).join(' ')} Use the metric your queries order by.` +
              (choice.rerank ? ` Search through the column with rerank: { via: binaryQuantize(${c.table}.${c.column}) } (exact distances on the full vectors).` : '') +
              ` Build memory / index size: ${choice.alternatives
                .filter((a) => a.method === 'hnsw')
                .map((a) => `${a.target === 'column' ? `${a.indexedType}(${a.indexedDimensions})` : `${a.target} → ${a.indexedType}`} ${a.maintenanceWorkMem} / ${a.indexSize}`)
                .join('; ')}.`,
            [`CREATE INDEX CONCURRENTLY ${quote(name)} ON ${quote(c.schema)}.${quote(c.table)} USING ${method} (${expr} ${opclass});`],
            `${method}Index('${name}').on(${target}, '${choice.indexedType === 'bit' ? 'hamming' : 'cosine'}')`,
          ),
        );
      }
    }
  }
  return { columns, findings };
}

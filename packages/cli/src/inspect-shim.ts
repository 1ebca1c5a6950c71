// TEMPORARY: vectorIndexes / columnDimensions are being written on branch `inspect` (only their types are merged).
// Until they are, doctor reports indexes without health and drift. Delete this file after merging `inspect`.
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import * as library from 'drizzle-pgvector';
import type { AnyPgDatabase, ColumnDimensionsOptions, ColumnDimensionsReport, VectorIndexesOptions, VectorIndexesReport } from 'drizzle-pgvector';

type Lib = {
  vectorIndexes?: (db: AnyPgDatabase, options?: VectorIndexesOptions) => Promise<VectorIndexesReport>;
  columnDimensions?: (db: AnyPgDatabase, table: PgTable, column: PgColumn | string, options?: ColumnDimensionsOptions) => Promise<ColumnDimensionsReport>;
};
const lib = library as unknown as Lib;
export const vectorIndexes = lib.vectorIndexes;
export const columnDimensions = lib.columnDimensions;

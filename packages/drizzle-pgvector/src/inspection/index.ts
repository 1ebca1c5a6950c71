export type {
  CitusDistribution,
  ColumnArgument,
  ColumnDimensionsOptions,
  ColumnDimensionsReport,
  DimensionCount,
  IndexDrift,
  IndexDriftKind,
  IndexProblem,
  IndexProblemKind,
  IndexProblemSeverity,
  IvfflatAdvice,
  LiveIndexOptions,
  PartialIndexSuggestion,
  VectorIndexesOptions,
  VectorIndexesReport,
  VectorIndexStatus,
} from './types.js';
export { vectorIndexes } from './vector-indexes.js';
export { columnDimensions } from './column-dimensions.js';
export { operationalChecks } from './operational-checks.js';
export type { OperationalCheckKind, OperationalChecksOptions, OperationalFinding } from './operational-checks.js';
export { schemaTables, type SchemaTable } from './schema-tables.js';
export { vectorColumns } from './vector-columns.js';
export { inspectDatabase } from './inspect-database.js';
export type {
  DatabaseInspection,
  InspectDatabaseOptions,
  InspectionFinding,
  InspectionSeverity,
  ServerReport,
  SettingReport,
  VectorColumnFindingKind,
  VectorColumnReport,
  VectorColumnsOptions,
  VectorColumnsReport,
} from './report-types.js';

/**
 * `@drizzle-pgvector/cli`: the `drizzle-pgvector` command. The entry point is the `drizzle-pgvector` bin; this
 * module exports `main(argv)` (what the bin runs) and the shapes of the `--json` documents.
 *
 * @packageDocumentation
 */
export { main, type CliStreams } from './main.js';
export { CliError, EXIT, type CliErrorCode, type ErrorReport } from './errors.js';
export type { AdviseDocument } from './commands/advise.js';
export type { BuildDocument } from './commands/build.js';
export type { TuneDocument } from './commands/tune.js';
export type { DoctorDocument } from './commands/doctor/doctor.js';
export type {
  InspectionFinding as Finding,
  InspectionSeverity as Severity,
  VectorColumnReport as ColumnReport,
  ServerReport,
  SettingReport,
} from 'drizzle-pgvector';

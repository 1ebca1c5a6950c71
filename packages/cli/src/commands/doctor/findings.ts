/** How urgent a finding is. `action` findings make `doctor` exit 1. */
export type Severity = 'action' | 'warning' | 'info';

/** One thing `doctor` found, with the exact SQL or schema line that changes it. */
export interface Finding {
  readonly severity: Severity;
  /** Stable kind: `extension-missing`, `extension-update`, `index-invalid`, `lists-too-few`, …, `drift-missing`, `drift-opclass`, …, `column-dimensions-differ`, `mixed-dimensions`, `unindexed-column`, `build-memory`, `hnsw-vacuum-fixes`, `ivfflat-probes-seqscan`, `parallel-maintenance-off`. */
  readonly kind: string;
  /** What it is about: an index, `table.column`, a setting, the extension. */
  readonly subject: string;
  readonly message: string;
  /** Statements to run, in order (CONCURRENTLY ones outside a transaction). */
  readonly sql: readonly string[];
  /** The schema line to add or change, where the fix is in the schema. */
  readonly schemaLine: string | undefined;
}

export function finding(severity: Severity, kind: string, subject: string, message: string, sql: readonly string[] = [], schemaLine?: string): Finding {
  return { severity, kind, subject, message, sql, schemaLine };
}

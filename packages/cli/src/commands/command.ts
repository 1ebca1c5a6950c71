/** What a command handler returns: the exit code, the JSON document (`--json`) and its terminal rendering. */
export interface CommandResult<D> {
  readonly exitCode: number;
  readonly document: D;
  readonly text: () => string;
}

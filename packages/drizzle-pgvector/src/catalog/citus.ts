/**
 * Citus facts (citusdata/citus 13): a `SET LOCAL` on the coordinator reaches the shards' transactions only when
 * `citus.propagate_set_commands` is `'local'`; its default is `'none'`, and `set_config()` is never propagated.
 */
export const CITUS = Object.freeze({
  /** The extension's name in `pg_extension`. */
  extension: 'citus',
  /** The setting that makes Citus forward `SET LOCAL` to the shards taking part in the transaction. */
  propagateSetting: 'citus.propagate_set_commands',
  /** Its value for forwarding `SET LOCAL` (the default is `'none'`). */
  propagateLocal: 'local',
});

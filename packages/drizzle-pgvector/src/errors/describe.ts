import { getTableName, type Table } from 'drizzle-orm';

/** @internal Short description of a value for error messages (never dumps a whole vector or object). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value.length > 40 ? `string "${value.slice(0, 40)}…"` : `string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'function';
  if (typeof value === 'symbol') return `symbol ${String(value.description ?? '')}`;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}`;
  if (Object.getPrototypeOf(value) === null) return (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module' ? 'module namespace' : 'object without prototype';
  return (value as object).constructor?.name ?? 'object';
}

/** @internal A table's name for messages; `'?'` for something that is not a Drizzle table. */
export function tableNameOf(table: unknown): string {
  try {
    return getTableName(table as Table);
  } catch {
    return '?';
  }
}

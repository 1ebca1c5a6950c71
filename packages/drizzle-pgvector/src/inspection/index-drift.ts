import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { DeclaredIndex } from './declared-indexes.js';
import { qualified, quoteIdent } from '../driver/index.js';
import { swapStatements, swapTemplate } from '../operations/swap-index.js';
import type { LiveIndex } from '../pg-catalog/index.js';
import { schemaLineOf } from './schema-line.js';
import type { IndexDrift, IndexDriftKind } from './types.js';

/** Compared in this order; each difference is one drift entry. */
type Difference = Exclude<IndexDriftKind, 'table-missing' | 'missing' | 'undeclared' | 'renamed'>;

function optionsText(index: LiveIndex): string {
  return Object.entries(index.options)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
}

/** @internal What differs between the declared index (normalised by the server) and the live one. */
export function differences(declared: LiveIndex, live: LiveIndex): { kind: Difference; declared: string; live: string }[] {
  const out: { kind: Difference; declared: string; live: string }[] = [];
  if (declared.method !== live.method) out.push({ kind: 'method', declared: declared.method, live: live.method });
  if (declared.key !== live.key) out.push({ kind: 'expression', declared: declared.key, live: live.key });
  if (declared.opclass !== live.opclass) out.push({ kind: 'opclass', declared: declared.opclass, live: live.opclass });
  if (declared.method === live.method && optionsText(declared) !== optionsText(live)) {
    out.push({ kind: 'options', declared: optionsText(declared), live: optionsText(live) });
  }
  if ((declared.predicate ?? '') !== (live.predicate ?? '')) {
    out.push({ kind: 'predicate', declared: declared.predicate ?? '(none)', live: live.predicate ?? '(none)' });
  }
  return out;
}

const LABEL: Record<Difference, string> = {
  method: 'access method',
  expression: 'indexed column or expression',
  opclass: 'operator class',
  options: 'options',
  predicate: 'WHERE condition',
};

/**
 * @internal Drift on one table that exists: declared indexes matched by name to the live vector indexes of the
 * table, each compared in its normalised form (see `normaliseDeclared`).
 */
export function tableDrift(
  table: PgTable,
  schema: string,
  declared: readonly DeclaredIndex[],
  normalised: ReadonlyMap<string, LiveIndex>,
  live: readonly LiveIndex[],
): IndexDrift[] {
  const tableName = getTableConfig(table).name;
  const out: IndexDrift[] = [];
  const liveByName = new Map(live.map((l) => [l.name, l]));
  const missing: { d: DeclaredIndex; n: LiveIndex | undefined }[] = [];
  for (const d of declared) {
    const n = normalised.get(d.name);
    const l = liveByName.get(d.name);
    if (l === undefined) {
      missing.push({ d, n });
      continue;
    }
    if (n === undefined) continue;
    const target = qualified(l.schema, l.name);
    for (const diff of differences(n, l)) {
      // The declared definition swapped in without downtime, as replaceIndex() does it.
      const swap = swapStatements(swapTemplate(d.ddl), l.schema, l.name);
      const fix = [`${swap.build};`, `${swap.drop};`, `${swap.rename};`];
      out.push({
        kind: diff.kind,
        schema,
        table: tableName,
        index: d.name,
        message: `${target}: the schema declares ${LABEL[diff.kind]} ${diff.declared}, the database has ${diff.live}. Replace it without downtime: replaceIndex(db, ${tableName}, '${d.name}') (CLI: build ${d.name} --replace) builds the declared index CONCURRENTLY and swaps it in, or run the SQL outside a transaction.`,
        declared: n.definition,
        live: l.definition,
        sql: fix,
        schemaLine: undefined,
      });
    }
  }
  const declaredNames = new Set(declared.map((d) => d.name));
  const undeclared = live.filter((l) => !declaredNames.has(l.name));
  for (const l of undeclared) {
    const target = qualified(l.schema, l.name);
    const same = missing.findIndex((m) => m.n !== undefined && differences(m.n, l).length === 0);
    if (same >= 0) {
      const [{ d, n }] = missing.splice(same, 1) as [{ d: DeclaredIndex; n: LiveIndex }];
      out.push({
        kind: 'renamed',
        schema,
        table: tableName,
        index: l.name,
        message: `${target} is the index the schema declares as "${d.name}" under another name. Rename it.`,
        declared: n.definition,
        live: l.definition,
        sql: [`ALTER INDEX ${target} RENAME TO ${quoteIdent(d.name)};`],
        schemaLine: undefined,
      });
      continue;
    }
    out.push({
      kind: 'undeclared',
      schema,
      table: tableName,
      index: l.name,
      message: `${target} (${l.method}, ${l.opclass}) is on "${tableName}" but the schema does not declare it: drop it, or declare it in the table's extra config to keep it.`,
      declared: undefined,
      live: l.definition,
      sql: [`DROP INDEX IF EXISTS ${target};`],
      schemaLine: schemaLineOf(table, l),
    });
  }
  for (const { d, n } of missing) {
    out.push({
      kind: 'missing',
      schema,
      table: tableName,
      index: d.name,
      message: `"${d.name}" is declared on "${tableName}" but not in the database. Create it (buildIndex(db, table, '${d.name}') does, with progress and sized maintenance_work_mem).`,
      declared: n?.definition,
      live: undefined,
      sql: [d.ddl],
      schemaLine: undefined,
    });
  }
  return out;
}

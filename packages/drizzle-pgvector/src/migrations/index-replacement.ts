import { INDEX_OPTIONS, OPERATOR_CLASSES, type IndexMethod } from '../catalog/index.js';
import type { SqlExecutor, TransactionalDatabase } from '../driver/index.js';
import { readLiveIndexes } from '../pg-catalog/index.js';
import type { BuildShape } from '../operations/build-settings.js';
import { parseIndexName } from '../operations/invalid-index.js';
import type { SwapTarget } from '../operations/swap-index.js';
import type { SqlStatement } from './statements.js';

/**
 * @internal migrate()'s side of replacing a vector index without downtime: finding drizzle-kit's
 * `DROP INDEX "x"; … CREATE INDEX "x" … USING hnsw|ivfflat …` pair in a migration's statements, and turning the
 * CREATE into the swap that `replaceIndex` runs (../operations/swap-index.ts).
 */

/** A `CREATE INDEX` that replaces the index the same migration dropped earlier. */
export interface IndexReplacement {
  /** Position of the `DROP INDEX` among the migration's statements. */
  readonly drop: number;
  /** Position of the `CREATE INDEX`. */
  readonly create: number;
  readonly name: string;
  /** Schema as written in the DROP or on the table; undefined: the search_path. */
  readonly schema: string | undefined;
  readonly method: IndexMethod;
  /** The table as written after ON (quoted as in the file). */
  readonly tableSql: string;
  /** The CREATE as `CREATE INDEX CONCURRENTLY {{name}} ON …` (IF NOT EXISTS removed). */
  readonly template: string;
  /** The CREATE statement's code (strings blanked), for the memory estimate's options. */
  readonly code: string;
}

const NAME = String.raw`("(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${NAME}(?:\s*\.\s*${NAME})?`;
const DROP_INDEX = new RegExp(String.raw`^drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?${QUALIFIED}\s*(?:restrict\s*)?$`, 'i');
const CREATE_INDEX = new RegExp(String.raw`^create\s+index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?${NAME}\s+on\s+(?!only\b)(${QUALIFIED})\s+using\s+(hnsw|ivfflat)\b`, 'i');
/** The head of the CREATE as written (no comment inside it), up to and including ON. */
const CREATE_HEAD = new RegExp(String.raw`^create\s+index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?${NAME}\s+on\s+`, 'i');
/** Another index created or dropped between them (drizzle-kit drops every changed index first, then creates them). */
const OTHER_INDEX = /^(?:create\s+(?:unique\s+)?index|drop\s+index)\b/i;
const ADD_COLUMN = /^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?\S+\s+add\s+(?:column\s+)?/i;

function words(text: string): string[] {
  const parsed = parseIndexName(text);
  return parsed === undefined ? [] : [parsed.name];
}

/**
 * @internal drizzle-kit's pattern for a changed index: `DROP INDEX [IF EXISTS] ["schema".]"x"` followed later in
 * the same migration by `CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] "x" ON … USING hnsw|ivfflat …`. Not a pair
 * (the statements run as written) when a statement between them touches the table in any way other than
 * `ALTER TABLE … ADD COLUMN` or another index's CREATE / DROP (a dropped or retyped column would take the old
 * index with it or rewrite it), or names the index; nor with `CASCADE`, `ON ONLY`, a comment inside the CREATE's head, or more than one name.
 */
export function findReplacements(statements: readonly SqlStatement[]): IndexReplacement[] {
  const out: IndexReplacement[] = [];
  statements.forEach((create, c) => {
    const cm = CREATE_INDEX.exec(create.code);
    if (cm === null) return;
    const index = parseIndexName(cm[1]!);
    const table = parseIndexName(cm[2]!);
    const head = CREATE_HEAD.exec(create.text);
    if (index === undefined || table === undefined || head === null) return;
    for (let d = c - 1; d >= 0; d--) {
      const dm = DROP_INDEX.exec(statements[d]!.code);
      const dropped = dm === null ? undefined : parseIndexName(dm[2] === undefined ? dm[1]! : `${dm[1]!}.${dm[2]}`);
      if (dropped === undefined || dropped.name !== index.name) continue;
      if (dropped.schema !== undefined && table.schema !== undefined && dropped.schema !== table.schema) return;
      if (out.some((r) => r.drop === d)) return;
      const between = statements.slice(d + 1, c);
      const touches = (s: SqlStatement): boolean => {
        const idents = s.code.match(new RegExp(NAME, 'g')) ?? [];
        const names = new Set(idents.flatMap(words));
        if (names.has(index.name)) return true;
        return names.has(table.name) && !ADD_COLUMN.test(s.code) && !OTHER_INDEX.test(s.code);
      };
      if (between.some(touches)) return;
      out.push({
        drop: d,
        create: c,
        name: index.name,
        schema: dropped.schema ?? table.schema,
        method: cm[5]!.toLowerCase() as IndexMethod,
        tableSql: cm[2]!,
        template: `CREATE INDEX CONCURRENTLY {{name}} ON ${create.text.slice(head[0].length)}`,
        code: create.code,
      });
      return;
    }
  });
  return out;
}

const OPCLASS = new RegExp(String.raw`\b(${OPERATOR_CLASSES.map((o) => o.opclass).join('|')})\b`, 'i');

/**
 * @internal The swap for one replacement. The build-memory shape comes from the statement (method, operator
 * class, `m` / `lists` in WITH) and the old index (dimensions); the whole table's rows are counted (a partial
 * index gets memory for all of them). Without an old index there are no dimensions: the server's setting stays.
 */
export async function replacementTarget(db: TransactionalDatabase, r: IndexReplacement): Promise<SwapTarget> {
  const [old] = await readLiveIndexes(db as unknown as SqlExecutor, { index: r.name, schema: r.schema });
  const opclass = OPERATOR_CLASSES.find((o) => o.opclass === OPCLASS.exec(r.code)?.[1]?.toLowerCase());
  const withText = /\bwith\s*\(([^)]*)\)/i.exec(r.code)?.[1] ?? '';
  const option = (key: string): number | undefined => {
    const sqlName = INDEX_OPTIONS.find((o) => o.method === r.method && o.key === key)?.sqlName ?? key;
    const m = new RegExp(String.raw`\b${sqlName}\s*=\s*'?(\d+)'?`, 'i').exec(withText);
    return m === null ? INDEX_OPTIONS.find((o) => o.method === r.method && o.key === key)?.default : Number(m[1]);
  };
  const dimensions = old !== undefined && old.typmod > 0 ? old.typmod : undefined;
  const shape =
    dimensions === undefined
      ? undefined
      : async (): Promise<BuildShape> => ({
          method: r.method,
          type: opclass?.type ?? 'vector',
          dimensions,
          ...(r.method === 'hnsw' ? { m: option('m')! } : { lists: option('lists')! }),
          tableSql: r.tableSql,
        });
  return { name: r.name, schema: old?.schema ?? r.schema, method: r.method, template: r.template.replace(/;\s*$/, ''), shape };
}


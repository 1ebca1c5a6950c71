import { INDEX_METHODS_LIST, OPERATOR_CLASSES, VECTOR_TYPES_LIST } from '../catalog/index.js';

/**
 * SQL text helpers for migration files: split a chunk into statements and classify them, without being fooled
 * by string literals, quoted identifiers, dollar-quoted bodies or comments.
 */

/** One statement of a migration chunk. */
export interface SqlStatement {
  /** The statement as written (trimmed, without the trailing `;`). */
  readonly text: string;
  /**
   * The statement with comments removed and the contents of string literals and dollar-quoted bodies blanked
   * (`'…'` → `''`), quoted identifiers kept: safe to match keywords against.
   */
  readonly code: string;
}

/**
 * Split SQL text into statements at top-level `;`. Understands `'…'` (with `''`), `E'…'` (with `\'`),
 * `"…"` identifiers, `$tag$…$tag$` bodies, `-- …` and nested `/* … *\/` comments. Statements that are empty once
 * comments are removed are dropped. (SQL-standard function bodies, `BEGIN ATOMIC … END`, contain top-level `;`
 * and are not supported: keep such a statement alone in its chunk.)
 */
export function splitStatements(text: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let code = '';
  let i = 0;
  const n = text.length;
  const push = (end: number): void => {
    const raw = text.slice(start, end).trim();
    if (code.trim() !== '') out.push({ text: raw, code: code.trim() });
    code = '';
  };
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl + 1;
      code += ' ';
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      code += ' ';
      continue;
    }
    if (c === "'") {
      const escapes = /[eE]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? '');
      i++;
      while (i < n) {
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i++;
      }
      i++;
      code += "''";
      continue;
    }
    if (c === '"') {
      const from = i;
      i++;
      while (i < n) {
        if (text[i] === '"' && text[i + 1] === '"') i += 2;
        else if (text[i] === '"') break;
        else i++;
      }
      i++;
      code += text.slice(from, i);
      continue;
    }
    if (c === '$' && !/[\w$]/.test(text[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(text.slice(i, i + 64));
      if (tag !== null) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
        code += "''";
        continue;
      }
    }
    if (c === ';') {
      push(i);
      start = i + 1;
      i++;
      continue;
    }
    code += c;
    i++;
  }
  push(n);
  return out;
}

const NON_TRANSACTIONAL: readonly RegExp[] = [
  /^create\s+(?:unique\s+)?index\s+concurrently\b/i,
  /^drop\s+index\s+concurrently\b/i,
  /^reindex\s+(?:\([^)]*\)\s*)?(?:index|table|schema|database|system)\s+concurrently\b/i,
  /^alter\s+table\b[\s\S]*\bdetach\s+partition\b[\s\S]*\bconcurrently\b/i,
];

/**
 * True for statements PostgreSQL refuses to run inside a transaction block ("… cannot run inside a transaction
 * block"), which {@link migrate} therefore runs on their own: `CREATE [UNIQUE] INDEX CONCURRENTLY`,
 * `DROP INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY` and `ALTER TABLE … DETACH PARTITION … CONCURRENTLY`.
 *
 * @example
 * ```ts
 * import { isNonTransactionalStatement } from 'drizzle-pgvector/migrator';
 *
 * isNonTransactionalStatement('CREATE INDEX CONCURRENTLY "items_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops);'); // true
 * isNonTransactionalStatement('CREATE INDEX "items_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops);'); // false
 * ```
 */
export function isNonTransactionalStatement(sqlText: string): boolean {
  return splitStatements(sqlText).some(runsOutsideTransaction);
}

/** @internal {@link isNonTransactionalStatement} for one parsed statement. */
export function runsOutsideTransaction(statement: SqlStatement): boolean {
  return NON_TRANSACTIONAL.some((re) => re.test(statement.code));
}

const CREATE_VECTOR_EXTENSION = /^create\s+extension\s+(?:if\s+not\s+exists\s+)?(?:vector|"vector")(?=\s|$)/i;

/** @internal True for `CREATE EXTENSION [IF NOT EXISTS] vector …`. */
export function createsVectorExtension(statement: SqlStatement): boolean {
  return CREATE_VECTOR_EXTENSION.test(statement.code);
}

const PGVECTOR_FUNCTIONS = ['binary_quantize', 'subvector', 'l2_normalize', 'vector_dims', 'l2_norm'];
const VECTOR_WORDS = new RegExp(
  `\\b(?:${[
    ...VECTOR_TYPES_LIST.filter((t) => t !== 'bit'), // bit is PostgreSQL's own type
    ...OPERATOR_CLASSES.map((r) => r.opclass),
    ...PGVECTOR_FUNCTIONS,
  ].join('|')})\\b|\\busing\\s+(?:${INDEX_METHODS_LIST.join('|')})\\b`,
  'i',
);

/**
 * @internal True when the statement needs pgvector: it names a pgvector type (`vector`, `halfvec`, `sparsevec`),
 * operator class, function, or index method (`USING hnsw` / `USING ivfflat`). Quoted identifiers, strings and
 * comments do not count (a column named `"vector"` is fine).
 */
export function usesPgvector(statement: SqlStatement): boolean {
  if (createsVectorExtension(statement)) return false;
  const withoutIdentifiers = statement.code.replace(/"(?:[^"]|"")*"/g, '""');
  return VECTOR_WORDS.test(withoutIdentifiers);
}

const IDENT = String.raw`("(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*))?`;
const CREATE_INDEX_NAME = new RegExp(String.raw`^create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?(?!on\b)${IDENT}`, 'i');
const DROP_INDEX_NAME = new RegExp(String.raw`^drop\s+index\s+concurrently\s+(?:if\s+exists\s+)?${IDENT}`, 'i');

/** @internal The index a `CREATE/DROP INDEX CONCURRENTLY` statement names, as written (quoted), if any. */
export function concurrentIndexName(statement: SqlStatement): { kind: 'create' | 'drop'; name: string } | undefined {
  for (const [kind, re] of [
    ['create', CREATE_INDEX_NAME],
    ['drop', DROP_INDEX_NAME],
  ] as const) {
    const m = re.exec(statement.code);
    if (m !== null) return { kind, name: m[2] === undefined ? m[1]! : `${m[1]!}.${m[2]}` };
  }
  return undefined;
}

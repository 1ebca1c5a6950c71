import { pgVectorError } from '../errors/index.js';

/** PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * drizzle-kit 0.31 writes `CREATE INDEX "${name}" …` and `DROP INDEX "${name}"` without escaping, and stores each
 * index in its snapshot as one `;`-separated string that it splits again on `;`. So a `"` ends the identifier early
 * (the rest of the name becomes SQL: a different index, or any statement), a `;` shifts every field after it
 * (drizzle-kit crashes), and NUL or control characters cannot be written into a migration file safely (PostgreSQL
 * rejects NUL in any identifier).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME_CHARACTER = /["\u0000-\u001f\u007f;]/;

/**
 * Validate an index name given to `hnswIndex(name)` / `ivfflatIndex(name)`: non-empty, at most 63 bytes, and
 * nothing drizzle-kit cannot quote (`"`, `;`, NUL, control characters). Returns the name.
 *
 * @internal used by the index builders; throws PgVectorError `INVALID_INDEX_DEFINITION`.
 */
export function checkIndexName(builder: 'hnswIndex' | 'ivfflatIndex', name: unknown): string {
  const example = builder === 'hnswIndex' ? 'items_embedding_hnsw' : 'items_embedding_ivfflat';
  if (typeof name !== 'string' || name.length === 0) {
    throw pgVectorError(
      'INVALID_INDEX_DEFINITION',
      `${builder}(${String(name)}): an index name is required (drizzle-kit cannot name expression indexes). Pass a non-empty string such as '${example}'.`,
      { name },
    );
  }
  const match = UNSAFE_NAME_CHARACTER.exec(name);
  if (match !== null) {
    const character = match[0];
    const position = match.index;
    const what =
      character === '"'
        ? 'a double quote ("), which drizzle-kit writes into CREATE INDEX "…" unescaped, so the rest of the name would become SQL'
        : character === ';'
          ? 'a semicolon (;), which drizzle-kit uses to separate the fields of an index in its snapshot (drizzle-kit generate would fail)'
          : `the control character U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which cannot be written safely into a migration${character === '\u0000' ? ' (PostgreSQL rejects NUL in identifiers)' : ''}`;
    throw pgVectorError(
      'INVALID_INDEX_DEFINITION',
      `${builder}(${JSON.stringify(name)}): the index name contains ${what} (position ${position}). Use a name without ", ; or control characters, e.g. letters, digits and _ such as '${example}'.`,
      { name, character, position },
    );
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw pgVectorError(
      'INVALID_INDEX_DEFINITION',
      `${builder}('${name}'): the name is ${bytes} bytes; PostgreSQL truncates identifiers to ${MAX_IDENTIFIER_BYTES}, which would make every migration see a different index. Use a name of at most ${MAX_IDENTIFIER_BYTES} bytes.`,
      { name, bytes, max: MAX_IDENTIFIER_BYTES },
    );
  }
  return name;
}

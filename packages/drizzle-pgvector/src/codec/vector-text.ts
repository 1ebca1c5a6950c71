import { pgVectorError } from '../errors/index.js';

/**
 * Readers for pgvector's text forms given as input (a query `'[1,0,0]'`, a sparse value `'{1:1,3:2}/3'` as
 * drizzle-orm's `sparsevec` and pgvector-node's `SparseVector#toString()` write it). They accept what pgvector's
 * own input functions accept (whitespace around every token, `strtof` numbers such as `1.`, `.5`, `+2e3`; unsorted
 * sparse elements) and return plain numbers: ranges, finiteness and dimensions are then checked by the same code
 * that checks arrays, so a text value and the array it spells fail with the same code.
 */

/** A number as `strtof` reads it (decimal); `inf`/`nan` spellings are read too and then rejected as non-finite. */
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:inf|infinity|nan)$/i;
/** An integer as `strtol` reads it. */
const INTEGER = /^[+-]?\d+$/;

function readFloat(token: string): number | undefined {
  if (FLOAT.test(token)) return Number(token);
  if (NON_FINITE.test(token)) return token.toLowerCase().includes('nan') ? Number.NaN : token.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

/**
 * Read pgvector's dense text form (`vector` / `halfvec`): `[1,2.5,-3e-2]`. Returns the elements as numbers (`[]`
 * for `'[]'`); the caller checks them like an array.
 *
 * @throws PgVectorError `INVALID_VECTOR_VALUE` when the text is not `[number,…]`, naming the bad element.
 */
export function readDenseText(text: string, label: string, type: string): number[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) {
    throw pgVectorError(
      'INVALID_VECTOR_VALUE',
      `${label}: cannot read ${JSON.stringify(text)} as ${type} text; it must be [x1,x2,...]. Pass an array of numbers or pgvector's text form, e.g. '[1,0.5,-2]'.`,
      { type, received: text },
    );
  }
  const body = trimmed.slice(1, -1).trim();
  if (body === '') return [];
  return body.split(',').map((part, i) => {
    const value = readFloat(part.trim());
    if (value === undefined) {
      throw pgVectorError(
        'INVALID_VECTOR_VALUE',
        `${label}: element ${i} of ${JSON.stringify(text)} is ${JSON.stringify(part.trim())}, not a number. Write the elements as decimal numbers, e.g. '[1,0.5,-2]'.`,
        { type, index: i, received: text },
      );
    }
    return value;
  });
}

/** A sparse vector's text form read into 0-based parts, in the text's order (not yet range-checked). */
export interface SparseTextParts {
  dimensions: number;
  indices: number[];
  values: number[];
}

function sparseSyntax(label: string, text: string, problem: string): never {
  throw pgVectorError(
    'INVALID_SPARSE_VECTOR',
    `${label}: cannot read ${JSON.stringify(text)} as sparsevec text: ${problem}. Write {index:value,...}/dimensions with 1-based indices, e.g. '{1:1.5,3:2}/5'.`,
    { received: text },
  );
}

/**
 * Read pgvector's sparse text form `{1:1.5,3:2}/5` (1-based indices, any order, `{}/5` for all zeros) into 0-based
 * parts. Indices are checked here, in the text's 1-based terms (1 ..= dimensions, each once); the dimension count
 * and the values are left to the array checks.
 *
 * @throws PgVectorError `INVALID_SPARSE_VECTOR` for malformed text, an index outside 1 ..= dimensions or given twice.
 */
export function readSparseText(text: string, label: string): SparseTextParts {
  const trimmed = text.trim();
  const slash = trimmed.lastIndexOf('/');
  if (!trimmed.startsWith('{') || slash < 0 || !trimmed.slice(0, slash).trim().endsWith('}')) {
    sparseSyntax(label, text, 'it must be {…}/dimensions');
  }
  const dimsText = trimmed.slice(slash + 1).trim();
  if (!INTEGER.test(dimsText)) sparseSyntax(label, text, `the dimension count ${JSON.stringify(dimsText)} is not an integer`);
  const dimensions = Number(dimsText);
  const body = trimmed.slice(0, slash).trim().slice(1, -1).trim();
  const indices: number[] = [];
  const values: number[] = [];
  if (body === '') return { dimensions, indices, values };
  const seen = new Set<number>();
  for (const [i, part] of body.split(',').entries()) {
    const colon = part.indexOf(':');
    const indexText = part.slice(0, colon).trim();
    const value = colon < 0 ? undefined : readFloat(part.slice(colon + 1).trim());
    if (colon < 0 || !INTEGER.test(indexText) || value === undefined) {
      sparseSyntax(label, text, `element ${i + 1} ${JSON.stringify(part.trim())} is not index:value`);
    }
    const index = Number(indexText);
    if (index < 1 || (dimensions >= 1 && index > dimensions)) {
      throw pgVectorError(
        'INVALID_SPARSE_VECTOR',
        `${label}: index ${index} in ${JSON.stringify(text)} is out of range 1..${dimensions}. Indices in the text form are 1-based and at most the dimension count.`,
        { index, min: 1, max: dimensions, received: text },
      );
    }
    if (seen.has(index)) {
      throw pgVectorError('INVALID_SPARSE_VECTOR', `${label}: index ${index} appears more than once in ${JSON.stringify(text)}. Give each index once.`, {
        index,
        received: text,
      });
    }
    seen.add(index);
    indices.push(index - 1);
    values.push(value);
  }
  return { dimensions, indices, values };
}

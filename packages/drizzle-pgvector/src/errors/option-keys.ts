import { pgVectorError, type PgVectorErrorCode } from './pgvector-error.js';

/** A key as typed, for comparison: case, `_` and `-` ignored (`ef_search`, `EfSearch` and `efSearch` are one). */
function normalised(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Optimal string alignment distance (Levenshtein plus swapping two neighbours). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * @internal The candidate `key` is most likely a typo of: the same name in another case or with `_`/`-`, one
 * within a small edit distance (one edit per four letters, at least one), or one that is a prefix of the other
 * (`maintenanceWorkMemory` → `maintenanceWorkMem`, `probe` → `probes`; at least three letters). The nearest wins;
 * undefined when none is near.
 */
export function closestName(key: string, candidates: readonly string[]): string | undefined {
  const k = normalised(key);
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const c = normalised(name);
    const distance = editDistance(k, c);
    const prefix = Math.min(k.length, c.length) >= 3 && (k.startsWith(c) || c.startsWith(k));
    if ((distance <= Math.max(1, Math.floor(Math.max(k.length, c.length) / 4)) || prefix) && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** @internal ` Did you mean 'x'?` for the closest candidate, or `''`. */
export function didYouMean(key: string, candidates: readonly string[]): string {
  const near = closestName(key, candidates);
  return near === undefined ? '' : ` Did you mean '${near}'?`;
}

/**
 * @internal Reject every key of `options` that is not in `allowed` (keys whose value is `undefined` are ignored),
 * before any SQL: `<fn>: unknown option 'concurrenty'. Did you mean 'concurrently'? Options: …`. Throws `code`
 * with `details: { option, allowed, suggestion }`. `aliases` names the option meant by a word no edit distance
 * finds (`{ limit: 'k' }`: other libraries' name for it).
 */
export function checkOptionKeys(fn: string, options: object, allowed: readonly string[], code: PgVectorErrorCode, aliases?: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key) || (options as Record<string, unknown>)[key] === undefined) continue;
    const suggestion = (aliases !== undefined && Object.hasOwn(aliases, key) ? aliases[key] : undefined) ?? closestName(key, allowed);
    throw pgVectorError(code, `${fn}: unknown option '${key}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Options: ${allowed.join(', ')}.`, {
      option: key,
      allowed: [...allowed],
      suggestion,
    });
  }
}

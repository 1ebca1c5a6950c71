/** Positional-parameter SQL (what `nearestSql()` returns) as Drizzle `sql` with the same text. */
import { sql, type SQL } from 'drizzle-orm';

/**
 * SQL text with positional parameters as a Drizzle sql`…` factory, keeping the text identical: the first use of
 * each `$n` becomes a bound parameter (Drizzle numbers them in order of appearance), later uses of the same `$n`
 * refer back to that number, as in the original. The static text is split once; each call fills in the values.
 */
export function drizzleTemplate(text: string): (params: readonly unknown[]) => SQL {
  const raws: SQL[] = [];
  /** Per slot: the original parameter index to bind, or a back-reference already rendered into the raw text. */
  const binds: number[] = [];
  const renumbered = new Map<number, number>();
  let pending = '';
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    pending += text.slice(last, m.index);
    last = m.index + m[0].length;
    const original = Number(m[1]) - 1;
    const seen = renumbered.get(original);
    if (seen !== undefined) {
      pending += `$${seen}`;
      continue;
    }
    renumbered.set(original, renumbered.size + 1);
    raws.push(sql.raw(pending));
    binds.push(original);
    pending = '';
  }
  const tail = sql.raw(pending + text.slice(last));
  return (params) => {
    const chunks: SQL[] = [];
    for (let i = 0; i < raws.length; i++) chunks.push(raws[i]!, sql`${params[binds[i]!]}`);
    chunks.push(tail);
    return sql.join(chunks);
  };
}

import Table from 'cli-table3';

/** A terminal table (cli-table3) with a header row; cells are printed as given. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], align?: readonly ('left' | 'right')[]): string {
  const t = new Table({
    head: [...head],
    style: { head: [], border: [], compact: true },
    ...(align ? { colAligns: [...align] } : {}),
  });
  for (const row of rows) t.push(row.map((c) => String(c)));
  return t.toString();
}

/** `1234567` → `1.2 MB` style (binary units, as PostgreSQL prints sizes). */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Milliseconds as `850 ms`, `12.3 s`, `4 min 05 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A heading line. */
export function heading(text: string): string {
  return `\n${text}\n${'─'.repeat(Math.min(text.length, 80))}`;
}

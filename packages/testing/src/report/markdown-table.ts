/**
 * A Markdown table with padded, aligned columns, for benchmark and example reports printed to a terminal
 * (readable as is, and rendered as a table when pasted into Markdown).
 *
 * @param header - the column titles.
 * @param rows - the cells, one array per row; a missing cell prints empty.
 * @param align - `'l'` (default) or `'r'` per column; right-aligned columns get a `---:` rule.
 *
 * @example
 * ```ts
 * import { markdownTable } from '@drizzle-pgvector/testing/report';
 *
 * console.log(markdownTable(['index', 'build'], [['hnsw', '1.2 s'], ['ivfflat', '0.4 s']], ['l', 'r']));
 * // | index   | build |
 * // |---------|------:|
 * // | hnsw    | 1.2 s |
 * // | ivfflat | 0.4 s |
 * ```
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('l' | 'r')[] = [],
): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const pad = (cell: string, i: number): string =>
    align[i] === 'r' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0);
  const line = (cells: readonly string[]): string => `| ${widths.map((_, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (align[i] === 'r' ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

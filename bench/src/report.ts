/**
 * What a benchmark hands back to `run-all.ts`, and how it is written to `bench-results/`:
 * `<name>.json` (the measured numbers), `<name>.md` (its markdown section), any SVG charts, and `summary.md`
 * (every section, in order).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** `bench-results/` at the repository root: where every benchmark writes, and where the committed run lives. */
export const RESULTS_DIR = resolve(import.meta.dirname, '../../bench-results');

/** The output directory: `--out DIR` (relative to the working directory) if given, else {@link RESULTS_DIR}. */
export function resultsDir(args: readonly string[]): string {
  const at = args.findIndex((a) => a === '--out' || a.startsWith('--out='));
  if (at < 0) return RESULTS_DIR;
  const value = args[at]!.startsWith('--out=') ? args[at]!.slice('--out='.length) : args[at + 1];
  if (!value) throw new Error('--out needs a directory');
  return resolve(process.env.INIT_CWD ?? process.cwd(), value);
}

/** One SVG chart, written as `bench-results/<file>`. */
export interface Chart {
  /** File name inside `bench-results/`, e.g. `index-latency.svg`. */
  readonly file: string;
  /** What it shows (used as the link text in the summary). */
  readonly title: string;
  readonly svg: string;
}

/** The result of one benchmark run. */
export interface BenchmarkReport {
  /** File stem: `bench-results/<name>.json`, `<name>.md`. Kebab case. */
  readonly name: string;
  /** Markdown section (starts with a `##` heading). */
  readonly markdown: string;
  /** The measured numbers, JSON-serialisable. */
  readonly data: unknown;
  readonly charts?: readonly Chart[];
}

/** A benchmark as `run-all.ts` runs it. */
export interface Benchmark {
  readonly name: string;
  /** One line for `--list` and progress output. */
  readonly description: string;
  readonly run: () => Promise<BenchmarkReport>;
}

/** Write one report's files into `dir`. Returns the paths written. */
export async function writeReport(dir: string, report: BenchmarkReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (file: string, text: string): Promise<void> => {
    const path = join(dir, file);
    await writeFile(path, text.endsWith('\n') ? text : `${text}\n`);
    written.push(path);
  };
  await put(`${report.name}.json`, JSON.stringify(report.data, null, 2));
  await put(`${report.name}.md`, report.markdown);
  for (const chart of report.charts ?? []) await put(chart.file, chart.svg);
  return written;
}

/** The markdown section plus links to its charts (relative to the summary file). */
export function sectionWithCharts(report: BenchmarkReport): string {
  const charts = report.charts ?? [];
  if (charts.length === 0) return report.markdown;
  return [report.markdown.trimEnd(), '', ...charts.map((c) => `![${c.title}](${c.file})`), ''].join('\n');
}

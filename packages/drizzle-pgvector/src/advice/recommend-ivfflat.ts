import { INDEX_OPTIONS, IVFFLAT_BUILD_MEMORY, IVFFLAT_RULES, SETTINGS } from '../catalog/index.js';
import { checkCount, checkOptions } from './advice-input.js';

const LISTS = INDEX_OPTIONS.find((o) => o.key === 'lists') ?? { min: 1, max: 32768 };
const PROBES = SETTINGS.find((s) => s.key === 'probes');
const PROBES_MIN = PROBES?.min ?? 1;

/** Options of {@link recommendIvfflat}. */
export interface RecommendIvfflatOptions {
  /** Rows the index will hold (now, or when you build it). */
  rows: number;
}

/** Result of {@link recommendIvfflat}. */
export interface IvfflatRecommendation {
  /** `WITH (lists = …)`. */
  readonly lists: number;
  /** `SET LOCAL ivfflat.probes = …` (the `probes` query setting). */
  readonly probes: number;
  /** True when the table is too small to train IVFFlat well. */
  readonly tooSmall: boolean;
  readonly why: string;
}

/**
 * pgvector's rule for IVFFlat: `lists = rows / 1000` up to 1M rows, `sqrt(rows)` above (within 1 .. 32768), and
 * `probes = sqrt(lists)` to start with. Warns when the table is too small to train the clusters.
 *
 * @example
 * ```ts
 * const { lists, probes } = recommendIvfflat({ rows: 2_000_000 }); // { lists: 1414, probes: 38, … }
 * const idx = ivfflatIndex('items_embedding_ivfflat').on(t.embedding, 'cosine').with({ lists });
 * await nearest(db, items.embedding, q, { k: 10, metric: 'cosine', settings: { probes } });
 * ```
 * SQL its numbers go into: `CREATE INDEX … USING ivfflat (embedding vector_cosine_ops) WITH (lists = 1414)` and
 * `SET LOCAL ivfflat.probes = 38`.
 *
 * @throws {@link PgVectorError} `INVALID_ADVICE_INPUT` when `rows` is not a non-negative integer.
 */
export function recommendIvfflat(options: RecommendIvfflatOptions): IvfflatRecommendation {
  const fn = 'recommendIvfflat';
  checkOptions(fn, options);
  const rows = checkCount(fn, 'rows', options.rows, "the table's row count");
  const { rowsPerList, sqrtAboveRows, minTrainingRows } = IVFFLAT_RULES;
  const raw = rows <= sqrtAboveRows ? rows / rowsPerList : Math.sqrt(rows);
  const lists = Math.min(Math.max(Math.round(raw), LISTS.min), LISTS.max);
  const probes = Math.max(Math.round(Math.sqrt(lists)), PROBES_MIN);
  const rule =
    rows <= sqrtAboveRows
      ? `lists = rows / ${rowsPerList} = ${rows} / ${rowsPerList} ≈ ${lists}`
      : `above ${sqrtAboveRows} rows lists = sqrt(rows) = sqrt(${rows}) ≈ ${lists}`;
  const capped = Math.round(raw) !== lists ? ` (kept within pgvector's ${LISTS.min} .. ${LISTS.max})` : '';
  const tooSmall = rows < minTrainingRows;
  const warning = tooSmall ? ` Warning: ${ivfflatTrainingNote(rows, lists)}` : '';
  const why =
    `${rule}${capped}; start with probes = sqrt(lists) ≈ ${probes} (more probes: better recall, slower queries; probes = lists is an exact search).` +
    ' Rebuild (REINDEX … CONCURRENTLY) after large changes to the data.' +
    warning;
  return Object.freeze({ lists, probes, tooSmall, why });
}

/**
 * @internal The one wording of IVFFlat's training rule, for a table below `IVFFLAT_RULES.minTrainingRows` (used by
 * recommendIvfflat, chooseIndex and vectorIndexes' `too-few-rows`): pgvector trains the k-means centres on a sample
 * of max(50 × lists, 10,000) rows (`IVFFLAT_BUILD_MEMORY`, src/ivfbuild.c); a smaller table gives it every row it
 * has, fewer than that, and rows added later are assigned to those centres.
 */
export function ivfflatTrainingNote(rows: number, lists: number): string {
  const { samplesPerList, minSamples } = IVFFLAT_BUILD_MEMORY;
  const target = Math.max(samplesPerList * lists, minSamples);
  return (
    `${rows} rows is too few to train IVFFlat well: pgvector trains its k-means centres on a sample of max(${samplesPerList} × lists, ${minSamples}) rows ` +
    `(${target} for lists = ${lists}), and rows added later keep the centres trained on these few. Build (or rebuild) it once the table has at least ` +
    `${IVFFLAT_RULES.minTrainingRows} rows, or use HNSW, which needs no training.`
  );
}

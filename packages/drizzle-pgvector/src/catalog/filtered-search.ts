/**
 * The rule behind `nearest`'s filtered-search strategy: when an exact search over the filtered rows is both exact
 * and cheaper than an approximate index scan, and how large an index scan's budget must be for a filter that
 * keeps a fraction `f` of the table. Measured on PostgreSQL 15 + pgvector 0.8.6 (30,000 × 64-d clustered unit
 * vectors, cosine, HNSW m 16 / ef_construction 64 and IVFFlat lists 30, a btree on each filter column; recall@10
 * against the exact filtered answer; the calibration table is in docs and `bench-results/filtered-search.md`):
 *
 * - exact search over the filtered rows (the filter's own index, then a top-k sort) costs ≈ 0.35 ms + 0.33 µs a
 *   row and is exact; an HNSW index scan costs 0.7–1.4 ms whatever the filter: exact is faster up to ≈ 2,000 rows;
 * - a filter whose rows lie away from the query makes an index scan walk most of the graph (0.05–0.13 recall,
 *   30–70 ms, rows missing at the default `hnsw.max_scan_tuples`), so small filtered sets are always searched
 *   exactly;
 * - with `hnsw.iterative_scan = strict_order` and the scan budget below, a filter spread over the table reaches
 *   recall@10 0.99 at any `ef_search` from 60 to 300 (3–30 % selectivity), and the scan is fastest at 80–150: a larger
 *   `ef_search` only adds work (10 %: ef 300 is 1.3× ef 100), a smaller one makes more iterations (ef 40 is 1.3–3.5×
 *   ef 80) — `bench-results/server/filtered-search-2026-12-06/hnsw-ef-sweep.md`. Earlier runs without a scan budget
 *   needed `ef_search · f ≳ 2·k` (10 %: 0.91 at ef 40 on a smaller table). IVFFlat with `relaxed_order` needs the
 *   probed lists to hold ≈ 8·k filtered rows.
 */
export const FILTERED_SEARCH = Object.freeze({
  /** A filter estimated to match at most this many rows is searched exactly (the vector index kept out). */
  exactMaxRows: 2000,
  /** HNSW: `ef_search ≥ efPerK · k / f` (10 % → 100 at k = 10), between pgvector's default (or k) and its maximum. */
  efPerK: 1,
  /** HNSW, filtered index scans: `ef_search ≥ efMinPerK · k` (80 at k = 10; 40, pgvector's default, costs more iterations). */
  efMinPerK: 8,
  /**
   * The iterative scan's budget: HNSW `max_scan_tuples = scanTuplesPerK · k / f` (at least `minScanTuples`), IVFFlat
   * `max_probes` = the lists holding that many rows. A filter spread over the table finds its k rows well inside it
   * (≈ 10·k matches expected); one whose rows lie away from the query runs out, comes back short and is searched
   * exactly — without the budget it returns k wrong rows (recall 0.04–0.24 at 10–30 % selectivity).
   */
  scanTuplesPerK: 10,
  minScanTuples: 1000,
  /** IVFFlat: `probes ≥ probesRowsPerK · k / (f · rows per list)`, at most `lists`. */
  probesRowsPerK: 8,
  /**
   * Budgets are rounded up to one of these steps, so the SQL of a query shape (and its cached text) changes only
   * when the selectivity moves a step.
   */
  efSteps: Object.freeze([40, 60, 80, 100, 150, 200, 300, 400, 600, 800, 1000]),
  /**
   * A filter (with the same values) whose index scan came back short in the last `estimateTtlMs` is searched
   * exactly while it matches at most this many rows: its rows lie away from the queries, so the next scan would run
   * out too and pay for both (short scan + exact: 1.5–2.8× the exact search alone in the server bench). An exact
   * search of 10,000 rows costs ≈ 3.7 ms (0.35 ms + 0.33 µs a row), so a filter wrongly remembered costs at most that.
   */
  shortExactMaxRows: 10_000,
  /**
   * The same, learnt per filter *shape* (its SQL text, whatever the values): when at least `shapeShortShare` of the
   * last `shapeShortWindow` index scans with this shape (at least `shapeShortMin` of them, within `estimateTtlMs`)
   * came back short, a value seen for the first time is searched exactly too (≤ `shortExactMaxRows` rows) — a tenant,
   * a language, a date range whose rows lie away from the queries: each new value would otherwise pay a short scan
   * before its exact search (measured, the first search of each of 100 far values at 10–30 %: 1.5–3.3× the exact
   * search before, 1.04–1.24× with this rule: `bench-results/server/filtered-search-2026-12-06/README.md`). A value
   * whose own index scan came back full keeps its index scan.
   */
  shapeShortWindow: 16,
  shapeShortMin: 4,
  shapeShortShare: 0.75,
  /**
   * IVFFlat far check: an auto index scan whose nearest row lies more than `farRatio` × the distance of the k-th
   * nearest row without the filter is re-run exactly. IVFFlat reads whole lists, so a filter whose rows lie away
   * from the query can find k (wrong) rows in the query's own list and not come back short: measured (30,000 ×
   * 64-d, lists 30, 200 queries) that ratio is 1.03–1.38 for filters spread over the table (10–30 %) and ≈ 10 for a
   * filter of the clusters farthest from the query (30 %: recall 0.4 on such a query without the check). Reading
   * that distance costs a second list scan (2.2–2.6× the search), so it is read on a sample of the searches: the
   * first `farSampleFirst` of a target and k, then one in `farSampleEvery`; the others compare with the largest of
   * the last `farSampleWindow` read (0.077–0.109 over 200 queries of that set: one scale fits).
   */
  farRatio: 2,
  /** The far check reads the unfiltered k-th distance on the first searches of a target and k… */
  farSampleFirst: 4,
  /** …then on one search in this many. */
  farSampleEvery: 16,
  /** The unsampled searches compare with the largest of the last this many distances read. */
  farSampleWindow: 16,
  /** How long a filter's row estimate is reused for the same filter and parameters, in ms. */
  estimateTtlMs: 60_000,
  /** Most row estimates cached per database (oldest dropped first). */
  maxCachedEstimates: 2000,
});

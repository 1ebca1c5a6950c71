import { HNSW_GRAPH_LAYOUT, INDEX_PAGE_LAYOUT, MAX_ALIGN } from '../catalog/index.js';

/** On-disk size of a freshly built index, from pgvector's page layout (`INDEX_PAGE_LAYOUT`). */

const P = INDEX_PAGE_LAYOUT;
const maxAlign = (bytes: number): number => Math.ceil(bytes / MAX_ALIGN) * MAX_ALIGN;
/** Bytes of tuples (with their line pointers) one page holds. */
const PAGE_SPACE = P.blockBytes - P.pageHeaderBytes - P.specialBytes;
/** Elements laid out exactly; larger builds repeat the same pattern (the page count scales linearly). */
const SIMULATED_ELEMENTS = 100_000;
/** A fixed-seed xorshift32: levels drawn like pgvector's RandomDouble(), the same every time (an even sequence would
 * put an upper-level element on every page and underfill them). */
function uniform(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) + 0.5) / 2 ** 32;
  };
}

/**
 * Pages of an HNSW index built in memory: the meta page, then pgvector's CreateGraphPages layout — each element
 * tuple followed by its neighbor tuple (same page when both fit, else the next). Levels follow pgvector's
 * ⌊−ln U / ln m⌋ (capped), from a fixed-seed generator so the estimate is deterministic.
 */
export function hnswIndexPages(rows: number, m: number, valueSize: number): number {
  const elementBytes = maxAlign(P.hnswElementHeaderBytes + valueSize);
  const maxLevel = Math.min(Math.floor(HNSW_GRAPH_LAYOUT.neighborTidsPerPage / m) - 2, HNSW_GRAPH_LAYOUT.maxLevelCap);
  const simulated = Math.min(rows, SIMULATED_ELEMENTS);
  if (simulated === 0) return P.metaPages + 1;
  let pages = 1;
  let free = PAGE_SPACE; // bytes left for tuples and their line pointers
  const room = (): number => Math.max(free - P.linePointerBytes, 0); // PageGetFreeSpace
  const add = (bytes: number): void => void (free -= bytes + P.linePointerBytes);
  const newPage = (): void => {
    pages += 1;
    free = PAGE_SPACE;
  };
  const random = uniform(0x9e3779b9);
  for (let i = 0; i < simulated; i++) {
    const level = Math.min(Math.floor(-Math.log(random()) / Math.log(m)), maxLevel);
    const neighborBytes = maxAlign(P.hnswNeighborHeaderBytes + P.itemPointerBytes * (level + 2) * m);
    const combined = elementBytes + neighborBytes + P.linePointerBytes;
    if (room() < elementBytes || (combined <= P.hnswMaxTupleBytes && room() < combined)) newPage();
    add(elementBytes);
    if (room() < neighborBytes) newPage();
    add(neighborBytes);
  }
  return P.metaPages + Math.ceil((pages * rows) / simulated);
}

/**
 * Pages of an IVFFlat index: the meta page, the list tuples (`MAXALIGN(8 + center)` each), then every list's entries
 * on pages of its own (an empty list still gets one page). k-means lists differ in size, so each list's last page is
 * on average filled by half a page's worth of entries: (p − 1) / 2p of a page is left over per list, for p entries a page.
 */
export function ivfflatIndexPages(rows: number, lists: number, valueSize: number): number {
  const perPage = (tupleBytes: number): number => Math.max(Math.floor(PAGE_SPACE / (maxAlign(tupleBytes) + P.linePointerBytes)), 1);
  const listPages = Math.ceil(lists / perPage(P.ivfflatListHeaderBytes + valueSize));
  const p = perPage(P.indexTupleHeaderBytes + valueSize);
  const entryPages = Math.max(Math.ceil(rows / p + (lists * (p - 1)) / (2 * p)), lists);
  return P.metaPages + listPages + entryPages;
}

/** Bytes of `pages` index pages (what `pg_relation_size(index)` reports). */
export function pagesToBytes(pages: number): number {
  return pages * P.blockBytes;
}

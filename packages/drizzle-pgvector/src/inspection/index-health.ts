import { IVFFLAT_LISTS_DRIFT_FACTOR, operatorClassByName } from '../catalog/index.js';
import { ivfflatTrainingNote } from '../advice/recommend-ivfflat.js';
import { recommendIvfflat } from '../advice/index.js';
import { qualified } from '../driver/index.js';
import type { LiveIndex } from '../pg-catalog/index.js';
import type { CitusDistribution, IndexProblem, IvfflatAdvice, VectorIndexStatus } from './types.js';

/**
 * @internal The health of one index: INVALID (drop and rebuild), and for IVFFlat `lists` against
 * `recommendIvfflat({ rows })` — outside [advice / 2, advice · 2] (`IVFFLAT_LISTS_DRIFT_FACTOR`) it needs a
 * rebuild with the advised lists — and a table too small to train k-means (`IVFFLAT_RULES.minTrainingRows`).
 *
 * The catalog does not record how many rows trained an IVFFlat index's centres (pgvector's meta page holds only
 * dimensions and lists), so "built on too few rows, the table has grown since" shows only through `lists` falling
 * below the advice for today's rows; an index whose lists still fit but whose centres were trained on an almost
 * empty table needs a `REINDEX` that no catalog query can see the need for.
 */
export function indexStatus(index: LiveIndex, rows: number, rowsSource: 'estimate' | 'count', distribution?: CitusDistribution): VectorIndexStatus {
  const problems: IndexProblem[] = [];
  const name = qualified(index.schema, index.name);
  if (!index.valid) {
    problems.push({
      kind: 'invalid',
      severity: 'action',
      message: `${name} is INVALID (a CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY failed or was cancelled): queries do not use it, but every write still updates it. Drop it and build it again.`,
      sql: [`DROP INDEX CONCURRENTLY IF EXISTS ${name};`, `${index.definition.replace(/^CREATE INDEX /, 'CREATE INDEX CONCURRENTLY ')};`],
    });
  }
  let ivfflat: IvfflatAdvice | undefined;
  if (index.method === 'ivfflat') {
    const lists = index.options.lists ?? 0;
    // On Citus every shard has its own index over its own rows: the advice is for one shard.
    const indexRows = distribution?.rowsPerShard ?? rows;
    const counted = distribution ? `${indexRows} rows per shard (${rows} in ${distribution.shards} shards)` : `${rows} rows`;
    const advice = recommendIvfflat({ rows: indexRows });
    ivfflat = { lists, advisedLists: advice.lists, advisedProbes: advice.probes, tooSmall: advice.tooSmall };
    const fix = [`ALTER INDEX ${name} SET (lists = ${advice.lists});`, `REINDEX INDEX CONCURRENTLY ${name};`];
    const tail = `Rebuild it with lists = ${advice.lists} (and change .with({ lists: ${advice.lists} }) where the schema declares it); query with probes ≈ ${advice.probes}.`;
    if (lists * IVFFLAT_LISTS_DRIFT_FACTOR < advice.lists) {
      problems.push({
        kind: 'lists-too-few',
        severity: 'action',
        message: `${name} has lists = ${lists}, but ${counted} call for about ${advice.lists} (rows / 1000 up to 1M rows, sqrt(rows) above): each list holds ${Math.round(indexRows / Math.max(lists, 1))} rows, so every probe scans far more rows than it should — the table has grown since the index was built. ${tail}`,
        sql: fix,
      });
    } else if (lists > advice.lists * IVFFLAT_LISTS_DRIFT_FACTOR) {
      problems.push({
        kind: 'lists-too-many',
        severity: 'action',
        message: `${name} has lists = ${lists}, but ${counted} call for about ${advice.lists}: with so many lists each holds about ${Math.round(indexRows / Math.max(lists, 1))} rows, and recall at a given probes drops. ${tail}`,
        sql: fix,
      });
    }
    if (advice.tooSmall || indexRows < lists) {
      problems.push({
        kind: 'too-few-rows',
        severity: 'warning',
        message: `${name} is an IVFFlat index on ${counted}${indexRows < lists ? `, fewer than its ${lists} lists (some lists are empty)` : ''}. ${ivfflatTrainingNote(indexRows, Math.max(lists, 1))} Nothing to run now: the SQL below is the rebuild for then.`,
        sql: [`REINDEX INDEX CONCURRENTLY ${name};`],
      });
    }
  }
  const rebuild = problems.filter((p) => p.severity === 'action');
  const opclass = operatorClassByName(index.opclass);
  return Object.freeze({
    schema: index.schema,
    name: index.name,
    table: index.table,
    method: index.method,
    opclass: index.opclass,
    type: opclass?.type,
    metric: opclass?.metric,
    dimensions: index.typmod > 0 ? index.typmod : undefined,
    column: index.isColumn ? index.key : undefined,
    expression: index.isColumn ? undefined : index.key,
    options: Object.freeze({ ...index.options }),
    storedOptions: Object.freeze({ ...index.storedOptions }),
    predicate: index.predicate,
    definition: index.definition,
    valid: index.valid,
    sizeBytes: index.sizeBytes,
    rows,
    rowsSource,
    distribution: distribution === undefined ? undefined : Object.freeze({ ...distribution }),
    ivfflat: ivfflat === undefined ? undefined : Object.freeze(ivfflat),
    health: !index.valid ? 'invalid' : rebuild.length > 0 ? 'needs-rebuild' : problems.length > 0 ? 'warning' : 'ok',
    needsRebuild: rebuild.length > 0,
    reason: rebuild.length > 0 ? rebuild.map((p) => p.message).join(' ') : undefined,
    problems: Object.freeze(problems.map((p) => Object.freeze({ ...p, sql: Object.freeze([...p.sql]) }))),
  });
}

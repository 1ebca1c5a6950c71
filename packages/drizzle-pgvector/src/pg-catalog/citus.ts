import { sql } from 'drizzle-orm';
import { booleanOf, qualified, queryRows, type SqlExecutor } from '../driver/index.js';

/** @internal Citus shards of the given tables (none without the citus extension), and their indexes' sizes across shards. */
export async function readDistribution(
  db: SqlExecutor,
  tableOids: readonly number[],
): Promise<Map<number, { method: string; shards: number }>> {
  const out = new Map<number, { method: string; shards: number }>();
  if (tableOids.length === 0) return out;
  const [citus] = await queryRows<{ on: unknown }>(db, sql`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') AS on`);
  if (!booleanOf(citus?.on)) return out;
  const list = tableOids.map((o) => String(Math.trunc(Number(o)))).join(', ');
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql.raw(
      `SELECT p.logicalrelid::oid::bigint AS oid, p.partmethod::text AS method, count(s.shardid)::int AS shards
         FROM pg_dist_partition p LEFT JOIN pg_dist_shard s ON s.logicalrelid = p.logicalrelid
        WHERE p.logicalrelid::oid IN (${list}) GROUP BY 1, 2`,
    ),
  );
  for (const r of rows) out.set(Number(r['oid']), { method: String(r['method']), shards: Number(r['shards']) });
  return out;
}

/** @internal `citus_relation_size` of an index on a distributed table: the shards' indexes together. */
export async function citusIndexSize(db: SqlExecutor, schema: string, name: string): Promise<number> {
  const [row] = await queryRows<{ size: unknown }>(db, sql`SELECT citus_relation_size(pg_catalog.to_regclass(${qualified(schema, name)}))::bigint AS size`);
  return Number(row?.size ?? 0);
}

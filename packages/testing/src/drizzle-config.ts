import * as orm from 'drizzle-orm';

/**
 * The `drizzle({ … })` config for a schema on the installed drizzle-orm line — the one place in this package that
 * knows there are two. drizzle-orm 0.45 takes the tables (and `relations()`) as `schema` for `db.query.*`; 1.0
 * ignores `schema` and takes `relations`, built from the tables with its `defineRelations` (found by feature: it
 * exists on 1.0 only). 0.45-style `relations()` objects mean nothing to 1.0 and are left out there.
 */
export function drizzleConfig<C>(client: C, schema: Record<string, unknown> | undefined): { client: C; schema?: Record<string, unknown>; relations?: unknown } {
  if (schema === undefined) return { client };
  const defineRelations = (orm as unknown as Record<string, unknown>)['defineRelations'];
  if (typeof defineRelations !== 'function') return { client, schema };
  const tables = Object.fromEntries(Object.entries(schema).filter(([, value]) => orm.is(value, orm.Table)));
  return { client, relations: (defineRelations as (schema: Record<string, unknown>) => unknown)(tables) };
}

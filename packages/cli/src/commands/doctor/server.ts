import { SETTINGS } from 'drizzle-pgvector/catalog';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { finding, type Finding } from './findings.js';
import { rows, sql } from './rows.js';

/** The server and the pgvector extension. */
export interface ServerReport {
  readonly version: string;
  readonly versionNum: number;
  readonly extension: { readonly installed: string | undefined; readonly available: string | undefined; readonly schema: string | undefined };
}

/** One setting in effect in a fresh session. */
export interface SettingReport {
  readonly name: string;
  /** As `SHOW` prints it (`64MB`, `40`). */
  readonly value: string | undefined;
  /** `pg_settings.source`: `default`, `configuration file`, `database`, `user` … */
  readonly source: string | undefined;
  /** pgvector's (or PostgreSQL's) default. */
  readonly default: string;
}

/** The settings doctor reports: every pgvector setting of the catalog, and the build settings. */
export const BUILD_SETTINGS: readonly { name: string; default: string }[] = [
  { name: 'maintenance_work_mem', default: '64MB' },
  { name: 'max_parallel_maintenance_workers', default: '2' },
  { name: 'max_parallel_workers', default: '8' },
  { name: 'work_mem', default: '4MB' },
];

export async function inspectServer(db: PgDatabase<PgQueryResultHKT>): Promise<{ server: ServerReport; settings: SettingReport[]; findings: Finding[] }> {
  const [facts] = await rows<{ version: string; num: string | number; installed: string | null; available: string | null; schema: string | null }>(
    db,
    sql`select current_setting('server_version') as version, current_setting('server_version_num') as num,
      (select e.extversion from pg_catalog.pg_extension e where e.extname = 'vector') as installed,
      (select a.default_version from pg_catalog.pg_available_extensions a where a.name = 'vector') as available,
      (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'vector') as schema`,
  );
  const server: ServerReport = {
    version: facts?.version ?? '?',
    versionNum: Number(facts?.num ?? 0),
    extension: { installed: facts?.installed ?? undefined, available: facts?.available ?? undefined, schema: facts?.schema ?? undefined },
  };
  const findings: Finding[] = [];
  const ext = server.extension;
  if (ext.installed === undefined) {
    findings.push(
      finding(
        'action',
        'extension-missing',
        'vector',
        ext.available ? `pgvector ${ext.available} is available but not installed in this database.` : 'pgvector is not available on this server: install it (https://github.com/pgvector/pgvector#installation).',
        ext.available ? ['CREATE EXTENSION IF NOT EXISTS vector;'] : [],
      ),
    );
  } else {
    // pgvector's settings exist once its library is loaded in the session: call one of its functions first.
    const schema = `"${ext.schema!.replace(/"/g, '""')}"`;
    await db.execute(sql.raw(`select ${schema}.vector_dims('[1]'::${schema}.vector)`));
    if (ext.available && ext.available !== ext.installed) {
      findings.push(finding('info', 'extension-update', 'vector', `pgvector ${ext.installed} is installed; ${ext.available} is available on the server.`, ['ALTER EXTENSION vector UPDATE;']));
    }
  }
  const wanted = [...SETTINGS.map((s) => ({ name: s.guc, default: String(s.default) })), ...BUILD_SETTINGS];
  const live = await rows<{ name: string; value: string; source: string }>(
    db,
    sql`select s.name, current_setting(s.name) as value, s.source from pg_catalog.pg_settings s where s.name in (${sql.join(wanted.map((w) => sql`${w.name}`), sql`, `)})`,
  );
  const settings = wanted.map((w) => {
    const row = live.find((r) => r.name === w.name);
    return { name: w.name, value: row?.value, source: row?.source, default: w.default };
  });
  return { server, settings, findings };
}

import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import postgres from 'postgres';
const db = await PGlite.create({ extensions: { vector } });
await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
await db.exec('create table t (id int primary key, v vector(3))');
await db.query("insert into t values (1,'[1,2,3]'),(2,'[1,2,4]')");
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
await server.start();
const url = `postgres://postgres@${server.getServerConn()}/postgres`;
console.log(url);
const pool = new pg.Pool({ connectionString: url, max: 4 });
const rs = await Promise.all([1,2,3,4,5,6].map(i => pool.query('select id, v::text, $1::int as i from t order by id', [i])));
console.log('pg', rs.map(r => r.rows.length));
const sql = postgres(url, { max: 4 });
try {
const r2 = await Promise.all([1,2,3,4].map(i => sql`select id, v::text, ${i}::int as i from t order by id`));
console.log('pjs', r2.map(r=>r.length), r2[0]);
} catch (e) { console.log('pjs err', e); }
try {
await sql.begin(async tx => { await tx`insert into t values (3, '[0,0,0]')`; });
console.log('tx ok', (await sql`select count(*)::int c from t`)[0]);
} catch (e) { console.log('tx err', e); }
console.log('ending');
await sql.end({ timeout: 5 });
console.log('pjs ended');
await pool.end();
console.log('pool ended', server.getStats());
await server.stop(); await db.close();
console.log('done');

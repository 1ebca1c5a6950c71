// Pack check: what a user installs from the registry must work without this workspace.
//
//   node scripts/pack-check.mjs [--packer=npm|pnpm] [--drizzle=1] [--keep]
//
// 1. Packs drizzle-pgvector, @drizzle-pgvector/testing and @drizzle-pgvector/cli (`npm pack` by default — the strict case: it applies
//    no publishConfig and runs our `prepack`, which cleans and builds dist/).
// 2. Checks each tarball: README.md, LICENSE, package.json and every file its `exports` map points at; publint
//    (strict) and "are the types wrong" (attw, esm-only profile) find nothing.
// 3. Installs both tarballs with npm into a scratch app in the system temp folder (outside the workspace, so
//    nothing resolves to the sources), together with drizzle-orm (0.45.4, or 1.0.0-rc.5 with --drizzle=1), pg and
//    TypeScript.
//    The installed packages' declarations export exactly what the committed API report (api/*.api.md) lists.
// 4. Type-checks an app importing every public subpath with `skipLibCheck: false` (our declarations included),
//    compiles it, and runs it: PGlite, CREATE EXTENSION, a vector(3) table, insert, nearest; it also require()s
//    the ESM entry points (Node ≥ 20.19), and calls copyRows from drizzle-pgvector/pg without pg-copy-streams
//    installed (an optional peer: MISSING_PEER_DEPENDENCY with the install command).
// 5. Runs the installed `drizzle-pgvector` bin (built dist/, plain node, no tsx): `advise --json`, then `doctor` and
//    `build` on a PGlite data folder through a drizzle.config.ts and a TypeScript schema (loaded by jiti).
// Ends with one line "pack-check: all N checks passed in S s" (or which failed); exits 1 on any failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiReport, lineDiff, reportFile } from './lib/api-report.mjs';
import { checkList } from './lib/checks.mjs';
import { checkTarballContents, manifestOf, packTarball, root, scratch } from './lib/pack.mjs';
import { attwTarball, publintTarball } from './lib/package-lint.mjs';
import { run } from './lib/run.mjs';

const args = process.argv.slice(2);
const packer = (args.find((a) => a.startsWith('--packer=')) ?? '--packer=npm').slice('--packer='.length);
const keep = args.includes('--keep');
const drizzleLine = (args.find((a) => a.startsWith('--drizzle=')) ?? '--drizzle=0').slice('--drizzle='.length);
if (!['0', '1'].includes(drizzleLine)) throw new Error(`--drizzle=${drizzleLine}: use --drizzle=1 (drizzle-orm 1.0) or leave it out (0.45)`);
const PACKAGES = ['packages/drizzle-pgvector', 'packages/testing', 'packages/cli'];
/** Versions the scratch app installs next to the tarballs: the ones this workspace tests with. */
const APP_DEPENDENCIES = [drizzleLine === '1' ? 'drizzle-orm@1.0.0-rc.5' : 'drizzle-orm@0.45.4', 'pg@8.23.1', '@types/pg@8.23.1', '@types/node@20.19.43', 'typescript@5.9.3'];

const { check, finish } = checkList('pack-check');
const { work, packs, app } = scratch('drizzle-pgvector-pack-check-');

const tarballs = [];
for (const dir of PACKAGES) {
  const { name } = manifestOf(dir);
  let tarball;
  await check(`${name}: ${packer} pack builds a tarball`, () => {
    tarball = packTarball(dir, packs, packer);
    tarballs.push(tarball);
  });
  if (!tarball) continue;
  await check(`${name}: tarball has README, LICENSE and every exported file`, () => checkTarballContents(tarball, work));
  await check(`${name}: publint (strict) finds nothing`, () => publintTarball(tarball));
  await check(`${name}: are the types wrong (attw, ESM-only profile): every entry point resolves to its types`, () => attwTarball(tarball));
}

writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-check-app', private: true, type: 'module' }, null, 2));
writeFileSync(
  join(app, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        types: ['node'],
        outDir: 'dist',
        rootDir: 'src',
      },
      include: ['src'],
    },
    null,
    2,
  ),
);
// Every public subpath, used for real so the declarations are exercised, not only resolved.
writeFileSync(
  join(app, 'src', 'main.ts'),
  `import { sql } from 'drizzle-orm';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { ensureVectorExtension, hnswIndex, nearest, PgVectorError, vector, withVectorSettings, type PgVectorErrorCode } from 'drizzle-pgvector';
import { operatorClassFor } from 'drizzle-pgvector/catalog';
import { migrate, vectorExtensionMigration } from 'drizzle-pgvector/migrator';
import { PgVectorTestError, rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { clusteredVectors, seededRandom } from '@drizzle-pgvector/testing/data';
import { markdownTable } from '@drizzle-pgvector/testing/report';

const items = pgTable(
  'items',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    embedding: vector('embedding', { dimensions: 3 }).notNull(),
  },
  (t) => [hnswIndex('items_embedding_idx').on(t.embedding, 'l2')],
);

// The column's select and insert types, exactly (an \`any\` leaking from the declarations would fail here).
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? (0 extends 1 & A ? false : true) : false) : false;
const selectType: Exactly<(typeof items.$inferSelect)['embedding'], number[]> = true;
const insertType: Exactly<(typeof items.$inferInsert)['embedding'], number[]> = true;
void [selectType, insertType];

const code: PgVectorErrorCode | undefined = undefined;
void [migrate, vectorExtensionMigration, PgVectorError, PgVectorTestError, code];
if (operatorClassFor('vector', 'l2')?.opclass !== 'vector_l2_ops') throw new Error('drizzle-pgvector/catalog: operatorClassFor(vector, l2) is not vector_l2_ops');

const database: PgVectorTestDatabase = await startTestDatabase({ backend: 'pglite', createExtension: false });
try {
  const extension = await ensureVectorExtension(database.db);
  await database.db.execute(sql\`create table items (id serial primary key, title text not null, embedding vector(3) not null)\`);
  await database.db.insert(items).values([
    { title: 'x', embedding: [1, 0, 0] },
    { title: 'y', embedding: [0, 1, 0] },
    { title: 'z', embedding: [0, 0, 1] },
  ]);
  const rows = await nearest(database.db, items.embedding, [0.1, 0.9, 0], { k: 2, select: { title: items.title } });
  const titleType: Exactly<(typeof rows)[number]['title'], string> = true;
  void titleType;
  // A transaction of the app's db (TransactionOf<TDb>) is a database nearest() takes.
  const inTx = await withVectorSettings(database.db, { efSearch: 40 }, (tx) => nearest(tx, items.embedding, [0, 0, 1], { k: 1, select: { title: items.title } }));
  if (inTx[0]?.title !== 'z') throw new Error(\`nearest in withVectorSettings returned \${inTx[0]?.title}, expected z\`);
  const titles = rows.map((row) => row.title).join(',');
  if (titles !== 'y,x') throw new Error(\`nearest returned \${titles}, expected y,x\`);
  const [count] = rowsOf<{ n: number }>(await database.db.execute(sql\`select count(*)::int as n from items\`));
  const { vectors } = clusteredVectors({ rows: 4, dimensions: 3, clusters: 2, seed: seededRandom(1)() > -1 ? 1 : 2 });
  console.log(markdownTable(['pgvector', 'rows', 'nearest', 'generated'], [[extension.version, String(count?.n), titles, String(vectors.length)]]));
} finally {
  await database.close();
}
`,
);
writeFileSync(
  join(app, 'src', 'copy-check.ts'),
  `// copyRows from drizzle-pgvector/pg in an app that installed pg but not its optional peer pg-copy-streams: the
// entry loads, and the call says what to install (before connecting: the pool points nowhere).
import { integer, pgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { PgVectorError, vector } from 'drizzle-pgvector';
import { copyRows } from 'drizzle-pgvector/pg';

const items = pgTable('items', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }).notNull() });
const pool = new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/nowhere' });
try {
  await copyRows(pool, items, [{ id: 1, embedding: [1, 2, 3] }]);
  throw new Error('copyRows ran without pg-copy-streams');
} catch (error) {
  if (!(error instanceof PgVectorError) || error.code !== 'MISSING_PEER_DEPENDENCY') throw error;
  console.log(\`\${error.code}: \${error.message}\`);
} finally {
  await pool.end();
}
`,
);
writeFileSync(
  join(app, 'src', 'vitest-usage.ts'),
  `// Type-checked only (vitest, an optional peer, is not installed here): the subpath's declarations must stand alone.
import { withTestDatabase, type TestDatabaseHandle } from '@drizzle-pgvector/testing/vitest';

export const handle: () => TestDatabaseHandle = () => withTestDatabase({ backend: 'pglite' });
`,
);
writeFileSync(
  join(app, 'src', 'require-check.cts'),
  `// CommonJS consumer: require() of the ESM-only packages (Node >= 20.19 loads ES modules synchronously).
const library = require('drizzle-pgvector') as typeof import('drizzle-pgvector');
const data = require('@drizzle-pgvector/testing/data') as typeof import('@drizzle-pgvector/testing/data');
if (typeof library.vector !== 'function' || typeof data.seededRandom !== 'function') throw new Error('require() gave no exports');
console.log('require(): ok');
`,
);

let installed = false;
if (tarballs.length === PACKAGES.length) {
  await check('npm install of both tarballs into a scratch app outside the workspace', () => {
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...APP_DEPENDENCIES], app);
    installed = true;
  });
}
if (installed) {
  await check('API report: the installed declarations export exactly what api/*.api.md lists (node scripts/api-report.mjs rewrites it)', () => {
    const differing = [];
    for (const dir of PACKAGES) {
      const { name } = manifestOf(dir);
      const { text, problems } = apiReport(join(app, 'node_modules', name));
      const committed = readFileSync(join(root, 'api', reportFile(name)), 'utf8');
      if (problems.length > 0) differing.push(`${name}: ${problems.join('; ')}`);
      if (text !== committed) differing.push(`${name}: differs from api/${reportFile(name)}:\n${lineDiff(committed, text)}`);
    }
    if (differing.length > 0) throw new Error(`\n${differing.join('\n')}`);
  });
  await check('tsc with skipLibCheck: false: no error in our declarations or the app importing every public subpath', () => {
    // skipLibCheck: false checks every declaration file in the program. drizzle-orm's and PGlite's own
    // declarations do not pass that (errors in drizzle-orm's mysql/sqlite/singlestore builders, PGlite's
    // missing Emscripten types): those are counted and shown, only errors in our packages or the app fail.
    const tsc = join(app, 'node_modules', '.bin', 'tsc');
    let output = '';
    const t = Date.now();
    try {
      output = execFileSync(tsc, ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    }
    console.log(`  $ tsc -p tsconfig.json  (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    const errors = output.split('\n').filter((line) => /^\S.*: error TS\d+/.test(line));
    const ours = errors.filter((line) => /^(src\/|node_modules\/(drizzle-pgvector|@drizzle-pgvector)\/)/.test(line));
    const theirs = new Map();
    for (const line of errors.filter((l) => !ours.includes(l))) {
      const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(line)?.[1] ?? 'other';
      theirs.set(pkg, (theirs.get(pkg) ?? 0) + 1);
    }
    if (theirs.size > 0) console.log(`     not ours, ignored: ${[...theirs].map(([pkg, n]) => `${pkg} ${n}`).join(', ')}`);
    if (errors.length === 0 && !/^\s*$/.test(output)) throw new Error(output);
    if (ours.length > 0) throw new Error(`\n${ours.join('\n')}`);
    const listed = execFileSync(tsc, ['-p', 'tsconfig.json', '--listFilesOnly'], { cwd: app, encoding: 'utf8' });
    const declarations = listed.split('\n').filter((f) => /node_modules\/(drizzle-pgvector|@drizzle-pgvector)\/.*\.d\.ts$/.test(f));
    if (declarations.length === 0) throw new Error('none of our declaration files was part of the program');
    console.log(`     ${declarations.length} of our declaration files checked`);
  });
  await check('smoke query on PGlite: extension, vector(3) table, insert, nearest', () => {
    const output = run(process.execPath, [join(app, 'dist', 'main.js')], app);
    console.log(output.trimEnd().replace(/^/gm, '     '));
    if (!output.includes('| y,x ')) throw new Error('unexpected output');
  });
  await check('copyRows (drizzle-pgvector/pg) without pg-copy-streams installed: MISSING_PEER_DEPENDENCY with the install command', () => {
    if (existsSync(join(app, 'node_modules', 'pg-copy-streams'))) throw new Error('pg-copy-streams is installed in the scratch app: this check needs an app without it');
    const output = run(process.execPath, [join(app, 'dist', 'copy-check.js')], app);
    console.log(output.trimEnd().replace(/^/gm, '     '));
    if (!output.includes('MISSING_PEER_DEPENDENCY') || !output.includes('npm install pg-copy-streams')) throw new Error(output);
  });
  await check('require() of the ESM entry points from CommonJS', () => {
    const output = run(process.execPath, [join(app, 'dist', 'require-check.cjs')], app);
    if (!output.includes('require(): ok')) throw new Error(output);
  });
}

if (installed) {
  // The CLI as a user runs it: the bin npm linked, a TypeScript config and schema outside src/ (tsc never sees them).
  const project = join(app, 'cli-project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'schema.ts'),
    `import { integer, pgTable } from 'drizzle-orm/pg-core';
import { hnswIndex, vector } from 'drizzle-pgvector';

export const items = pgTable('items', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }).notNull() }, (t) => [
  hnswIndex('items_embedding_hnsw').on(t.embedding, 'l2'),
]);
`,
  );
  writeFileSync(
    join(project, 'drizzle.config.ts'),
    `import type { Config } from 'drizzle-kit';
export default { dialect: 'postgresql', driver: 'pglite', schema: './schema.ts', dbCredentials: { url: './pglite-data' } } satisfies Config;
`,
  );
  writeFileSync(
    join(project, 'seed.mjs'),
    `import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
const db = await PGlite.create({ dataDir: './pglite-data', extensions: { vector } });
await db.exec("create extension vector; create table items (id integer primary key, embedding vector(3) not null); insert into items select g, array[g, g % 7, 1]::real[]::vector from generate_series(1, 500) g;");
await db.close();
`,
  );
  const bin = join(app, 'node_modules', '.bin', 'drizzle-pgvector');
  const cli = (args, expectedCode) => {
    let output = '';
    let code = 0;
    try {
      output = execFileSync(bin, args, { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      code = error.status ?? 1;
      output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    }
    if (code !== expectedCode) throw new Error(`drizzle-pgvector ${args.join(' ')} exited ${code}, expected ${expectedCode}:\n${output}`);
    return output;
  };
  await check('drizzle-pgvector advise --json (the installed bin, built dist/)', () => {
    const doc = JSON.parse(cli(['advise', '--rows', '1000000', '--dims', '1536', '--json'], 0));
    if (doc.ivfflat?.lists !== 1000 || doc.choice?.method !== 'hnsw') throw new Error(JSON.stringify(doc).slice(0, 300));
  });
  await check('drizzle-pgvector doctor / build / doctor on a PGlite data folder from drizzle.config.ts and a .ts schema', () => {
    run(process.execPath, ['seed.mjs'], project);
    const before = JSON.parse(cli(['doctor', '--json'], 1));
    if (before.drift?.[0]?.kind !== 'missing') throw new Error(`expected the declared index missing, got ${JSON.stringify(before.drift)}`);
    const built = JSON.parse(cli(['build', 'items_embedding_hnsw', '--json'], 0));
    if (built.result?.status !== 'built') throw new Error(JSON.stringify(built).slice(0, 300));
    const after = cli(['doctor'], 0);
    if (!after.includes('items_embedding_hnsw') || !after.includes('nothing to do')) throw new Error(after);
    console.log(after.split('\n').filter((l) => /items_embedding_hnsw|Findings|pgvector/.test(l)).map((l) => `     ${l}`).join('\n'));
  });
}

if (keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(finish());

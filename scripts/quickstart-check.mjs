// Quickstart check: the README's quickstart, followed verbatim by a new user, must work.
//
//   node scripts/quickstart-check.mjs [--drizzle=1] [--keep]
//
// 1. Packs drizzle-pgvector (`npm pack`, as pack-check does), starts a scratch app in the system temp folder with
//    `npm init -y` exactly as a user does (npm ≥ 10.9 writes "type": "commonjs": the quickstart must say what to
//    change) and runs the README's Install commands there, drizzle-pgvector replaced by the tarball and every other
//    package pinned to the version this workspace tests with (--drizzle=1: drizzle-orm / drizzle-kit 1.0.0-rc.5).
// 2. Serves an embedded pgvector database (PGlite + pglite-pgvector from this workspace) over a socket and sets
//    DATABASE_URL to it, without creating the vector extension: the quickstart's migrate() has to.
// 3. Follows the quickstart in README order: `<!-- quickstart:file <path> -->` writes the next fenced block to
//    that file, `<!-- quickstart:run -->` runs each line of the next ```sh block (`# …` comments stripped) with
//    sh in the app folder. npx may not install anything (npm_config_yes=false): every tool must come from Install.
// 4. Asserts: the generated migration has `USING hnsw ("embedding" vector_cosine_ops)`, `npx tsx src/main.ts`
//    printed the rows cat then dog, and the database has the vector extension and 3 rows in items.
// Ends with one line "quickstart-check: all N checks passed in S s" (or which failed); exits 1 on any failure.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkList } from './lib/checks.mjs';
import { checkTarballContents, packTarball, root, scratch } from './lib/pack.mjs';
import { run, runAsync } from './lib/run.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const drizzleLine = (args.find((a) => a.startsWith('--drizzle=')) ?? '--drizzle=0').slice('--drizzle='.length);
if (!['0', '1'].includes(drizzleLine)) throw new Error(`--drizzle=${drizzleLine}: use --drizzle=1 (drizzle-orm 1.0) or leave it out (0.45)`);
/** The version each package the README installs is pinned to (drizzle-pgvector itself is the packed tarball). */
const PINS = {
  'drizzle-orm': drizzleLine === '1' ? '1.0.0-rc.5' : '0.45.4',
  'drizzle-kit': drizzleLine === '1' ? '1.0.0-rc.5' : '0.31.11',
  pg: '8.23.1',
  tsx: '4.23.15',
};
const MIGRATION_INDEX = 'USING hnsw ("embedding" vector_cosine_ops)';

/** `# …` to the end of the line (at its start or after a space) removed, then trimmed. */
function withoutComment(line) {
  return line.replace(/(^|\s)#.*$/, '').trim();
}

/** The fenced block starting at the first non-blank line from `from`: `{ lang, body, end }`. */
function fencedBlock(lines, from, marker) {
  let i = from;
  while (i < lines.length && lines[i].trim() === '') i++;
  const open = /^```(\w*)\s*$/.exec(lines[i] ?? '');
  if (!open) throw new Error(`README: ${marker} is not followed by a fenced code block (line ${i + 1})`);
  const close = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
  if (close < 0) throw new Error(`README: the block after ${marker} is never closed`);
  return { lang: open[1], body: lines.slice(i + 1, close).join('\n') + '\n', end: close };
}

/** The README's Install commands and quickstart steps, in order. */
function readQuickstart(text) {
  const lines = text.split('\n');
  const install = lines.findIndex((line) => /^## Install\b/.test(line));
  if (install < 0) throw new Error('README has no "## Install" section');
  const installBlock = fencedBlock(lines, install + 1, '## Install');
  const installCommands = installBlock.body.split('\n').map(withoutComment).filter(Boolean);
  const steps = [];
  lines.forEach((line, i) => {
    const marker = /^<!--\s*quickstart:(file\s+(\S+)|run)\s*-->\s*$/.exec(line);
    if (!marker) return;
    const block = fencedBlock(lines, i + 1, line.trim());
    if (marker[2]) steps.push({ kind: 'file', path: marker[2], content: block.body });
    else {
      if (block.lang !== 'sh') throw new Error(`README line ${i + 1}: quickstart:run needs a \`\`\`sh block, found \`\`\`${block.lang}`);
      steps.push({ kind: 'run', commands: block.body.split('\n').map(withoutComment).filter(Boolean) });
    }
  });
  return { installCommands, steps };
}

/** An Install line (`npm i [-D] a b c`) with drizzle-pgvector → the tarball and everything else pinned. */
function pinnedInstall(command, tarball) {
  const [npm, verb, ...rest] = command.split(/\s+/);
  if (npm !== 'npm' || !['i', 'install'].includes(verb)) throw new Error(`Install command "${command}" is not npm i …`);
  const resolved = rest.map((word) => {
    if (word.startsWith('-')) return word;
    if (word === 'drizzle-pgvector') return tarball;
    const version = PINS[word];
    if (!version) throw new Error(`Install installs ${word}, which this check has no pinned version for (add it to PINS)`);
    return `${word}@${version}`;
  });
  return ['install', '--no-audit', '--no-fund', '--loglevel=error', ...resolved.filter((w) => !['i', 'install'].includes(w))];
}

function sqlFilesUnder(dir) {
  let found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found = found.concat(sqlFilesUnder(path));
    else if (entry.name.endsWith('.sql')) found.push(path);
  }
  return found;
}

const { check, finish } = checkList('quickstart-check');
const { work, packs, app } = scratch('drizzle-pgvector-quickstart-check-');
console.log(`drizzle-orm ${PINS['drizzle-orm']}, drizzle-kit ${PINS['drizzle-kit']}; scratch app in ${app}`);

let quickstart;
await check('README: Install commands and quickstart steps found', () => {
  quickstart = readQuickstart(readFileSync(join(root, 'README.md'), 'utf8'));
  const files = quickstart.steps.filter((s) => s.kind === 'file').length;
  const commands = quickstart.steps.flatMap((s) => (s.kind === 'run' ? s.commands : []));
  if (quickstart.installCommands.length === 0 || files === 0 || commands.length === 0) throw new Error('nothing to follow');
  console.log(`     install: ${quickstart.installCommands.join(' && ')}`);
  console.log(`     ${files} files, commands: ${commands.join(' && ')}`);
});

let tarball;
await check('drizzle-pgvector: npm pack builds a tarball with every exported file', () => {
  tarball = packTarball('packages/drizzle-pgvector', packs);
  checkTarballContents(tarball, work);
});

let installed = false;
if (quickstart && tarball) {
  const initialised = await check('npm init -y: a new app, with the package.json npm writes', () => {
    run('npm', ['init', '-y'], app);
    const { type } = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    console.log(`     package.json "type": ${JSON.stringify(type ?? null)}`);
  });
  installed = initialised && await check(`README Install commands (pinned: ${Object.entries(PINS).map(([n, v]) => `${n}@${v}`).join(', ')})`, () => {
    for (const command of quickstart.installCommands) run('npm', pinnedInstall(command, tarball), app);
  });
  if (!installed && drizzleLine === '1') {
    // Most likely the peer range (drizzle-orm <1): see how far the rest gets with it ignored. Still a failure.
    installed = await check('…the same with --legacy-peer-deps (to run the rest; the line above stays failed)', () => {
      for (const command of quickstart.installCommands) run('npm', [...pinnedInstall(command, tarball), '--legacy-peer-deps'], app);
    });
  }
}

let database;
if (installed) {
  await check('embedded pgvector database served on a socket, vector extension not created', async () => {
    const [{ PGlite }, { vector }, { PGLiteSocketServer }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
      import('@electric-sql/pglite-socket'),
    ]);
    const pglite = await PGlite.create({ extensions: { vector } });
    const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 });
    await server.start();
    database = { pglite, server, url: `postgres://postgres@${server.getServerConn()}/postgres` };
    const { rows } = await pglite.query(`select 1 from pg_extension where extname = 'vector'`);
    if (rows.length !== 0) throw new Error('the vector extension already exists: migrate() would not be tested');
    console.log(`     DATABASE_URL=${database.url}`);
  });
}

const outputs = new Map();
if (database) {
  const env = { DATABASE_URL: database.url, npm_config_yes: 'false' };
  steps: for (const step of quickstart.steps) {
    if (step.kind === 'file') {
      const ok = await check(`quickstart file ${step.path} written verbatim`, () => {
        mkdirSync(dirname(join(app, step.path)), { recursive: true });
        writeFileSync(join(app, step.path), step.content);
      });
      if (!ok) break;
      continue;
    }
    for (const command of step.commands) {
      const ok = await check(`quickstart command \`${command}\` exits 0`, async () => {
        outputs.set(command, await runAsync('sh', ['-c', command], app, { env, shown: command, timeoutMs: 120_000 }));
      });
      if (!ok) break steps; // the next steps build on this one
    }
  }

  const generate = [...outputs.keys()].find((c) => /drizzle-kit generate/.test(c));
  await check(`drizzle-kit generate wrote a migration with ${MIGRATION_INDEX}`, () => {
    if (!generate) throw new Error('no successful drizzle-kit generate command in the quickstart');
    const files = sqlFilesUnder(join(app, 'drizzle'));
    const withIndex = files.filter((f) => readFileSync(f, 'utf8').includes(MIGRATION_INDEX));
    if (withIndex.length === 0) throw new Error(`none of ${files.map((f) => f.slice(app.length + 1)).join(', ') || 'no .sql files'} has it`);
    console.log(`     ${withIndex.map((f) => f.slice(app.length + 1)).join(', ')}`);
  });

  await check('npx tsx src/main.ts printed the rows cat then dog', () => {
    const main = outputs.get('npx tsx src/main.ts');
    if (!main) throw new Error('`npx tsx src/main.ts` did not run successfully (or is no longer in the quickstart)');
    console.log(main.stdout.trimEnd().replace(/^/gm, '     '));
    // console.log of [{ title, distance }, …]: util.inspect prints title: 'cat'.
    const titles = [...main.stdout.matchAll(/\btitle:\s*'([^']*)'/g)].map((m) => m[1]);
    if (titles.join(',') !== 'cat,dog') throw new Error(`titles printed: ${titles.join(',') || 'none'}, expected cat,dog`);
    const distances = [...main.stdout.matchAll(/\bdistance:\s*([-\d.e]+)/g)].map((m) => Number(m[1]));
    if (distances.length !== 2 || !distances.every(Number.isFinite)) throw new Error(`distances printed: ${distances.join(',') || 'none'}`);
  });

  await check('the database has the vector extension (created by migrate()) and 3 rows in items', async () => {
    const extension = await database.pglite.query(`select extversion from pg_extension where extname = 'vector'`);
    if (extension.rows.length !== 1) throw new Error('no vector extension');
    const items = await database.pglite.query(`select count(*)::int as n from items`);
    if (items.rows[0]?.n !== 3) throw new Error(`items has ${items.rows[0]?.n} rows, expected 3`);
    console.log(`     vector ${extension.rows[0].extversion}, ${items.rows[0].n} rows in items`);
  });
}

if (database) {
  await database.server.stop();
  await database.pglite.close();
}
if (keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(finish());

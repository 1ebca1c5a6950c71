// The whole test suite on drizzle-orm / drizzle-kit 1.0.0-rc.5 (the versions pinned by this folder's pnpm-lock.yaml).
//
//   node compat/drizzle-1/run.mjs [vitest args…]      (from the workspace root, after the workspace's own install)
//   node compat/drizzle-1/run.mjs --script=scripts/check-examples.mjs [its args…]   (another script on 1.0)
//
// 1. Installs this folder from its lockfile (only drizzle-orm and drizzle-kit; their drivers — pg, postgres,
//    PGlite — resolve one level up to the workspace root's copies, so Drizzle and the tests share one of each).
// 2. Points every workspace package's `node_modules/drizzle-orm` and `node_modules/drizzle-kit` link at this folder's
//    1.0 copies, so everything resolves 1.0 the way it resolves 0.45 normally: vitest, the sources, the test
//    helpers, and the child processes the tests start (drizzle-kit loads schemas with its own resolver, which no
//    vitest alias reaches).
// 3. Runs scripts/run-tests.mjs (vitest) with PGVECTOR_EXPECT_DRIZZLE_LINE=1 (test/compat checks the library
//    detected 1.0), then puts every link back — also on failure or Ctrl-C. Should a run be killed hard, the
//    workspace's `pnpm install --frozen-lockfile` restores the links.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PACKAGES = ['drizzle-orm', 'drizzle-kit'];
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

const install = spawnSync('npx', ['--yes', `pnpm@${pnpmVersion}`, 'install', '--frozen-lockfile', '--reporter=append-only'], { cwd: here, stdio: 'inherit' });
if (install.status !== 0) process.exit(install.status ?? 1);

const targets = Object.fromEntries(PACKAGES.map((name) => [name, realpathSync(join(here, 'node_modules', name))]));
for (const [name, target] of Object.entries(targets)) {
  const { version } = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
  console.log(`${name} ${version} (${relative(root, target)})`);
}

/** Workspace package folders (pnpm-workspace.yaml globs are one level deep here) plus the root. */
function workspaceDirs() {
  const globs = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .map((line) => /^\s*-\s*['"]?([^'"#\s]+)['"]?/.exec(line)?.[1])
    .filter(Boolean);
  const dirs = [root];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = join(root, glob.slice(0, -2));
      if (existsSync(parent)) for (const entry of readdirSync(parent, { withFileTypes: true })) if (entry.isDirectory()) dirs.push(join(parent, entry.name));
    } else dirs.push(join(root, glob));
  }
  return dirs;
}

/** Links swapped so far: `{ link, previous }`, restored in reverse order. */
const swapped = [];
function restore() {
  while (swapped.length > 0) {
    const { link, previous } = swapped.pop();
    try {
      unlinkSync(link);
    } catch {
      // already gone
    }
    renameSync(previous, link);
  }
}
let child;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // Stop the tests first (vitest ends its workers), then put the links back.
    if (child && child.exitCode === null) child.kill(signal);
    else {
      restore();
      process.exit(130);
    }
  });
}

let code = 1;
try {
  for (const dir of workspaceDirs()) {
    for (const name of PACKAGES) {
      const link = join(dir, 'node_modules', name);
      let stat;
      try {
        stat = lstatSync(link);
      } catch {
        continue; // this package does not depend on it
      }
      if (!stat.isSymbolicLink()) throw new Error(`${relative(root, link)} is not a pnpm link; run the workspace's pnpm install first`);
      const previous = `${link}.drizzle-0.45`;
      if (existsSync(previous)) throw new Error(`${relative(root, previous)} exists: an earlier run was killed; run the workspace's pnpm install --frozen-lockfile, then remove it`);
      renameSync(link, previous);
      swapped.push({ link, previous });
      symlinkSync(relative(dirname(link), targets[name]), link);
    }
  }
  console.log(`${swapped.length} links point at drizzle 1.0: ${[...new Set(swapped.map((s) => relative(root, dirname(dirname(s.link))) || '.'))].join(', ')}`);
  code = await new Promise((resolve) => {
    const [first, ...rest] = process.argv.slice(2);
    const script = first?.startsWith('--script=') ? [join(root, first.slice('--script='.length)), ...rest] : [join(root, 'scripts', 'run-tests.mjs'), ...process.argv.slice(2)];
    child = spawn(process.execPath, script, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PGVECTOR_EXPECT_DRIZZLE_LINE: '1' },
    });
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
} finally {
  restore();
  for (const dir of workspaceDirs()) {
    for (const name of PACKAGES) {
      const link = join(dir, 'node_modules', name);
      if (existsSync(link) && realpathSync(link).startsWith(here)) console.error(`warning: ${relative(root, link)} still points at ${readlinkSync(link)}`);
    }
  }
}
process.exit(code);

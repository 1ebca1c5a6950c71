// Packing workspace packages the way they are published, for the check scripts (pack-check, quickstart-check).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run.mjs';

/** The workspace root. */
export const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** The package.json of a workspace folder (relative to the root). */
export function manifestOf(dir) {
  return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
}

/** A scratch folder in the system temp folder (outside the workspace, so nothing resolves to the sources): `{ work, packs, app }`. */
export function scratch(prefix) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const packs = join(work, 'packs');
  const app = join(work, 'app');
  mkdirSync(packs);
  mkdirSync(join(app, 'src'), { recursive: true });
  return { work, packs, app };
}

/**
 * Packs the workspace package in `dir` into `packs` and returns the tarball's path. `packer` is `npm` (the strict
 * case: no publishConfig applied, our `prepack` cleans and builds dist/) or `pnpm` (the pinned version, via npx).
 */
export function packTarball(dir, packs, packer = 'npm') {
  const before = new Set(readdirSync(packs));
  if (packer === 'pnpm') {
    const pnpmVersion = manifestOf('.').packageManager.split('@')[1];
    run('npx', ['--yes', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', packs], join(root, dir));
  } else run('npm', ['pack', '--pack-destination', packs], join(root, dir));
  const made = readdirSync(packs).filter((f) => !before.has(f) && f.endsWith('.tgz'));
  if (made.length !== 1) throw new Error(`expected one new tarball, found ${made.join(', ') || 'none'}`);
  return join(packs, made[0]);
}

/** Throws unless the tarball has README.md, LICENSE, package.json, every built file its `exports` point at, and no `workspace:` specs. */
export function checkTarballContents(tarball, cwd) {
  const files = new Set(run('tar', ['-tzf', tarball], cwd).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
  const packed = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], cwd));
  const wanted = ['README.md', 'LICENSE', 'package.json'];
  for (const [subpath, target] of Object.entries(packed.exports)) {
    const entries = typeof target === 'string' ? { default: target } : target;
    for (const [condition, file] of Object.entries(entries)) {
      if (condition.startsWith('@drizzle-pgvector/')) continue; // workspace-only source condition
      if (!/\.(js|d\.ts|json)$/.test(file)) throw new Error(`exports["${subpath}"].${condition} is ${file}, not built output`);
      wanted.push(file.replace(/^\.\//, ''));
    }
  }
  const missing = wanted.filter((f) => !files.has(f));
  if (missing.length > 0) throw new Error(`missing from the tarball: ${missing.join(', ')}`);
  for (const section of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, spec] of Object.entries(packed[section] ?? {})) {
      if (String(spec).startsWith('workspace:')) throw new Error(`${section}.${dep} is ${spec}`);
    }
  }
}

// Lints of a packed tarball, for scripts/pack-check.mjs: publint (package.json and the files it points at) and
// "are the types wrong" (@arethetypeswrong/cli: every entry point's types resolve, and match the JavaScript, under
// each TypeScript module resolution).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { root } from './pack.mjs';
import { run } from './run.mjs';

/** Throws with publint's messages when it finds an error or a warning in the tarball (suggestions are printed only). */
export async function publintTarball(tarball) {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: 'suggestion', strict: true });
  const shown = messages.map((m) => `     ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
  if (shown.length > 0) console.log(shown.join('\n'));
  const failing = messages.filter((m) => m.type === 'error' || m.type === 'warning');
  if (failing.length > 0) throw new Error(`publint: ${failing.length} problem(s), listed above`);
}

/**
 * Runs attw on the tarball with the `esm-only` profile: the packages are ESM only on purpose (docs/development.md, "Packaging"),
 * so attw's node10 and CommonJS-importer columns are not checked here; require() from CommonJS on Node ≥ 20.19 is
 * checked by pack-check itself, by running it.
 */
export function attwTarball(tarball) {
  const output = run(join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-emoji', '--no-color'], root);
  // The table's header (the resolution modes checked) and its rows, one per entry point; ignored columns left out.
  const rows = output.split('\n').filter((line) => line.startsWith('│ "') || (line.startsWith('│') && line.includes('node16')));
  const cells = (line) => line.split('│').slice(1, -1).map((cell) => cell.trim()).filter((cell) => !cell.includes('(ignored)'));
  console.log(rows.map((line) => `     ${cells(line).map((cell) => cell || 'entry point').join(' | ')}`).join('\n'));
}

// Runs the docs' runnable blocks for scripts/check-examples.mjs, one after another in this process:
//   node --conditions=@drizzle-pgvector/source --import tsx test/doc-examples/run.ts [prelude …]
// Loads the named preludes first (PGlite starts while the checker is still compiling), then reads one JSON line from
// stdin — `[[where, module path], …]`, sent once the modules are written — and imports each. Prints `ran  <where>
// (ms)` or `FAIL <where>: <error>` per block; exits 1 if any failed.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

for (const prelude of process.argv.slice(2)) await import(`./${prelude}.js`);

const lines = createInterface({ input: process.stdin });
const first = await new Promise<string>((resolve) => lines.once('line', resolve));
lines.close();
const blocks = JSON.parse(first) as [string, string][];
let failed = 0;
for (const [where, path] of blocks) {
  const started = Date.now();
  try {
    await import(pathToFileURL(path).href);
    console.log(`ran  ${where} (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    const text = String(error instanceof Error ? error.stack : error);
    console.log(`FAIL ${where}: ${text.split('\n').slice(0, 4).join(' | ')}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

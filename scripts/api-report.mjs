// API report: the public surface of each published package, committed in api/*.api.md so a change to it is a
// visible diff in review.
//
//   node scripts/api-report.mjs            build the packages (tsc, their dist/) and rewrite api/*.api.md
//   node scripts/api-report.mjs --check    build and compare; exit 1 with the differing lines when they differ
//   node scripts/api-report.mjs --no-build use the dist/ already built
//
// CI compares the same reports on the packed tarballs in scripts/pack-check.mjs (no second build).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { apiReport, lineDiff, reportFile } from './lib/api-report.mjs';
import { root } from './lib/pack.mjs';
import { run } from './lib/run.mjs';

/** Published packages, in build order (the CLI's declarations import drizzle-pgvector's built ones). */
export const PUBLISHED = ['packages/drizzle-pgvector', 'packages/testing', 'packages/cli'];

const args = process.argv.slice(2);
const checking = args.includes('--check');
if (!args.includes('--no-build')) for (const dir of PUBLISHED) run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], join(root, dir));

mkdirSync(join(root, 'api'), { recursive: true });
let failed = false;
for (const dir of PUBLISHED) {
  const { name, text, problems } = apiReport(join(root, dir));
  const file = join(root, 'api', reportFile(name));
  for (const problem of problems) console.log(`${name}: ${problem}`);
  failed ||= problems.length > 0;
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (committed === text) console.log(`${name}: api/${reportFile(name)} is current`);
  else if (checking) {
    failed = true;
    console.log(`${name}: the public API differs from api/${reportFile(name)} (run node scripts/api-report.mjs and commit it):\n${lineDiff(committed, text)}`);
  } else {
    writeFileSync(file, text);
    console.log(`${name}: wrote api/${reportFile(name)}`);
  }
}
process.exit(failed ? 1 : 0);

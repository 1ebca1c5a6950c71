// Runs the vitest suite and ends with one plain summary line ("vitest: N passed, N failed, N skipped")
// that CI systems can read whatever reporter they understand. Extra arguments go to vitest.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'drizzle-pgvector-tests-'));
const report = join(dir, 'report.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: 'inherit', env: process.env });
child.on('exit', (code, signal) => {
  let summary = 'vitest: no report written (the run crashed before finishing)';
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    summary = `vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`;
    if (r.numTotalTests === 0) summary += ' (no tests ran)';
  } catch {
    // keep the crash summary
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`\n${summary}`);
  process.exit(code ?? (signal ? 1 : 0));
});

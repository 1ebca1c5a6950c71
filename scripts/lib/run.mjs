// Running commands for the check scripts (pack-check, quickstart-check): each command is echoed with its
// duration; a failing one prints its output and throws "<command> failed".
import { execFileSync, spawn } from 'node:child_process';

/** The environment commands run with: ours, minus NODE_OPTIONS (a debugger or loader hook must not leak in). */
function environment(env) {
  return { ...process.env, NODE_OPTIONS: '', ...env };
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs `command args` in `cwd` and returns its stdout; blocks the event loop (use runAsync when this process serves something). */
export function run(command, args, cwd, { env } = {}) {
  const shown = `${command} ${args.join(' ')}`;
  const t = Date.now();
  try {
    const output = execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: environment(env) });
    console.log(`  $ ${shown}  (${seconds(t)})`);
    return output;
  } catch (error) {
    console.log(`  $ ${shown}  FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw new Error(`${shown} failed`);
  }
}

/**
 * Runs `command args` in `cwd` without blocking (the in-process database server keeps answering) and resolves to
 * `{ stdout, stderr }`; rejects when it exits non-zero or runs longer than `timeoutMs` (then its process group is
 * stopped). `shown` is what is echoed (defaults to the command line).
 */
export function runAsync(command, args, cwd, { env, shown = `${command} ${args.join(' ')}`, timeoutMs = 300_000 } = {}) {
  const t = Date.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so a hung command is stopped with everything it started (sh → npx → node).
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: environment(env), detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }, timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        console.log(`  $ ${shown}  TIMED OUT after ${timeoutMs / 1000} s\n${stdout}${stderr}`);
        reject(new Error(`${shown} did not finish within ${timeoutMs / 1000} s`));
      } else if (code === 0) {
        console.log(`  $ ${shown}  (${seconds(t)})`);
        resolve({ stdout, stderr });
      } else {
        console.log(`  $ ${shown}  FAILED (${signal ?? `exit ${code}`})\n${stdout}${stderr}`);
        reject(new Error(`${shown} failed`));
      }
    });
  });
}

// Named checks with one summary line, shared by the check scripts: `ok   <name>` / `FAIL <name>: <why>` as they
// run, then "<script>: all N checks passed in S s" (or "K of N … — F FAILED").

/** A list of checks for `script`; `check(name, fn)` runs fn (sync or async), `finish()` prints the summary and returns the exit code. */
export function checkList(script) {
  const results = [];
  const started = Date.now();
  return {
    async check(name, fn) {
      try {
        await fn();
        results.push([name, true]);
        console.log(`ok   ${name}`);
        return true;
      } catch (error) {
        results.push([name, false]);
        console.log(`FAIL ${name}: ${error.message}`);
        return false;
      }
    },
    finish() {
      const failed = results.filter(([, ok]) => !ok).length;
      // Not in the "N passed, N failed" form on purpose: in CI these run after the test suite, whose summary line
      // ("vitest: N passed, N failed, N skipped") is the test count to read.
      console.log(
        `${script}: ${failed === 0 ? 'all' : `${results.length - failed} of`} ${results.length} checks passed` +
          ` in ${((Date.now() - started) / 1000).toFixed(1)} s${failed === 0 ? '' : ` — ${failed} FAILED`}`,
      );
      return failed === 0 && results.length > 0 ? 0 : 1;
    },
  };
}

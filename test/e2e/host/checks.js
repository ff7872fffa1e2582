// The checks of a standalone Playwright stage of npm test (vsix-check.js, restore-check.js): each one named and
// timed, a screenshot of the page when one fails, then the "N passed, N failed" line and the stage's result file,
// which npm test's summary reads.
const fs = require('fs');
const path = require('path');

/**
 * `stage` names the result file (test-results/<stage>.json); `page()` gives the page to photograph on a failure
 * (none: no screenshot) into `screenshotDir`.
 */
function checks(stage, { screenshotDir, page = () => undefined } = {}) {
  const results = [];
  const t0 = Date.now();
  return {
    async check(name, fn) {
      const t = Date.now();
      try {
        await fn();
        results.push(true);
        console.log(`  ✔ ${name} (${Date.now() - t} ms)`);
      } catch (e) {
        results.push(false);
        console.log(`  ✘ ${name}: ${e.message.split('\n')[0]}`);
        if (screenshotDir)
          await page()
            ?.screenshot({ path: path.join(screenshotDir, `${stage}-failed-${results.length}.png`) })
            .catch(() => {});
      }
    },
    /** Prints the summary, writes the result file and ends the process with the stage's verdict. */
    finish() {
      const passes = results.filter(Boolean).length;
      const failures = results.length - passes;
      if (process.env.TEST_RESULTS_DIR)
        fs.writeFileSync(
          path.join(process.env.TEST_RESULTS_DIR, `${stage}.json`),
          JSON.stringify({ passes, failures, pending: 0 }),
        );
      console.log(`${passes} passed, ${failures} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      process.exit(failures ? 1 : 0);
    },
  };
}

module.exports = { checks };

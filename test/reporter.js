// Mocha's spec output, plus the counts written to test-results/<stage>.json so that test/run-all.sh can print
// one closing "N passed, N failed" line for the whole run.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

class CountingSpec extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const stage = process.env.TEST_STAGE || 'tests';
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      const dir = path.resolve(process.env.TEST_RESULTS_DIR || 'test-results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${stage}.json`), JSON.stringify({ passes, failures, pending }));
    });
  }
}
module.exports = CountingSpec;

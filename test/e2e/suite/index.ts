// Loaded by the extension host (payload extensionTestsPath); exports run() like an @vscode/test-electron suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // E2E_GREP runs only the tests whose titles match (a developer's shortcut; npm test runs them all)
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: 'spec',
    ...(process.env.E2E_GREP ? { grep: process.env.E2E_GREP } : {}),
  });
  // E2E_FILES (a comma list of names like "walkthrough") runs only those files: one engineer's tests, not the suite
  const only = (process.env.E2E_FILES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // the first-use journey wants an editor with no connection: it runs last and removes what the others left
  const last = (f: string) => (f === 'firstuse.test.js' ? 1 : 0);
  for (const f of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => last(a) - last(b) || a.localeCompare(b))) {
    if (!only.length || only.some((o) => f === `${o}.test.js`)) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats!;
      const out = process.env.TEST_RESULTS_DIR;
      if (out)
        fs.writeFileSync(
          path.join(out, 'e2e.json'),
          JSON.stringify({ passes: s.passes, failures: s.failures, pending: s.pending }),
        );
      console.log(`${s.passes} passed, ${s.failures} failed`);
      failures ? reject(new Error(`${failures} tests failed.`)) : resolve();
    });
  });
}

/** Sustained concurrent logins on slapd: none lost, none timed out. */
import * as assert from 'node:assert/strict';
import { Directory } from '../../connector/directory';
import { ACCOUNTS } from '../helpers/fixtures';
import { SLAPD } from '../helpers/servers';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONCURRENCY = 64;

describe(`${CONCURRENCY} concurrent logins for ${SECONDS} s on ${SLAPD.name}`, function () {
  this.timeout((SECONDS + 60) * 1000);
  it('loses none and times out none, with right and wrong passwords interleaved', async () => {
    const dir = new Directory(SLAPD.config({ operationTimeoutMs: 10000 }));
    const until = Date.now() + SECONDS * 1000;
    let ok = 0,
      wrong = 0;
    const failures: string[] = [];
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < until; i++) {
        const n = 1 + ((w * 7919 + i) % 10000);
        const bad = i % 10 === 9;
        try {
          await dir.authenticate(`user${n}`, bad ? 'nope' : ACCOUNTS.bulkUserPassword);
          if (bad) failures.push(`user${n} logged in with a wrong password`);
          else ok++;
        } catch (e) {
          if (bad && (e as { protocolName?: string }).protocolName === 'WrongPassword') wrong++;
          else failures.push(`user${n}: ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    await dir.close();
    console.log(
      `      ${ok} logins, ${wrong} wrong passwords refused, ${failures.length} failures, ${((ok + wrong) / SECONDS).toFixed(0)}/s`,
    );
    assert.deepEqual(failures.slice(0, 5), []);
    assert.ok(ok > SECONDS * 50, `only ${ok} logins`);
  });
});

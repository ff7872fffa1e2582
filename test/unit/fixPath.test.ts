/** The way a fix after a refused login is written, chosen before the admin confirms (extension/panels/fixPath.ts). */
import * as assert from 'node:assert/strict';
import { fixPath, shownHost, writtenBy } from '../../extension/panels/fixPath';

describe('the path of an account fix: connector write-back or service account', () => {
  it('a new password goes through an online instance that reports write-back on', () => {
    const p = fixPath('setPassword', true, [
      { host: 'a', writeBack: false },
      { host: 'b', writeBack: true },
    ]);
    assert.deepEqual(p, { via: 'write-back', host: 'b' });
    assert.equal(writtenBy(p, 'cn=bridge'), 'connector write-back (change_password) on b');
  });
  it('an unresponsive instance is not chosen, even with write-back', () => {
    const p = fixPath('setPassword', true, [{ host: 'b', writeBack: true, unresponsive: { since: '' } }]);
    assert.equal(p.via, 'service account');
  });
  it('unlock and enable always use the service account: the protocol has no request for them', () => {
    for (const fix of ['unlock', 'enable'] as const) {
      const p = fixPath(fix, true, [{ host: 'b', writeBack: true }]);
      assert.equal(p.via, 'service account');
      assert.match(p.via === 'service account' ? p.reason : '', new RegExp(`connectors have no ${fix} request`));
    }
  });
  it('says why a new password falls back on the service account', () => {
    const why = (...a: Parameters<typeof fixPath>) => {
      const p = fixPath(...a);
      return p.via === 'service account' ? p.reason : p.via;
    };
    assert.match(why('setPassword', false, []), /hub is stopped/);
    assert.match(why('setPassword', true, []), /no connector instance online/);
    assert.match(why('setPassword', true, [{ host: 'h1', writeBack: false }]), /write-back is off on h1/);
    assert.match(why('setPassword', true, [{ host: 'old' }]), /old does not report write-back/);
    assert.equal(writtenBy({ via: 'service account', reason: '' }, 'cn=bridge'), 'service account cn=bridge');
  });

  it("a connector's claimed host name is shown printable and short in a one-line title", () => {
    assert.equal(shownHost('dc01.corp.example'), 'dc01.corp.example');
    assert.equal(shownHost('evil\u202e\nhost\u0007'), 'evilhost', 'no bidi override, newline or bell');
    assert.equal(shownHost('a'.repeat(255)).length, 64);
    assert.equal(shownHost(undefined), 'unknown');
    assert.equal(shownHost('\u200b'), 'unknown');
  });
});

/**
 * Closing the loop from a refused login, against the real slapd and Samba AD: the dedicated account quinn is put in
 * each refused state by the directory's administrator; the login is refused with the right name; the fix offered for
 * it, written by the connection's service account, lets the same login (or one with the new password) through.
 * Every test flips quinn back to normal.
 */
import * as assert from 'node:assert/strict';
import { Directory, fixesFor } from '../../connector/directory';
import { putInState, QUINN, type AccountState } from '../helpers/accountStates';
import { rejectsWith, SAMBA, SLAPD, type TestServer } from '../helpers/servers';

const CASES: Array<{ state: AccountState; error: string; fix: string }> = [
  { state: 'locked', error: 'AccountLocked', fix: 'unlock' },
  { state: 'disabled', error: 'AccountDisabled', fix: 'enable' },
  { state: 'expired', error: 'PasswordExpired', fix: 'setPassword' },
  { state: 'mustChange', error: 'PasswordChangeRequired', fix: 'setPassword' },
];

for (const server of [SLAPD, SAMBA] as TestServer[]) {
  describe(`account fixes from a refused login: ${server.name}`, function () {
    this.timeout(90_000);
    let dir: Directory;
    before(() => {
      // AD takes passwords only over an encrypted connection: LDAPS with the test CA
      dir = new Directory(
        server.kind === 'ad'
          ? server.config({ urls: [server.ldapsUrl], tls: { caFile: server.caFile } })
          : server.config(),
      );
    });
    after(async () => {
      await putInState(server.kind, 'normal');
      await dir.close();
    });

    for (const c of CASES) {
      it(`${c.state}: refused as ${c.error}, offered "${c.fix}", and let through after it`, async () => {
        await putInState(server.kind, c.state);
        const err = await rejectsWith(dir.authenticate(QUINN.username, QUINN.password), c.error);
        assert.deepEqual(fixesFor(err.protocolName as string), [c.fix]);
        const newPassword = c.fix === 'setPassword' ? `N3w-${c.state}!${Date.now() % 1000}` : undefined;
        const dn = await dir.fixAccount(QUINN.username, { fix: c.fix as 'unlock', newPassword });
        assert.match(dn, /quinn fixable/i);
        const r = await dir.authenticate(QUINN.username, newPassword ?? QUINN.password);
        assert.match(r.dn, /quinn fixable/i);
        await putInState(server.kind, 'normal');
      });
    }

    it('a new password with "must change at next logon" is enforced by the directory, then cleared by a plain one', async () => {
      await putInState(server.kind, server.kind === 'ad' ? 'normal' : 'mustChange'); // OpenLDAP: a policy with pwdMustChange
      assert.equal(await dir.mustChangeSupported(QUINN.username), true);
      await dir.fixAccount(QUINN.username, { fix: 'setPassword', newPassword: 'Must-Chng!42', mustChange: true });
      await rejectsWith(dir.authenticate(QUINN.username, 'Must-Chng!42'), 'PasswordChangeRequired');
      await dir.fixAccount(QUINN.username, { fix: 'setPassword', newPassword: 'Plain-Pass!43', mustChange: false });
      await dir.authenticate(QUINN.username, 'Plain-Pass!43');
      await putInState(server.kind, 'normal');
    });

    if (server.kind === 'openldap') {
      it('"must change" is not offered where the account\'s policy would not enforce it', async () => {
        await putInState('openldap', 'normal');
        assert.equal(await dir.mustChangeSupported(QUINN.username), false);
      });
    }

    it('an unknown user names the exact filter and base searched', async () => {
      const err = await rejectsWith(dir.authenticate('nobody@example.test', 'x-Passw0rd!'), 'WrongUsername');
      const filter =
        server.kind === 'ad'
          ? '(|(sAMAccountName=nobody@example.test)(userPrincipalName=nobody@example.test))'
          : '(|(uid=nobody@example.test)(mail=nobody@example.test))';
      assert.equal(err.source, `no entry matches ${filter} under ${server.baseDn}`);
    });

    it('the default user filter accepts the forms users type', async () => {
      const forms =
        server.kind === 'ad' ? ['alice', 'alice@example.test', 'EXAMPLE\\alice'] : ['alice', 'alice@example.test'];
      for (const f of forms) assert.match((await dir.authenticate(f, 'Passw0rd!Alice')).dn, /alice smith/i, f);
    });
  });
}

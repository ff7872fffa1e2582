/**
 * Puts the dedicated account `quinn` (seeded by test/fixtures/slapd.sh and samba-ad.sh for this purpose) into each
 * refused login state on the shared servers, as their administrators, and back to normal. The tests that use it end
 * with `putInState(kind, 'normal')`, so the account is left as seeded.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Attribute, Change, Client } from 'ldapts';
import { encodePasswordModifyRequest, encodeUnicodePwd, PASSWORD_MODIFY_OID } from '../../connector/directory/password';

export type AccountState = 'normal' | 'locked' | 'disabled' | 'expired' | 'mustChange';
export type Kind = 'openldap' | 'ad';

const RUN_DIR = process.env.DB_RUN_DIR ?? '/tmp/directory-bridge';
export const QUINN = { username: 'quinn', password: 'Passw0rd!Quinn' };
const DN = {
  openldap: 'cn=Quinn Fixable,ou=people,dc=example,dc=test',
  ad: 'CN=Quinn Fixable,CN=Users,DC=example,DC=test',
};
const LDAP_POLICIES = 'ou=policies,dc=example,dc=test';
/** Seconds after which slapd's quick-expiry policy expires a password. */
export const QUICK_EXPIRY_S = 10;

function sambaTool(...args: string[]): void {
  execFileSync('samba-tool', [...args, '-s', `${RUN_DIR}/samba/etc/smb.conf`], { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function admin(kind: Kind): Promise<Client> {
  if (kind === 'openldap') {
    const c = new Client({ url: 'ldap://127.0.0.1:3890' });
    await c.bind('cn=admin,dc=example,dc=test', process.env.SLAPD_ROOTPW ?? 'secret');
    return c;
  }
  const c = new Client({
    url: 'ldaps://127.0.0.1:636',
    tlsOptions: { ca: [readFileSync(`${RUN_DIR}/samba/tls/ca.pem`, 'utf8')] },
  });
  await c.bind('Administrator@example.test', 'Passw0rd!Admin');
  return c;
}

const change = (operation: 'replace' | 'add' | 'delete', type: string, values: Array<string | Buffer> = []) =>
  new Change({ operation, modification: new Attribute({ type, values: values as string[] }) });

/** Modify, ignoring "no such attribute" / "already exists" (the state may already be so). */
async function mod(c: Client, dn: string, ch: Change): Promise<void> {
  try {
    await c.modify(dn, ch);
  } catch (e) {
    if (![16, 20].includes((e as { code?: number }).code ?? 0)) throw e;
  }
}

async function badBinds(kind: Kind): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const c =
      kind === 'openldap'
        ? new Client({ url: 'ldap://127.0.0.1:3890' })
        : new Client({
            url: 'ldaps://127.0.0.1:636',
            tlsOptions: { ca: [readFileSync(`${RUN_DIR}/samba/tls/ca.pem`, 'utf8')] },
          });
    await c.bind(kind === 'openldap' ? DN.openldap : 'quinn@example.test', 'Wr0ng-Guess!7').catch(() => undefined);
    await c.unbind().catch(() => undefined);
  }
}

async function resetLdap(c: Client, policy?: string): Promise<void> {
  const dn = DN.openldap;
  await mod(c, dn, change('delete', 'pwdPolicySubentry'));
  if (policy) await c.modify(dn, change('replace', 'pwdPolicySubentry', [`cn=${policy},${LDAP_POLICIES}`]));
  await c.exop(PASSWORD_MODIFY_OID, encodePasswordModifyRequest(dn, QUINN.password));
  for (const a of ['pwdAccountLockedTime', 'pwdReset']) await mod(c, dn, change('delete', a));
}

async function resetAd(c: Client, pso?: string): Promise<void> {
  const dn = DN.ad;
  // a PSO's msDS-PSAppliesTo is not writable over Samba's LDAP: samba-tool on the server's own database is
  const applied = String(
    (await c.search(dn, { scope: 'base', attributes: ['msDS-PSOApplied'] })).searchEntries[0]?.['msDS-PSOApplied'] ??
      '',
  );
  for (const p of ['lockout', 'expiring'])
    if (applied.includes(`CN=${p},`) && p !== pso)
      sambaTool('domain', 'passwordsettings', 'pso', 'unapply', p, 'quinn');
  if (pso && !applied.includes(`CN=${pso},`)) sambaTool('domain', 'passwordsettings', 'pso', 'apply', pso, 'quinn');
  await c.modify(dn, [
    change('replace', 'unicodePwd', [encodeUnicodePwd(QUINN.password)]),
    change('replace', 'lockoutTime', ['0']),
    change('replace', 'userAccountControl', ['512']),
  ]);
  await c.modify(dn, change('replace', 'pwdLastSet', ['-1']));
}

/**
 * The shared servers are restored from snapshots made before quinn existed in the fixtures: create what is missing
 * (the same objects the fixtures seed) so the tests stand on their own.
 */
async function ensureSeeded(c: Client, kind: Kind): Promise<void> {
  const exists = async (dn: string) =>
    (await c.search(dn, { scope: 'base', attributes: ['1.1'] }).then(
      (r) => r.searchEntries.length,
      () => 0,
    )) > 0;
  if (kind === 'openldap') {
    const policy = `cn=quick-expiry,${LDAP_POLICIES}`;
    if (!(await exists(policy))) {
      await c.add(policy, {
        objectClass: ['pwdPolicy', 'device'],
        cn: 'quick-expiry',
        pwdAttribute: 'userPassword',
        pwdMaxAge: String(QUICK_EXPIRY_S),
        pwdGraceAuthNLimit: '0',
        pwdMustChange: 'TRUE',
        pwdLockout: 'FALSE',
      });
    }
    if (!(await exists(DN.openldap))) {
      await c.add(DN.openldap, {
        objectClass: ['inetOrgPerson', 'posixAccount', 'shadowAccount'],
        uid: 'quinn',
        cn: 'Quinn Fixable',
        givenName: 'Quinn',
        sn: 'Fixable',
        mail: 'quinn@example.test',
        uidNumber: '19999',
        gidNumber: '1000',
        homeDirectory: '/home/uquinn',
        userPassword: QUINN.password,
      });
    }
    return;
  }
  if (!(await exists(DN.ad))) {
    await c.add(DN.ad, {
      objectClass: 'user',
      sAMAccountName: 'quinn',
      userPrincipalName: 'quinn@example.test',
      givenName: 'Quinn',
      sn: 'Fixable',
      mail: 'quinn@example.test',
      displayName: 'Quinn Fixable',
    });
  }
}

/** Puts quinn into a state; `expired` waits until the password has aged out. */
export async function putInState(kind: Kind, state: AccountState): Promise<void> {
  const c = await admin(kind);
  try {
    await ensureSeeded(c, kind);
    if (kind === 'openldap') {
      const policy = {
        normal: undefined,
        locked: 'lockout',
        disabled: 'lockout',
        expired: 'quick-expiry',
        mustChange: 'mustchange',
      }[state];
      await resetLdap(c, policy);
      if (state === 'disabled')
        await c.modify(DN.openldap, change('replace', 'pwdAccountLockedTime', ['000001010000Z']));
      if (state === 'mustChange') await c.modify(DN.openldap, change('replace', 'pwdReset', ['TRUE']));
    } else {
      const pso = {
        normal: undefined,
        locked: 'lockout',
        disabled: undefined,
        expired: 'expiring',
        mustChange: undefined,
      }[state];
      await resetAd(c, pso);
      // pwdLastSet cannot be back-dated over LDAP: set the password "50 days ago" under the 30-day PSO, as the fixture does for henry
      if (state === 'expired')
        execFileSync(
          'faketime',
          [
            '-f',
            '-50d',
            'samba-tool',
            'user',
            'setpassword',
            'quinn',
            `--newpassword=${QUINN.password}`,
            '-s',
            `${RUN_DIR}/samba/etc/smb.conf`,
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
      if (state === 'disabled') await c.modify(DN.ad, change('replace', 'userAccountControl', ['514']));
      if (state === 'mustChange') await c.modify(DN.ad, change('replace', 'pwdLastSet', ['0']));
    }
  } finally {
    await c.unbind().catch(() => undefined);
  }
  if (state === 'locked') await badBinds(kind);
  if (state === 'expired' && kind === 'openldap')
    await new Promise((r) => setTimeout(r, (QUICK_EXPIRY_S + 1.5) * 1000));
}

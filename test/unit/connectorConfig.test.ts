import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { directorySettings, pathsFor, readConfig, sealInPlace, secret, ConfigError } from '../../connector/config';
import { formatLine } from '../../shared/log';
import { loadOrCreateKey, open, seal } from '../../connector/secretBox';

function folder(cfg: unknown): string {
  const d = mkdtempSync(path.join(tmpdir(), 'cfg-'));
  writeFileSync(path.join(d, 'config.json'), JSON.stringify(cfg));
  return path.join(d, 'config.json');
}

describe('connector config', () => {
  const base = {
    LDAP_KIND: 'openldap',
    LDAP_URL: 'ldap://a, ldap://b',
    LDAP_BASE: 'dc=x',
    LDAP_BIND_USER: 'cn=svc,dc=x',
    LDAP_BIND_CREDENTIALS: 'Cl3ar-Secret!',
  };
  it('environment variables override the file; lists split on commas and spaces', () => {
    const f = folder(base);
    const { effective } = readConfig(f, { LDAP_BASE: 'dc=from-env' });
    const d = directorySettings(pathsFor(f), effective);
    assert.equal(d.baseDn, 'dc=from-env');
    assert.deepEqual(d.urls, ['ldap://a', 'ldap://b']);
    assert.equal(d.tls?.verify, true, 'TLS verification on by default');
  });
  it('seals clear secrets in place, owner-only, and opens them only in memory', () => {
    const f = folder(base);
    const p = pathsFor(f);
    assert.equal(sealInPlace(p, readConfig(f, {}).file), true);
    const text = readFileSync(f, 'utf8');
    assert.ok(!text.includes('Cl3ar-Secret!'));
    assert.equal(statSync(f).mode & 0o777, 0o600);
    assert.equal(statSync(p.secretsKey).mode & 0o777, 0o600);
    assert.equal(secret(p, readConfig(f, {}).effective, 'LDAP_BIND_CREDENTIALS'), 'Cl3ar-Secret!');
    assert.equal(sealInPlace(p, readConfig(f, {}).file), false, 'nothing left to seal');
  });
  it('names what is missing or wrong', () => {
    assert.throws(
      () => directorySettings(pathsFor(folder({})), {}),
      /missing settings: LDAP_URL, LDAP_BASE, LDAP_BIND_USER, LDAP_BIND_CREDENTIALS/,
    );
    assert.throws(() => readConfig(folder({ LDAP_URLS: 'x' }), {}), /unknown setting LDAP_URLS/);
    assert.throws(() => directorySettings(pathsFor(folder(base)), { ...base, LDAP_KIND: 'novell' }), ConfigError);
    const bad = path.join(mkdtempSync(path.join(tmpdir(), 'cfg-')), 'config.json');
    writeFileSync(bad, '{ nope');
    assert.throws(() => readConfig(bad, {}), /is not valid JSON/);
  });
  it('a secret sealed by another installation says so', () => {
    const a = loadOrCreateKey(path.join(mkdtempSync(path.join(tmpdir(), 'k-')), 'k'));
    const b = loadOrCreateKey(path.join(mkdtempSync(path.join(tmpdir(), 'k-')), 'k'));
    assert.equal(open(seal('x€', a), a, 'S'), 'x€');
    assert.throws(
      () => open(seal('x', a), b, 'LDAP_BIND_CREDENTIALS'),
      /LDAP_BIND_CREDENTIALS cannot be decrypted .* another installation/,
    );
  });
});

describe('log lines', () => {
  it('redact any field whose name suggests a secret, whoever logs it', () => {
    const line = formatLine('info', 'x', 'e', {
      user: 'alice',
      password: 'P',
      bindPassword: 'Q',
      jwt: 'a.b.c',
      signingKey: 'k',
      authorization: 'Bearer t',
      note: 'two words',
    });
    assert.match(
      line,
      /INFO {2}\[x\] e user=alice password=\[redacted\] bindPassword=\[redacted\] jwt=\[redacted\] signingKey=\[redacted\] authorization=\[redacted\] note="two words"$/,
    );
  });
});

import * as assert from 'node:assert/strict';
import { checkUsernameDomain, discoverConnection, domainOf } from '../../extension/hub/emailDomains';
import { inRanges } from '../../extension/hub/kerberosRanges';
import { contentSecurityPolicy, renderSignIn } from '../../extension/hub/signInPage';
import { classifyGssError, isNtlmToken } from '../../protocol/kerberosFallback';
import { readKeytab } from '../../connector/kerberos/keytab';
import { kerberosSettings } from '../../connector/kerberos/settings';
import { parseKerberosStatus } from '../../protocol/kerberosStatus';
import { pathsFor } from '../../connector/config';
import { clientFailure } from '../../extension/hub/kerberosTest';
import type { ConnectionRecord } from '../../extension/hub/state';

const conn = (name: string, emailDomains: string[], kerberosRanges: string[] = []): ConnectionRecord => ({
  name,
  emailDomains,
  kerberosRanges,
  cacheEnabled: true,
  createdAt: '',
});

describe('email domains', () => {
  const all = [
    conn('corp', ['example.com', 'corp.example.com']),
    conn('partner', ['partner.example']),
    conn('open', []),
  ];
  it('finds the connection by the domain of an address, case-insensitively', () => {
    assert.equal(discoverConnection(all, 'Alice@Corp.Example.com').name, 'corp');
    assert.equal(discoverConnection(all, 'bob@partner.example').name, 'partner');
    assert.equal(domainOf('alice'), undefined);
  });
  it('refuses a domain no connection lists, and a bare username, in sentences', () => {
    assert.throws(() => discoverConnection(all, 'x@evil.example'), /No connection signs in users of evil\.example/);
    assert.throws(() => discoverConnection(all, 'alice'), /Type your email address/);
  });
  it('refuses a username whose domain the connection does not list; plain names and unrestricted connections pass', () => {
    assert.throws(
      () => checkUsernameDomain(all[0], 'alice@partner.example'),
      /"alice@partner\.example" cannot sign in to corp: partner\.example is not one of its email domains \(example\.com, corp\.example\.com\)\./,
    );
    checkUsernameDomain(all[0], 'alice');
    checkUsernameDomain(all[0], 'alice@EXAMPLE.com');
    checkUsernameDomain(all[2], 'alice@anything.example');
  });
});

describe('Kerberos ranges', () => {
  it('matches IPv4, IPv4-mapped IPv6 and IPv6 addresses against CIDR ranges', () => {
    assert.equal(inRanges('10.1.2.3', ['10.0.0.0/8']), true);
    assert.equal(inRanges('::ffff:10.1.2.3', ['10.0.0.0/8']), true);
    assert.equal(inRanges('11.0.0.1', ['10.0.0.0/8']), false);
    assert.equal(inRanges('fd00::5', ['fd00::/8']), true);
    assert.equal(inRanges('127.0.0.2', ['127.0.0.2/32']), true);
    assert.equal(inRanges('127.0.0.1', ['127.0.0.2/32']), false);
    assert.equal(inRanges(undefined, ['0.0.0.0/0']), false);
    assert.equal(inRanges('10.0.0.1', []), false);
  });
});

describe('sign-in page HTML', () => {
  it('escapes every value and carries no script', () => {
    const html = renderSignIn(
      { step: 'password', connection: 'corp', username: '"><img src=x onerror=alert(1)>', reason: '<b>r</b>' },
      { csrf: 't', formAction: [] },
    );
    assert.doesNotMatch(html, /<img|<b>|<script/);
    assert.match(html, /&#34;&#62;&#60;img/);
  });
  it('the policy allows nothing but our stylesheet and forms to us (plus the Kerberos endpoint when given)', () => {
    assert.equal(
      contentSecurityPolicy([]),
      "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    assert.match(contentSecurityPolicy(['http://connector:8089']), /form-action 'self' http:\/\/connector:8089;/);
  });
});

describe('connector Kerberos settings and helpers', () => {
  const paths = pathsFor('/srv/connector/config.json');
  it('off unless KERBEROS_AUTH; on: keytab relative to the config, service name and URL from the principal', () => {
    assert.equal(kerberosSettings(paths, {}), undefined);
    const s = kerberosSettings(paths, {
      KERBEROS_AUTH: true,
      KERBEROS_KEYTAB: 'connector.keytab',
      KERBEROS_PRINCIPAL: 'HTTP/sso.example.com@EXAMPLE.COM',
    })!;
    assert.equal(s.keytab, '/srv/connector/connector.keytab');
    assert.equal(s.service, 'HTTP@sso.example.com');
    assert.equal(s.realm, 'EXAMPLE.COM');
    assert.equal(s.url, 'http://sso.example.com:8089/kerberos');
  });
  it('names the missing or wrong setting', () => {
    assert.throws(
      () => kerberosSettings(paths, { KERBEROS_AUTH: 'true' }),
      /KERBEROS_KEYTAB and KERBEROS_PRINCIPAL are not set/,
    );
    assert.throws(
      () => kerberosSettings(paths, { KERBEROS_AUTH: 'true', KERBEROS_KEYTAB: 'k', KERBEROS_PRINCIPAL: 'HTTP/host' }),
      /KERBEROS_PRINCIPAL must look like/,
    );
    assert.throws(
      () =>
        kerberosSettings(paths, {
          KERBEROS_AUTH: 'true',
          KERBEROS_KEYTAB: 'k',
          KERBEROS_PRINCIPAL: 'HTTP/h@R',
          KERBEROS_LISTEN: 'nope',
        }),
      /KERBEROS_LISTEN takes HOST:PORT/,
    );
  });
  it('classifies what GSS-API says into the reasons the page explains', () => {
    assert.equal(
      classifyGssError('Unspecified GSS failure.  Minor code may provide more information: Clock skew too great'),
      'skew',
    );
    assert.equal(
      classifyGssError('Request ticket server HTTP/x@R kvno 3 not found in keytab; keytab is likely out of date'),
      'keytab-version',
    );
    assert.equal(classifyGssError('Wrong principal in request'), 'wrong-principal');
    assert.equal(classifyGssError('Invalid token was supplied'), 'ticket');
    assert.equal(isNtlmToken(Buffer.from('NTLMSSP\0').toString('base64')), true);
  });
  it("reads a keytab's principals and key versions, and refuses what is not one", () => {
    // one entry: HTTP/localhost@EXAMPLE.TEST, kvno 2, enctype 23, a 16-byte key
    const parts = [
      Buffer.from([0, 2]),
      str('EXAMPLE.TEST'),
      str('HTTP'),
      str('localhost'),
      u32(1),
      u32(0),
      Buffer.from([2]),
      Buffer.from([0, 23, 0, 16]),
      Buffer.alloc(16),
      u32(2),
    ];
    const entry = Buffer.concat(parts);
    const kt = Buffer.concat([Buffer.from([5, 2]), i32(entry.length), entry]);
    assert.deepEqual(readKeytab(kt), [{ principal: 'HTTP/localhost@EXAMPLE.TEST', kvno: 2, enctype: 23 }]);
    assert.throws(() => readKeytab(Buffer.from('hello')), /not a keytab/);
  });
  it('the hub keeps only a well-formed Kerberos status from an instance', () => {
    assert.deepEqual(
      parseKerberosStatus({ on: true, ok: true, url: 'http://sso:8089/kerberos', principal: 'HTTP/sso@R' }),
      { on: true, ok: true, url: 'http://sso:8089/kerberos', principal: 'HTTP/sso@R', error: undefined },
    );
    assert.equal(parseKerberosStatus({ on: true, ok: true, url: 'javascript:alert(1)' })!.ok, false);
    assert.equal(parseKerberosStatus('x'), undefined);
  });
});

function str(s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

describe("the admin's Kerberos test says what failed in plain words", () => {
  it('no ticket, unknown principal, expired, skew', () => {
    assert.match(
      clientFailure('No Kerberos credentials available (default cache: FILE:/tmp/krb5cc_0)', 'HTTP@sso'),
      /^No ticket: /,
    );
    assert.match(
      clientFailure('Server not found in Kerberos database', 'HTTP@sso.example.com'),
      /^Wrong principal: the KDC does not know HTTP\/sso\.example\.com/,
    );
    assert.match(clientFailure('Ticket expired', 'HTTP@sso'), /has expired/);
    assert.match(clientFailure('Clock skew too great', 'HTTP@sso'), /^Clock skew/);
  });
});

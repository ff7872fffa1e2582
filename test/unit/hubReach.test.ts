import * as assert from 'node:assert/strict';
import { deploymentFiles } from '../../extension/deploy/deployment';
import {
  forThisMachineOnly,
  isLoopback,
  listenAddressProblem,
  reachableAddresses,
  ticketReachWarning,
} from '../../extension/deploy/hubReach';
import { lifetimeWords, usesWords } from '../../extension/panels/ticketWords';

describe('can a connector elsewhere reach the hub (issue 14, point 5)', () => {
  it('loopback: 127.x, ::1, localhost, in brackets too; not a LAN address or a name', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '0:0:0:0:0:0:0:1'])
      assert.equal(isLoopback(h), true, h);
    for (const h of ['192.0.2.2', '10.0.0.1', 'fd00::2', 'hub.corp.example', '127.0.0.1.example', '0.0.0.0'])
      assert.equal(isLoopback(h), false, h);
  });

  it('offers the addresses other machines can dial: not loopback, not link-local', () => {
    const got = reachableAddresses({
      lo: [
        { address: '127.0.0.1', family: 'IPv4', internal: true },
        { address: '::1', family: 'IPv6', internal: true },
      ],
      eth0: [
        { address: '192.0.2.2', family: 'IPv4', internal: false },
        { address: 'fe80::1', family: 'IPv6', internal: false },
        { address: 'fd00::2', family: 'IPv6', internal: false },
      ],
      wlan0: [{ address: '169.254.3.4', family: 'IPv4', internal: false }],
    });
    assert.deepEqual(got, [
      { address: '192.0.2.2', name: 'eth0' },
      { address: 'fd00::2', name: 'eth0' },
    ]);
  });

  it('a listen address is one the connectors can dial: no wildcard, scheme, port or path', () => {
    assert.equal(listenAddressProblem('192.0.2.2'), undefined);
    assert.equal(listenAddressProblem('hub.corp.example'), undefined);
    assert.equal(listenAddressProblem('fd00::2'), undefined);
    assert.match(listenAddressProblem('')!, /Type the address/);
    assert.match(listenAddressProblem('0.0.0.0')!, /wildcard/);
    assert.match(listenAddressProblem('::')!, /wildcard/);
    assert.match(listenAddressProblem('https://hub')!, /no scheme/);
    assert.match(listenAddressProblem('hub/x')!, /no scheme, port or path/);
    assert.match(listenAddressProblem('hub;rm')!, /IP address or a DNS name/);
  });

  it('a deployment for this machine only says so at the top of its README, after the title', () => {
    const files = deploymentFiles({ connection: 'corp', config: {} }, Buffer.from('//'));
    const marked = forThisMachineOnly(files, 'https://127.0.0.1:8843');
    const readme = String(marked.find((f) => f.path === 'README.md')!.content);
    const before = String(files.find((f) => f.path === 'README.md')!.content);
    assert.match(readme, /^# .*\n+> \*\*For this machine only\.\*\* The hub listens on https:\/\/127\.0\.0\.1:8843/);
    assert.ok(readme.endsWith(before.slice(before.indexOf('\n')).replace(/^\n+/, '')));
    assert.deepEqual(
      marked.filter((f) => f.path !== 'README.md'),
      files.filter((f) => f.path !== 'README.md'),
      'nothing else changes',
    );
  });
});

describe('a ticket announced in words (issue 14, point 4)', () => {
  const now = Date.parse('2026-11-29T00:00:00Z');
  it('says until when and for how long', () => {
    assert.match(lifetimeWords('2026-12-06T00:00:00Z', now), /^until .+ \(7 days\)$/);
    assert.match(lifetimeWords('2026-11-29T05:00:00Z', now), /\(5 hours\)$/);
    assert.match(lifetimeWords('2026-11-29T00:30:00Z', now), /\(30 minutes\)$/);
  });
  it('counts the connectors it registers', () => {
    assert.equal(usesWords(1), '1 new connector');
    assert.equal(usesWords(3), '3 new connectors');
  });
  it('on a loopback hub, says the URL works only on this machine and how to fix it; elsewhere says nothing', () => {
    assert.equal(
      ticketReachWarning('127.0.0.1', 'https://127.0.0.1:8843'),
      'The hub listens on https://127.0.0.1:8843, a loopback address: this URL works only for a connector on this ' +
        "machine. For a server elsewhere, set the hub's listen address first (directoryBridge.hub.host, which " +
        'Generate Connector Config offers to change), then generate a new ticket.',
    );
    assert.match(ticketReachWarning('::1', 'https://[::1]:8843') ?? '', /works only for a connector on this machine/);
    assert.equal(ticketReachWarning('192.0.2.2', 'https://192.0.2.2:8843'), undefined);
  });
});

/**
 * Failure drill: an LDAP "server" that misbehaves on purpose (garbage, truncated or oversized BER, silence, an
 * abrupt close, a result for a message nobody sent). The engine must answer each with a clear typed error, and a
 * connector process pointed at it must stay up and keep answering the hub.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { Directory } from '../../connector/directory';
import { rejectsWith } from '../helpers/servers';
import { admin, connectorConfigFor, login, logsContaining, stopAll } from '../helpers/processes';
import { connectorOnline, startHubWithCa } from '../helpers/hubFixtures';
import { PW } from '../helpers/fixtures';

type Behaviour = (socket: Socket, data: Buffer) => void;

/** A TCP server that lets `behave` answer whatever an LDAP client sends. */
async function badServer(behave: Behaviour): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (d) => {
      try {
        behave(socket, d);
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `ldap://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** The message id of the first LDAP message in a client packet (SEQUENCE { INTEGER id, ... }). */
function messageId(d: Buffer): number {
  let i = 1;
  if (d[i] & 0x80) i += d[i] & 0x7f;
  i += 1;
  const len = d[i + 1];
  return d.subarray(i + 2, i + 2 + len).reduce((a, b) => a * 256 + b, 0);
}

const BEHAVIOURS: Record<string, Behaviour> = {
  'random bytes': (s) => s.write(Buffer.from('e8a3ff00c1d2e3f4a5b6c7d8e9fa0b1c2d3e4f', 'hex')),
  'a truncated BER message, then silence': (s, d) =>
    s.write(Buffer.from([0x30, 0x84, 0x00, 0x00, 0x10, 0x00, 0x02, 0x01, messageId(d)])),
  'a BER length of 2 GB': (s) => s.write(Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01])),
  'an abrupt close': (s) => s.destroy(),
  silence: () => undefined,
  'a result for a message nobody sent': (s) =>
    s.write(Buffer.from([0x30, 0x0c, 0x02, 0x01, 0x63, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00])),
  'a bind result with an unknown protocol op': (s, d) =>
    s.write(Buffer.from([0x30, 0x0c, 0x02, 0x01, messageId(d), 0x7f, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00])),
};

describe('failure drill: a misbehaving LDAP server', function () {
  this.timeout(60_000);
  const servers: Server[] = [];
  after(async () => {
    for (const s of servers) s.close();
    await stopAll();
  });

  for (const [name, behave] of Object.entries(BEHAVIOURS)) {
    it(`${name}: a clear typed error, no crash`, async () => {
      const { server, url } = await badServer(behave);
      servers.push(server);
      const d = new Directory({
        kind: 'openldap',
        urls: [url],
        baseDn: 'dc=x',
        bindDn: 'cn=svc,dc=x',
        bindPassword: 'P4ss-Drill!',
        connectTimeoutMs: 1000,
        operationTimeoutMs: 1000,
      });
      try {
        const err = await rejectsWith(d.authenticate('alice', PW.alice), 'UnexpectedError');
        assert.match(
          err.name,
          /DirectoryUnavailableError|OperationTimeoutError|UnexpectedDirectoryError|ServiceBindError/,
        );
        assert.ok(err.message.length > 10, err.message);
      } finally {
        await d.close();
      }
    });
  }

  it('a connector process pointed at it stays up and answers the hub with the reason', async () => {
    const { server, url } = await badServer(BEHAVIOURS['random bytes']);
    servers.push(server);
    const { hub } = await startHubWithCa('hub-drill');
    await admin(hub, 'POST', 'connections', { name: 'drill' });
    const { proc: connector } = await connectorOnline(hub, 'drill', 'connector-drill', {
      config: {
        ...connectorConfigFor({
          kind: 'openldap',
          url,
          baseDn: 'dc=x',
          bindDn: 'cn=svc,dc=x',
          bindPassword: 'P4ss-Drill!',
        } as never),
        LDAP_TIMEOUT_MS: 1000,
      },
    });
    for (let i = 0; i < 20; i++) {
      const r = await login(hub, 'drill', 'alice', PW.alice);
      assert.equal(r.ok, false);
      assert.equal(r.error?.name, 'UnexpectedError');
    }
    assert.ok(connector.running, 'the connector did not exit');
    assert.deepEqual(logsContaining(['P4ss-Drill!', PW.alice]), []);
  });
});

/**
 * `troubleshoot`: each step a PASS/FAIL line with a hint, in the order a failure is usually found. Later steps
 * that depend on a failed one are skipped, not failed twice.
 */
import { lookup } from 'node:dns/promises';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { directorySettings, hubSettings, pathsFor, readConfig, type ConnectorPaths, type RawConfig } from './config';
import { Directory, tlsDescription, tlsOptionsFor } from './directory';
import { sniFor } from '../shared/hostnames';
import { plainLdapWarning } from '../shared/tlsWarning';
import { hubRequest } from './hubHttp';
import { loadOrCreateIdentity } from './identity';
import { decodeFrame, encodeFrame, EVENT } from '../protocol/messages';
import { parseTicketUrl } from '../protocol/ticketUrl';
import { signConnectorToken } from '../protocol/tokens';
import { kerberosChecks } from './kerberos/checks';

export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';
export interface StepResult {
  step: string;
  status: StepStatus;
  detail: string;
  hint?: string;
  ms: number;
}

const MAX_SKEW_MS = 30_000;

export async function troubleshoot(
  configFile: string,
  onStep: (r: StepResult) => void = () => undefined,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const run = async (
    step: string,
    fn: () => Promise<{ status?: StepStatus; detail: string; hint?: string }>,
    hint: string,
  ): Promise<boolean> => {
    const t0 = performance.now();
    let r: StepResult;
    try {
      const out = await fn();
      r = {
        step,
        status: out.status ?? 'pass',
        detail: out.detail,
        hint: out.hint,
        ms: Math.round(performance.now() - t0),
      };
    } catch (e) {
      r = { step, status: 'fail', detail: (e as Error).message, hint, ms: Math.round(performance.now() - t0) };
    }
    results.push(r);
    onStep(r);
    return r.status !== 'fail';
  };
  const skip = (step: string, why: string) => {
    const r: StepResult = { step, status: 'skip', detail: why, ms: 0 };
    results.push(r);
    onStep(r);
  };

  const paths: ConnectorPaths = pathsFor(configFile);
  let cfg: RawConfig = {};
  const configOk = await run(
    'Config valid',
    async () => {
      cfg = readConfig(paths.config).effective;
      directorySettings(paths, cfg);
      hubSettings(paths, cfg);
      return { detail: paths.config };
    },
    'fix config.json (the message names the setting), or run setup --ticket <URL>',
  );
  if (!configOk) return results;
  const dir = directorySettings(paths, cfg);
  const dirTls = dir.tls ?? {};
  const hub = hubSettings(paths, cfg);
  const ldap = new URL(dir.urls[0]);
  const ldapPort = Number(ldap.port || (ldap.protocol === 'ldaps:' ? 636 : 389));
  const hubUrl = new URL(hub.adHub);
  const hubPort = Number(hubUrl.port || 443);

  const dnsOk = await run(
    'DNS',
    async () => {
      const names = [...new Set([ldap.hostname, hubUrl.hostname])];
      const found = await Promise.all(
        names.map(async (n) => `${n} → ${(await lookup(n.replace(/^\[|\]$/g, ''))).address}`),
      );
      return { detail: found.join(', ') };
    },
    "check the host names in LDAP_URL and AD_HUB, and this server's DNS settings",
  );

  const tcpOk = dnsOk
    ? await run(
        'TCP',
        async () => {
          await Promise.all([tcp(ldap.hostname, ldapPort), tcp(hubUrl.hostname, hubPort)]);
          return { detail: `${ldap.hostname}:${ldapPort} and ${hubUrl.hostname}:${hubPort} accept connections` };
        },
        'is the server running, the port right, and a firewall open between here and there?',
      )
    : (skip('TCP', 'DNS failed'), false);

  const tlsOk = tcpOk
    ? await run(
        'TLS and certificate chain',
        async () => {
          const checked: string[] = [];
          if (ldap.protocol === 'ldaps:') {
            await tlsHandshake(ldap.hostname, ldapPort, tlsOptionsFor(dir.urls[0], dirTls)).catch((e) => {
              throw new Error(tlsDescription(e, dir.urls[0], dirTls));
            });
            checked.push(`directory ${ldap.host}`);
          }
          await tlsHandshake(hubUrl.hostname, hubPort, {
            ...(hub.caPem ? { ca: hub.caPem } : {}),
            servername: sniFor(hubUrl.hostname),
          }).catch((e) => {
            throw new Error(`hub ${hubUrl.host}: ${(e as Error).message}`);
          });
          checked.push(`hub ${hubUrl.host}`);
          const plain = plainLdapWarning(dir.urls, dirTls.startTls === true);
          return plain
            ? {
                status: 'warn' as const,
                detail: `${checked.join(', ')} verified; ${plain}`,
                hint: 'use ldaps:// or LDAP_STARTTLS so that passwords do not cross the network in clear',
              }
            : { detail: `${checked.join(', ')} verified${dirTls.startTls ? ' (directory uses StartTLS)' : ''}` };
        },
        "set LDAP_CA_FILE to the CA that signed the directory's certificate, and CA_CERT to the hub's CA",
      )
    : (skip('TLS and certificate chain', 'TCP failed'), false);

  const directory = new Directory(dir);
  let bindOk = false;
  try {
    bindOk = tlsOk
      ? await run(
          'Service account bind',
          async () => {
            const h = await directory.health();
            if (!h.ok) throw new Error(h.error);
            return { detail: `${dir.bindDn} bound to ${h.url} (${h.kind}) in ${h.latencyMs?.toFixed(0)} ms` };
          },
          'check LDAP_BIND_USER and LDAP_BIND_CREDENTIALS; AD accepts user@domain or the full DN',
        )
      : (skip('Service account bind', 'TLS failed'), false);

    if (bindOk) {
      await run(
        'Test search',
        async () => {
          let n = 0;
          for await (const page of directory.searchUsers('', 5)) n += page.length;
          if (n === 0)
            return {
              status: 'warn',
              detail: `no user under ${dir.baseDn} matches the search-all filter`,
              hint: 'check LDAP_BASE and LDAP_SEARCH_ALL_QUERY',
            };
          // the check reads at most 5: say what that proves rather than "5+"
          return {
            detail: `the service account can read users under ${dir.baseDn} (${n === 5 ? 'the first 5 read' : `${n} found`})`,
          };
        },
        'check LDAP_BASE and that the service account may read users',
      );
    } else skip('Test search', 'the service account could not bind');
    await kerberosChecks(paths, cfg, run, skip, bindOk ? directory : undefined, dir.baseDn);
  } finally {
    await directory.close();
  }

  const testUrl = `https://${hubUrl.host}/test`;
  let hubClock: number | undefined;
  const hubOk = tcpOk
    ? await run(
        'Hub /test reachable',
        async () => {
          const t0 = Date.now();
          const r = await hubRequest(testUrl, { caPem: hub.caPem });
          if (r.status !== 200 || typeof (r.body as { clock?: unknown })?.clock !== 'number')
            throw new Error(`${testUrl} answered ${r.status}`);
          hubClock = (r.body as { clock: number }).clock + (Date.now() - t0) / 2;
          return { detail: `${testUrl} answered in ${Date.now() - t0} ms` };
        },
        'is the hub running at AD_HUB?',
      )
    : (skip('Hub /test reachable', 'TCP failed'), false);

  if (hubOk && hubClock !== undefined) {
    const skew = Date.now() - hubClock;
    await run(
      'Clock skew',
      async () => {
        if (Math.abs(skew) > MAX_SKEW_MS)
          throw new Error(
            `this server's clock is ${(skew / 1000).toFixed(1)} s ${skew > 0 ? 'ahead of' : 'behind'} the hub`,
          );
        return { detail: `${Math.round(skew)} ms` };
      },
      "synchronise this server's clock (NTP): tokens are refused with a skew over 30 s",
    );
  } else skip('Clock skew', 'the hub was not reachable');

  if (hubOk && hub.ticket) {
    await run(
      'Ticket valid',
      async () => {
        const t = parseTicketUrl(hub.ticket!);
        const r = await hubRequest(t.infoUrl, { caPem: hub.caPem });
        if (r.status === 404) throw new Error('the hub does not know the ticket, or it was revoked');
        if (r.status !== 200) throw new Error(`/info answered ${r.status}`);
        return { detail: `ticket for connection "${(r.body as { connectionName?: string }).connectionName}"` };
      },
      'generate a new ticket and run setup again',
    );
  } else
    skip(
      'Ticket valid',
      hub.ticket
        ? 'the hub was not reachable'
        : 'no ticket here, and none is needed once the certificate is registered (next check): the editor registers its own connector without one',
    );

  if (hubOk) {
    await run(
      'Certificate registered',
      async () => {
        const identity = await loadOrCreateIdentity(paths);
        const answer = await authenticateOnce(
          hub.adHub,
          hub.caPem,
          await signConnectorToken(identity.privateKey, {
            connection: hub.connection,
            realm: hub.realm,
            host: 'troubleshoot',
            version: 'troubleshoot',
          }),
        );
        if (answer !== EVENT.authenticated)
          throw new Error(`the hub answered "${answer}" to this connector's certificate`);
        return { detail: `the hub accepts this connector's certificate for "${hub.connection}"` };
      },
      'run setup --ticket <URL> again (the certificate may have been removed or its ticket revoked)',
    );
  } else skip('Certificate registered', 'the hub was not reachable');
  return results;
}

function tcp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host: host.replace(/^\[|\]$/g, ''), port, timeout: 5000 }, () => {
      s.end();
      resolve();
    });
    s.on('timeout', () => {
      s.destroy();
      reject(new Error(`${host}:${port} did not answer within 5 s`));
    });
    s.on('error', (e) => reject(new Error(`${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
  });
}

function tlsHandshake(host: string, port: number, options: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: host.replace(/^\[|\]$/g, ''), port, timeout: 5000, ...options }, () => {
      s.end();
      resolve();
    });
    s.on('timeout', () => {
      s.destroy();
      reject(new Error('TLS handshake timed out'));
    });
    s.on('error', reject);
  });
}

function authenticateOnce(adHub: string, caPem: string | undefined, jwt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(adHub, { ...(caPem ? { ca: caPem } : {}), handshakeTimeout: 5000 });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no answer from the hub within 5 s'));
    }, 5000);
    ws.on('open', () => ws.send(encodeFrame(EVENT.authenticate, { jwt })));
    ws.on('message', (d, bin) => {
      const f = decodeFrame(d, bin, 1 << 20);
      if (f.ok && (f.frame.n === EVENT.authenticated || f.frame.n === EVENT.authenticationFailure)) {
        clearTimeout(timer);
        ws.close();
        resolve(f.frame.n);
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

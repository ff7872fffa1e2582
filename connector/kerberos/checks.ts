/**
 * Troubleshoot's Kerberos steps, when KERBEROS_AUTH is on: the native module loads, the keytab is readable and holds
 * the service principal (and the key version the directory has), the KDC answers, the clocks agree, and a self-test
 * gets a ticket for the service as the service account (from the keytab) and accepts it with the keytab.
 */
import { resolveSrv } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { enabled, type ConnectorPaths, type RawConfig } from '../config';
import type { Directory } from '../directory';
import { classifyGssError } from '../../protocol/kerberosFallback';
import { readKeytab, type KeytabEntry } from './keytab';
import { kerberosSearchDirs, loadKerberos, type KerberosModule } from '../../shared/kerberosModule';
import { kerberosSettings, type KerberosSettings } from './settings';

type Outcome = { status?: 'pass' | 'fail' | 'warn' | 'skip'; detail: string; hint?: string };
export type Run = (step: string, fn: () => Promise<Outcome>, hint: string) => Promise<boolean>;
export type Skip = (step: string, why: string) => void;

const MAX_KERBEROS_SKEW_S = 300;

export const SELF_TEST_HINTS: Record<string, string> = {
  skew: 'the clocks of this server and the KDC differ by more than 5 minutes: synchronise them (NTP)',
  'keytab-version':
    'the keytab holds an older key version than the directory: export the keytab again (ktpass / samba-tool domain exportkeytab)',
  'wrong-principal':
    'the keytab has no key for the principal the ticket names: check KERBEROS_PRINCIPAL and the SPN (setspn -L / samba-tool spn list)',
  keytab: 'the keytab could not decrypt the ticket: export it again for this principal',
  ticket: 'the KDC or the service refused the ticket: check that the SPN is registered on exactly one account',
};

/** KDCs for a realm: krb5.conf first (KRB5_CONFIG or /etc/krb5.conf), then DNS SRV records. */
export async function kdcsOf(realm: string): Promise<Array<{ host: string; port: number; from: string }>> {
  const file = process.env.KRB5_CONFIG?.split(':')[0] || '/etc/krb5.conf';
  const out: Array<{ host: string; port: number; from: string }> = [];
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const block = new RegExp(`^\\s*${realm.replace(/\./g, '\\.')}\\s*=\\s*\\{([^}]*)\\}`, 'mi').exec(text)?.[1] ?? '';
    for (const m of block.matchAll(/^\s*kdc\s*=\s*(\S+)/gm)) {
      const [host, port] = m[1].replace(/^\[|\]$/g, '').split(/:(?=\d+$)/);
      out.push({ host, port: Number(port ?? 88), from: file });
    }
  }
  if (out.length === 0) {
    const srv = await resolveSrv(`_kerberos._tcp.${realm.toLowerCase()}`).catch(() => []);
    for (const s of srv) out.push({ host: s.name, port: s.port, from: 'DNS SRV' });
  }
  return out;
}

function tcp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host, port, timeout: 3000 }, () => {
      s.end();
      resolve();
    });
    s.on('timeout', () => {
      s.destroy();
      reject(new Error(`${host}:${port} did not answer within 3 s`));
    });
    s.on('error', (e) => reject(new Error(`${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
  });
}

/** Gets a ticket for the service as `client` (keys from the keytab) and accepts it as the service. */
export async function selfTest(k: KerberosModule, s: KerberosSettings, client: string): Promise<string> {
  process.env.KRB5_KTNAME = `FILE:${s.keytab}`;
  process.env.KRB5_CLIENT_KTNAME = `FILE:${s.keytab}`;
  process.env.KRB5CCNAME = 'MEMORY:directory-bridge-troubleshoot';
  const c = await k.initializeClient(s.service, { principal: client });
  const token = await c.step('');
  const server = await k.initializeServer(s.service);
  await server.step(token);
  return server.username;
}

export async function kerberosChecks(
  paths: ConnectorPaths,
  cfg: RawConfig,
  run: Run,
  skip: Skip,
  directory?: Directory,
  baseDn = '',
): Promise<void> {
  // with Kerberos off, troubleshoot says nothing about it
  if (!enabled(cfg, 'KERBEROS_AUTH')) return;
  let s: KerberosSettings | undefined;
  const settingsOk = await run(
    'Kerberos settings',
    async () => {
      s = kerberosSettings(paths, cfg)!;
      return { detail: `${s.principal}, keytab ${s.keytab}, endpoint ${s.url}` };
    },
    'set KERBEROS_KEYTAB and KERBEROS_PRINCIPAL (HTTP/host@REALM), or turn KERBEROS_AUTH off',
  );
  if (!settingsOk || !s) return;
  const st = s;
  let k: KerberosModule | undefined;
  await run(
    'Kerberos module',
    async () => {
      const r = loadKerberos(kerberosSearchDirs(paths.dir));
      if (!r.ok) throw new Error(`the native "kerberos" module cannot be loaded: ${r.error}`);
      k = r.module;
      return { detail: r.from };
    },
    'run "npm install kerberos@7" next to config.json (needs the Kerberos development files, a C++ compiler, make and python3)',
  );

  let entries: KeytabEntry[] = [];
  const keytabOk = await run(
    'Keytab',
    async () => {
      entries = readKeytab(readFileSync(st.keytab));
      const mine = entries.filter((e) => e.principal.toLowerCase() === st.principal.toLowerCase());
      if (!mine.length)
        throw new Error(
          `${st.keytab} holds no key for ${st.principal}; it holds ${[...new Set(entries.map((e) => e.principal))].join(', ') || 'nothing'}`,
        );
      let dirKvno: number | undefined;
      if (directory) {
        try {
          for await (const page of directory.search({
            base: baseDn,
            filter: `(servicePrincipalName=${st.principal.split('@')[0]})`,
            attributes: ['msDS-KeyVersionNumber'],
            limit: 1,
          })) {
            const v = Number(page[0]?.['msDS-KeyVersionNumber']);
            if (Number.isFinite(v) && v > 0) dirKvno = v;
          }
        } catch {
          /* not AD, or not readable: the self-test still catches a stale key */
        }
      }
      const kvnos = [...new Set(mine.map((e) => e.kvno))];
      if (dirKvno !== undefined && !kvnos.includes(dirKvno)) {
        throw new Error(
          `the keytab holds key version ${kvnos.join(', ')} of ${st.principal} but the directory is at version ${dirKvno}`,
        );
      }
      return {
        detail: `${st.principal}, key version ${kvnos.join(', ')}${dirKvno !== undefined ? " (the directory's too)" : ''}, ${mine.length} key${mine.length > 1 ? 's' : ''}`,
      };
    },
    'export the keytab again for this principal: ktpass on Active Directory, samba-tool domain exportkeytab on Samba',
  );

  let kdcOk = false;
  await run(
    'KDC reachable',
    async () => {
      const kdcs = await kdcsOf(st.realm);
      if (!kdcs.length)
        throw new Error(`no KDC found for ${st.realm} in krb5.conf or DNS (_kerberos._tcp.${st.realm.toLowerCase()})`);
      const errors: string[] = [];
      for (const kdc of kdcs) {
        try {
          await tcp(kdc.host, kdc.port);
          kdcOk = true;
          return { detail: `${kdc.host}:${kdc.port} (from ${kdc.from})` };
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
      throw new Error(errors.join('; '));
    },
    "check krb5.conf's [realms] kdc entry or the _kerberos._tcp DNS records, and the firewall (port 88)",
  );

  await run(
    'Kerberos clock skew',
    async () => {
      if (!directory) return { status: 'skip', detail: 'the directory is not reachable' };
      let dcTime: number | undefined;
      for await (const page of directory.search({
        base: '',
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['currentTime'],
        limit: 1,
      })) {
        const t = String(page[0]?.currentTime ?? '');
        const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)/.exec(t);
        if (m) dcTime = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
      }
      if (dcTime === undefined)
        return { status: 'skip', detail: 'the directory does not publish its time (rootDSE currentTime)' };
      const skew = (Date.now() - dcTime) / 1000;
      if (Math.abs(skew) > MAX_KERBEROS_SKEW_S)
        throw new Error(
          `this server's clock is ${Math.abs(skew).toFixed(0)} s ${skew > 0 ? 'ahead of' : 'behind'} the domain controller (Kerberos allows 300 s)`,
        );
      return { detail: `${skew.toFixed(1)} s from the domain controller's clock (Kerberos allows 300 s)` };
    },
    "synchronise this server's clock with the domain (NTP)",
  );

  if (!k || !keytabOk || !kdcOk)
    return skip(
      'Kerberos self-test',
      !k ? 'the module did not load' : !keytabOk ? 'the keytab is not usable' : 'no KDC answered',
    );
  const client = entries.find((e) => !e.principal.split('@')[0].includes('/'))?.principal;
  if (!client) {
    await run(
      'Kerberos self-test',
      async () => ({
        status: 'warn',
        detail: 'the keytab holds only the service principal, so no ticket can be obtained from it',
        hint: 'export the service account into the same keytab too (see the deployment README) to enable this test',
      }),
      '',
    );
    return;
  }
  await run(
    'Kerberos self-test',
    async () => {
      try {
        const user = await selfTest(k!, st, client);
        return { detail: `got a ticket for ${st.principal} as ${client} and accepted it (as ${user})` };
      } catch (e) {
        const code = classifyGssError((e as Error).message);
        throw new Error(`${SELF_TEST_HINTS[code] ?? code}: ${(e as Error).message.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
    },
    'see the message; "setspn -Q HTTP/host" (AD) or "samba-tool spn list ACCOUNT" (Samba) shows where the principal is registered',
  );
}

/**
 * `directory-bridge-hub`: the hub without VS Code, for servers, scripts, tests and benchmarks.
 * `serve` runs it; every other command finds the running hub through --state and uses its admin API.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createLogger, parseLevel } from '../../shared/log';
import { adminRequest, AdminApiError, announce, defaultStateDir, withdraw } from './adminClient';
import { Hub, DEFAULT_PORT } from './hub';
import { limitProblem, type LimitName } from '../../protocol/limits';

const USAGE = `usage: directory-bridge-hub <command> [--state DIR]

  serve [--listen HOST:PORT] [--public-host NAME] [--log-level debug|info|warn|error] [--retention-days N]
        [--request-timeout MS] [--unresponsive-after N]
                                                     an instance that lets N requests in a row (3) go
                                                     unanswered for MS (15000) is marked unresponsive
  connection create NAME [--email-domain D]... [--kerberos-range CIDR]... [--no-cache] [--no-approval]
  connection list | connection delete NAME | connection cache NAME on|off | connection approval NAME on|off
  ticket create CONNECTION [--lifetime SECONDS] [--uses N] [--purpose TEXT] [--plain]
                                                     prints the ticket URL, with #ca=sha256:<pin> unless --plain;
                                                     it registers N new connectors (default 1); the purpose is
                                                     shown in the list and the editor's tree
  ticket list CONNECTION | ticket revoke TICKET_ID   the list shows uses left and what each ticket registered
  instances CONNECTION                               live connector instances (JSON)
  instance pending CONNECTION                        instances waiting for approval: host, address, thumbprint, ticket
  instance approve THUMBPRINT | instance reject THUMBPRINT
  certificates CONNECTION | certificate remove THUMBPRINT
  login CONNECTION USERNAME                          password from standard input; prints the result (JSON)
  kerberos-test CONNECTION [--ccache FILE:PATH]      signs in with your own Kerberos ticket through an instance (JSON)
  search CONNECTION QUERY [--limit N]
  groups CONNECTION
  ca                                                 prints the hub's CA certificate (PEM)

--state defaults to ${defaultStateDir()}; --listen defaults to 127.0.0.1:${DEFAULT_PORT}.`;

interface Args {
  positional: string[];
  flags: Map<string, string[]>;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split(/=(.*)/s, 2);
      const boolean = k.startsWith('no-') || k === 'help' || k === 'plain';
      const v = inline ?? (boolean ? 'true' : argv[++i]);
      if (v === undefined) throw new Error(`--${k} needs a value`);
      flags.set(k, [...(flags.get(k) ?? []), v]);
    } else positional.push(a);
  }
  return { positional, flags };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error(
      'the password is read from standard input: pipe it in (echo -n "$PW" | directory-bridge-hub login ...)',
    );
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function serve(stateDir: string, args: Args): Promise<void> {
  const listen = args.flags.get('listen')?.[0] ?? `127.0.0.1:${DEFAULT_PORT}`;
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen takes HOST:PORT, got ${listen}`);
  const host = m[1].replace(/^\[|\]$/g, '');
  const log = createLogger('hub', { level: parseLevel(args.flags.get('log-level')?.[0]) });
  const retentionDays = args.flags.get('retention-days')?.[0];
  if (retentionDays !== undefined && !(Number(retentionDays) > 0))
    throw new Error(`--retention-days takes a positive number of days, got ${retentionDays}`);
  const positive = (k: string) => {
    const v = args.flags.get(k)?.[0];
    if (v === undefined) return undefined;
    if (!/^[1-9]\d*$/.test(v)) throw new Error(`--${k} takes a positive whole number, got ${v}`);
    return Number(v);
  };
  const hub = await Hub.start({
    stateDir,
    host,
    port: Number(m[2]),
    publicHost: args.flags.get('public-host')?.[0],
    log,
    retentionMs: retentionDays ? Number(retentionDays) * 864e5 : undefined,
    requestTimeoutMs: positive('request-timeout'),
    unresponsiveAfter: positive('unresponsive-after'),
  });
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost')
    log.warn('hub.listen.exposed', { host, message: 'the hub listens beyond loopback' });
  announce(stateDir, { url: hub.url, pid: process.pid }, hub.adminToken);
  process.stdout.write(`hub listening on ${hub.url} (connectors dial ${hub.adHubUrl})\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    withdraw(stateDir);
    await hub.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function onOff(v: string | undefined): boolean {
  if (v !== 'on' && v !== 'off') throw new Error(`expected on or off, got ${v ?? 'nothing'}\n\n${USAGE}`);
  return v === 'on';
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const stateDir = path.resolve(args.flags.get('state')?.[0] ?? defaultStateDir());
  const [cmd, sub, x, y] = args.positional;
  const out = (v: unknown) => process.stdout.write((typeof v === 'string' ? v : JSON.stringify(v, null, 2)) + '\n');
  const api = <T>(method: string, p: string, body?: unknown) => adminRequest<T>(stateDir, method, p, body);
  const need = (v: string | undefined, what: string) => {
    if (!v) throw new Error(`missing ${what}\n\n${USAGE}`);
    return v;
  };
  const enc = encodeURIComponent;

  switch (cmd) {
    case 'serve':
      await serve(stateDir, args);
      return -1;
    case 'connection':
      if (sub === 'create') {
        out(
          await api('POST', 'connections', {
            name: need(x, 'NAME'),
            emailDomains: args.flags.get('email-domain') ?? [],
            kerberosRanges: args.flags.get('kerberos-range') ?? [],
            cacheEnabled: !args.flags.has('no-cache'),
            requireApproval: !args.flags.has('no-approval'),
          }),
        );
        return 0;
      }
      if (sub === 'list') {
        out(await api('GET', 'connections'));
        return 0;
      }
      if (sub === 'delete') {
        out(await api('DELETE', `connections/${enc(need(x, 'NAME'))}`));
        return 0;
      }
      if (sub === 'cache') {
        out(await api('PATCH', `connections/${enc(need(x, 'NAME'))}`, { cacheEnabled: onOff(y) }));
        return 0;
      }
      if (sub === 'approval') {
        out(await api('PATCH', `connections/${enc(need(x, 'NAME'))}`, { requireApproval: onOff(y) }));
        return 0;
      }
      break;
    case 'ticket':
      if (sub === 'create') {
        const lifetime = args.flags.get('lifetime')?.[0];
        const uses = args.flags.get('uses')?.[0];
        const purpose = args.flags.get('purpose')?.[0];
        if (uses !== undefined && !/^\d+$/.test(uses)) throw new Error(`--uses takes a whole number, got ${uses}`);
        const t = await api<{ url: string; pinnedUrl: string }>(
          'POST',
          `connections/${enc(need(x, 'CONNECTION'))}/tickets`,
          {
            ...(lifetime ? { lifetimeSeconds: Number(lifetime) } : {}),
            ...(uses ? { uses: Number(uses) } : {}),
            ...(purpose ? { purpose } : {}),
          },
        );
        out(args.flags.has('plain') ? t.url : t.pinnedUrl);
        return 0;
      }
      if (sub === 'list') {
        out(await api('GET', `connections/${enc(need(x, 'CONNECTION'))}/tickets`));
        return 0;
      }
      if (sub === 'revoke') {
        out(await api('POST', `tickets/${enc(need(x, 'TICKET_ID'))}/revoke`));
        return 0;
      }
      break;
    case 'instances':
      out(await api('GET', `connections/${enc(need(sub, 'CONNECTION'))}/instances`));
      return 0;
    case 'instance':
      if (sub === 'pending') {
        out(await api('GET', `connections/${enc(need(x, 'CONNECTION'))}/pending`));
        return 0;
      }
      if (sub === 'approve') {
        out(await api('POST', `certificates/${enc(need(x, 'THUMBPRINT'))}/approve`));
        return 0;
      }
      if (sub === 'reject') {
        out(await api('POST', `certificates/${enc(need(x, 'THUMBPRINT'))}/reject`));
        return 0;
      }
      break;
    case 'certificates':
      out(await api('GET', `connections/${enc(need(sub, 'CONNECTION'))}/certificates`));
      return 0;
    case 'certificate':
      if (sub === 'remove') {
        out(await api('DELETE', `certificates/${enc(need(x, 'THUMBPRINT'))}`));
        return 0;
      }
      break;
    case 'login': {
      const password = await readStdin();
      refuseTooLong({ username: x, password });
      const r = await api<{ ok: boolean }>('POST', `connections/${enc(need(sub, 'CONNECTION'))}/login`, {
        username: need(x, 'USERNAME'),
        password,
      });
      out(r);
      return r.ok ? 0 : 1;
    }
    case 'kerberos-test': {
      const cc = args.flags.get('ccache')?.[0];
      const r = await api<{ ok: boolean }>(
        'POST',
        `connections/${enc(need(sub, 'CONNECTION'))}/kerberos-test`,
        cc ? { ccache: cc } : {},
      );
      out(r);
      return r.ok ? 0 : 1;
    }
    case 'search':
      refuseTooLong({ search: x });
      out(
        await api('POST', `connections/${enc(need(sub, 'CONNECTION'))}/search`, {
          query: x ?? '',
          limit: Number(args.flags.get('limit')?.[0] ?? 50),
        }),
      );
      return 0;
    case 'groups':
      out(await api('GET', `connections/${enc(need(sub, 'CONNECTION'))}/groups`));
      return 0;
    case 'ca':
      out(readFileSync(path.join(stateDir, 'ca.pem'), 'utf8').trim());
      return 0;
    case undefined:
    case 'help':
      out(USAGE);
      return cmd ? 0 : 2;
  }
  throw new Error(`unknown command: ${args.positional.join(' ')}\n\n${USAGE}`);
}

/** Refused here, before the hub is asked: the first place that sees the input names the limit. */
function refuseTooLong(values: Partial<Record<LimitName, string | undefined>>): void {
  for (const [k, v] of Object.entries(values)) {
    const problem = limitProblem(k as LimitName, v);
    if (problem) throw new Error(problem);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e) => {
    process.stderr.write(
      `directory-bridge-hub: ${e instanceof AdminApiError || e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exit(e instanceof AdminApiError && e.status === 0 ? 3 : 1);
  },
);

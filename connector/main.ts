/**
 * `directory-bridge-connector`: setup from a ticket, start (answer the hub until stopped), troubleshoot.
 * Runs on any server with Node 20 or later; never exits because the hub or the directory went away.
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import {
  directorySettings,
  enabled,
  hubSettings,
  numberSetting,
  pathsFor,
  readConfig,
  sealInPlace,
  secret,
  writeConfig,
  ConfigError,
  type RawConfig,
} from './config';
import { plainLdapWarning } from '../shared/tlsWarning';
import { Directory } from './directory';
import { HubClient } from './hubClient';
import { loadOrCreateIdentity } from './identity';
import { createLogger, parseLevel } from '../shared/log';
import { signingKeyBytes, thumbprint } from '../protocol/tokens';
import { startKerberos } from './kerberos/start';
import { AGENT_VERSION, provision, ProvisionError, registerCertificate } from './provision';
import { memoryReport } from './memory';
import { RequestHandler } from './requestHandler';
import { troubleshoot } from './troubleshoot';
import { readFileSync } from 'node:fs';
import { BundleError, openBundle, parseBundle } from '../protocol/bundle';
import { readSecret } from './prompt';
import * as path from 'node:path';
import { adoptInstallation, formatAdoptReport } from './adopt';

const USAGE = `usage: directory-bridge-connector <command> [--config FILE]

  setup [--ticket URL] [--hub-ca FILE] register with the hub (ticket from config.json if not given)
  set-password                          seal the service account password into config.json (read without echo)
  import-bundle FILE                    join a connection from an instance bundle (asks for its passphrase)
  adopt DIR [--json]                    take over a folder of the deployed AD/LDAP connector: its registered
                                        certificate, settings, password and profileMapper.js (config written
                                        to DIR/config.json unless --config; the original kept as config.deployed.json)
  certificate [--json]                  print this installation's certificate and thumbprint (public), making
                                        its key pair first if it has none; the private key stays in certs/
  start                                 connect to the hub and answer requests until stopped (SIGTERM)
  troubleshoot [--json]                 check config, DNS, TCP, TLS, bind, search, hub, clock, ticket, certificate
  version

--config defaults to ./config.json. Settings in config.json can be overridden by environment variables of the
same names (LDAP_URL, LDAP_BIND_CREDENTIALS, ...). Secrets are encrypted at rest with certs/secrets.key.`;

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

async function start(configFile: string): Promise<void> {
  const paths = pathsFor(configFile);
  const { file, effective } = readConfig(paths.config);
  const log = createLogger('connector', {
    level: parseLevel(effective.LOG_LEVEL as string | undefined),
    write: (l) => process.stdout.write(l + '\n'),
  });
  if (sealInPlace(paths, file))
    log.info('connector.config.sealed', {
      file: paths.config,
      message: 'clear-text secrets in config.json were encrypted',
    });
  const hub = hubSettings(paths, effective);
  const identity = await loadOrCreateIdentity(paths);
  let signingKey = hub.signingKey;
  if (hub.ticket) {
    // re-provision on every start: a no-op for a registered certificate, and it picks up a rotated signing key
    try {
      signingKey = await registerCertificate(hub.ticket, identity, hub.caPem, 'https://127.0.0.1/', {
        connection: hub.connection,
        realm: hub.realm,
      });
    } catch (e) {
      log.warn('connector.reprovision.failed', {
        error: (e as Error).message,
        message: 'continuing with the saved signing key',
      });
    }
  }
  const dirSettings = directorySettings(paths, effective);
  const insecure = plainLdapWarning(dirSettings.urls, dirSettings.tls?.startTls === true);
  if (insecure) log.warn('connector.config.insecure_ldap', { message: insecure });
  const directory = new Directory(dirSettings, log.child('directory'));
  const kerberos = await startKerberos({
    paths,
    config: effective,
    adHub: hub.adHub,
    connection: hub.connection,
    realm: hub.realm,
    privateKey: identity.privateKey,
    thumbprint: thumbprint(identity.certificateDer),
    host: os.hostname(),
    profileOf: (name) => directory.profileOfUser(name),
    log: log.child('kerberos'),
  });
  const writeBack = enabled(effective, 'ENABLE_WRITE_BACK');
  const handler = new RequestHandler(directory, log, writeBack);
  const client = new HubClient({
    adHub: hub.adHub,
    caPem: hub.caPem,
    connection: hub.connection,
    realm: hub.realm,
    privateKey: identity.privateKey,
    signingKey: signingKeyBytes(signingKey),
    host: os.hostname(),
    version: AGENT_VERSION,
    log,
    handle: (event, claims) => handler.handle(event, claims),
    health: async () => {
      const h = await directory.health();
      return { ok: h.ok, url: h.url, latencyMs: h.latencyMs, error: h.error };
    },
    kerberos: () => kerberos.status,
    writeBack,
    heartbeatTimeoutMs: numberSetting(effective, 'HUB_HEARTBEAT_TIMEOUT_MS'),
  });
  // a rejected promise is one request gone wrong: logged, the process goes on
  process.on('unhandledRejection', (e) =>
    log.error('connector.unhandled', { error: (e as Error)?.message ?? String(e) }),
  );
  // an uncaught exception leaves the process in an unknown state: exit non-zero, the service manager restarts it
  process.on('uncaughtException', (e) => {
    log.error('connector.uncaught', {
      error: e.message,
      message: 'exiting: the service manager restarts the connector',
    });
    process.exitCode = 70;
    setTimeout(() => process.exit(70), 100).unref();
    void client.stop(0).catch(() => undefined);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('connector.stopping', { signal, inFlight: client.inFlightCount });
    await client.stop();
    await kerberos.endpoint?.close();
    await directory.close();
    const summary = handler.takeSummary();
    if (summary) log.info('connector.requests', summary);
    log.info('connector.stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // run by an editor: follow it out if it goes away without stopping us (crash, kill)
  const parent = Number(process.env.DIRECTORY_BRIDGE_PARENT_PID);
  if (parent > 0) {
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        void stop('parent-exited');
      }
    }, 2000).unref();
  }
  process.on('SIGINT', () => void stop('SIGINT'));
  setInterval(() => {
    const summary = handler.takeSummary();
    if (summary) log.info('connector.requests', { ...summary, memory: memoryReport(client.replayWindowSize) });
  }, 60_000).unref();
  log.info('connector.starting', {
    connection: hub.connection,
    hub: hub.adHub,
    version: AGENT_VERSION,
    node: process.version,
    pid: process.pid,
  });
  client.start();
}

/**
 * True in the packaged executable (Node SEA). node:sea is missing before Node 20.12, hence a guarded load, and
 * through createRequire: the loader that works both in a single executable and in plain Node.
 */
function singleExecutable(): boolean {
  try {
    return (createRequire(__filename)('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  const cmd = argv[0];
  const configFile = flag(argv, 'config') ?? 'config.json';
  switch (cmd) {
    case 'setup': {
      const paths = pathsFor(configFile);
      const fileCfg = readConfig(paths.config, {}).file;
      // the ticket: --ticket, else the environment (nothing secret on a command line), else config.json (maybe sealed)
      const ticket =
        flag(argv, 'ticket') ??
        (process.env.PROVISIONING_TICKET || undefined) ??
        secret(paths, fileCfg, 'PROVISIONING_TICKET');
      if (!ticket)
        throw new ConfigError(`setup needs --ticket URL (or PROVISIONING_TICKET in ${paths.config})\n\n${USAGE}`);
      const caFile = flag(argv, 'hub-ca');
      const cfg = await provision(paths, fileCfg, ticket, caFile ? readFileSync(caFile, 'utf8') : undefined);
      process.stdout.write(
        `Registered with the hub for connection "${cfg.CONNECTION}". Config written to ${paths.config} (secrets encrypted).\n`,
      );
      return 0;
    }
    case 'certificate': {
      // the editor registers its own connector with this (in process, no ticket); the key never leaves certs/
      const identity = await loadOrCreateIdentity(pathsFor(configFile));
      const tp = thumbprint(identity.certificateDer);
      process.stdout.write(
        argv.includes('--json')
          ? JSON.stringify({ certificatePem: identity.certificatePem, thumbprint: tp }) + '\n'
          : `${identity.certificatePem.trim()}\nSHA-256 thumbprint: ${tp}\n`,
      );
      return 0;
    }
    case 'start':
      await start(configFile);
      return -1;
    case 'set-password': {
      const paths = pathsFor(configFile);
      const fileCfg = readConfig(paths.config, {}).file;
      const password = await readSecret(
        `Service account password for ${String(fileCfg.LDAP_BIND_USER ?? '(LDAP_BIND_USER)')}: `,
      );
      if (!password) throw new ConfigError('The password is empty: nothing was changed.');
      writeConfig(paths, { ...fileCfg, LDAP_BIND_CREDENTIALS: password });
      process.stdout.write(`Sealed into ${paths.config}.\n`);
      return 0;
    }
    case 'import-bundle': {
      const file = argv[1];
      if (!file || file.startsWith('--')) throw new ConfigError(`import-bundle needs the bundle file\n\n${USAGE}`);
      const bundle = parseBundle(readFileSync(file, 'utf8'));
      const paths = pathsFor(configFile);
      const passphrase = process.env.BUNDLE_PASSPHRASE ?? (await readSecret('Bundle passphrase: '));
      const contents = openBundle(bundle, passphrase);
      const cfg: RawConfig = {
        ...(contents.config as RawConfig),
        ...(contents.bindPassword ? { LDAP_BIND_CREDENTIALS: contents.bindPassword } : {}),
      };
      writeConfig(paths, cfg);
      await provision(
        paths,
        readConfig(paths.config, {}).file,
        contents.ticket,
        typeof cfg.CA_CERT === 'string' ? cfg.CA_CERT : undefined,
      );
      process.stdout.write(
        `Joined connection "${bundle.connection}" with a key pair of this server's own. Config: ${paths.config}\n`,
      );
      return 0;
    }
    case 'adopt': {
      const dir = argv[1];
      if (!dir || dir.startsWith('--'))
        throw new ConfigError(`adopt needs the deployed connector's folder\n\n${USAGE}`);
      const report = adoptInstallation(dir, flag(argv, 'config') ?? path.join(dir, 'config.json'));
      const text = formatAdoptReport(report);
      process.stdout.write((argv.includes('--json') ? JSON.stringify({ ...report, text }) : text) + '\n');
      return 0;
    }
    case 'troubleshoot': {
      const json = argv.includes('--json');
      const results = await troubleshoot(configFile, (r) => {
        if (json) process.stdout.write(JSON.stringify(r) + '\n');
        else
          process.stdout.write(
            `${r.status.toUpperCase().padEnd(4)}  ${r.step}: ${r.detail}${r.status === 'fail' && r.hint ? `\n      hint: ${r.hint}` : r.status === 'warn' && r.hint ? `\n      hint: ${r.hint}` : ''}\n`,
          );
      });
      return results.some((r) => r.status === 'fail') ? 1 : 0;
    }
    case 'version':
      process.stdout.write(
        `${AGENT_VERSION} (node ${process.version}${singleExecutable() ? ', single executable' : ''})\n`,
      );
      return 0;
    default:
      process.stdout.write(USAGE + '\n');
      return cmd ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e) => {
    const known = e instanceof ConfigError || e instanceof ProvisionError || e instanceof BundleError;
    process.stderr.write(`directory-bridge-connector: ${known ? e.message : ((e as Error)?.message ?? String(e))}\n`);
    process.exit(1);
  },
);

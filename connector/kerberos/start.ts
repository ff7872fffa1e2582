/**
 * Starts the Negotiate endpoint when KERBEROS_AUTH is on. Every way it can fail (settings, the native module,
 * the keytab, the port) is said once at start, plainly, and leaves Kerberos off: the connector keeps serving
 * passwords either way.
 */
import { readFileSync } from 'node:fs';
import type { ConnectorPaths, RawConfig } from '../config';
import { NegotiateEndpoint, hubOriginOf, type KerberosIdentity } from './endpoint';
import { readKeytab } from './keytab';
import { kerberosSearchDirs, loadKerberos } from '../../shared/kerberosModule';
import { kerberosSettings } from './settings';
import type { KerberosStatus } from '../../protocol/kerberosStatus';

export interface KerberosStartDeps extends KerberosIdentity {
  paths: ConnectorPaths;
  config: RawConfig;
  adHub: string;
}

export async function startKerberos(
  d: KerberosStartDeps,
): Promise<{ status: KerberosStatus; endpoint?: NegotiateEndpoint }> {
  const off = (error: string, extra: Record<string, unknown> = {}) => {
    d.log.error('connector.kerberos.off', {
      message: `Kerberos is on in the config but cannot run: ${error}. Kerberos sign-in is off; passwords are still served.`,
      ...extra,
    });
    return { status: { on: false, ok: false, error } };
  };
  let settings;
  try {
    settings = kerberosSettings(d.paths, d.config);
  } catch (e) {
    return off((e as Error).message);
  }
  if (!settings) return { status: { on: false, ok: false } };
  const loaded = loadKerberos(kerberosSearchDirs(d.paths.dir));
  if (!loaded.ok) {
    return off(
      `the native "kerberos" module could not be loaded (${loaded.error}); install it next to config.json with "npm install kerberos@7" (needs the Kerberos development files, a C++ compiler, make and python3)`,
      { looked: loaded.tried.join(';') },
    );
  }
  try {
    const entries = readKeytab(readFileSync(settings.keytab));
    if (!entries.some((e) => e.principal.toLowerCase() === settings.principal.toLowerCase())) {
      return off(
        `the keytab ${settings.keytab} holds no key for ${settings.principal} (it holds ${[...new Set(entries.map((e) => e.principal))].join(', ') || 'nothing'})`,
      );
    }
  } catch (e) {
    return off(`the keytab ${settings.keytab} cannot be read: ${(e as Error).message}`);
  }
  const { paths: _paths, config: _config, adHub, ...identity } = d;
  const endpoint = new NegotiateEndpoint({
    ...identity,
    settings,
    kerberos: loaded.module,
    hubOrigin: hubOriginOf(adHub),
  });
  try {
    await endpoint.listen();
  } catch (e) {
    return off(`cannot listen on ${settings.listenHost}:${settings.listenPort}: ${(e as Error).message}`);
  }
  d.log.info('connector.kerberos.on', {
    url: settings.url,
    listen: `${settings.listenHost}:${endpoint.port}`,
    principal: settings.principal,
    module: loaded.from,
  });
  return { status: { on: true, ok: true, url: settings.url, principal: settings.principal }, endpoint };
}

/** The test-login panel's Kerberos mode: the admin's own ticket through an instance's endpoint, as a LoginView. */
import { kerberosSearchDirs, loadKerberos } from '../../connector/kerberos/loader';
import type { Hub } from '../hub/hub';
import { testKerberosSignIn } from '../hub/kerberosTest';
import type { LoginView } from '../webview/messages';

export async function kerberosLoginView(
  hub: Hub,
  connection: string,
  extensionPath: string,
  username: string,
): Promise<LoginView> {
  const base = {
    connection,
    username: username || '(your Kerberos ticket)',
    mode: 'kerberos' as const,
    groups: [] as string[],
    stages: [],
  };
  const loaded = loadKerberos([extensionPath, ...kerberosSearchDirs(hub.options.stateDir)]);
  if (!loaded.ok) {
    return {
      ...base,
      ok: false,
      totalMs: 0,
      headline: 'The Kerberos module is not available to this editor',
      source: `install it with "npm install kerberos@7" in ${hub.options.stateDir} (${loaded.error})`,
    };
  }
  const r = await testKerberosSignIn(hub, connection, loaded.module);
  const profile = r.profile as { dn?: string; groups?: string[] } | undefined;
  return {
    ...base,
    ok: r.ok,
    headline: r.headline,
    source: r.detail,
    profile,
    dn: profile?.dn,
    groups: profile?.groups ?? [],
    totalMs: r.totalMs,
    answeredBy: r.instance ? `connector instance on ${r.instance} (Kerberos endpoint)` : undefined,
    username: r.principal ?? base.username,
  };
}

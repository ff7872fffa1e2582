/** The test-login panel's Kerberos mode: the admin's own ticket through an instance's endpoint, as a LoginView. */
import type { Hub } from '../hub/hub';
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
  let r;
  try {
    r = await hub.kerberosTest(connection, { dirs: [extensionPath] });
  } catch (e) {
    return {
      ...base,
      ok: false,
      totalMs: 0,
      headline: 'The Kerberos module is not available to this editor',
      source: `${(e as Error).message}; install it with "npm install kerberos@7" in ${hub.options.stateDir}`,
    };
  }
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

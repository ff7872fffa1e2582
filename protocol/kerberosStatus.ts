/**
 * What a connector instance tells the hub about its Kerberos endpoint (in its health frame), checked on arrival;
 * and the service principal's shape, which the connector's settings, the hub's test and the deployment share.
 */
export const DEFAULT_KERBEROS_PORT = 8089;

const PRINCIPAL = /^([A-Za-z][\w-]*)\/([A-Za-z0-9.-]+)@([A-Za-z0-9.-]+)$/;

/** HTTP/host@REALM → its parts; throws a sentence naming the expected shape. */
export function parsePrincipal(p: string): { service: string; host: string; realm: string } {
  const m = PRINCIPAL.exec(p.trim());
  if (!m)
    throw new Error(
      `KERBEROS_PRINCIPAL must look like HTTP/connector.example.com@EXAMPLE.COM, got ${JSON.stringify(p)}`,
    );
  return { service: m[1], host: m[2], realm: m[3] };
}

export interface KerberosStatus {
  on: boolean;
  ok: boolean;
  /** the Negotiate endpoint as browsers reach it */
  url?: string;
  principal?: string;
  error?: string;
}

export function parseKerberosStatus(v: unknown): KerberosStatus | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const str = (x: unknown, max = 500) => (typeof x === 'string' && x.length <= max ? x : undefined);
  let url = str(o.url, 2000);
  if (url) {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') url = undefined;
    } catch {
      url = undefined;
    }
  }
  return { on: o.on === true, ok: o.ok === true && !!url, url, principal: str(o.principal), error: str(o.error) };
}

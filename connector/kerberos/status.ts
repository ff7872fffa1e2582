/** What a connector instance tells the hub about its Kerberos endpoint (in its health frame), checked on arrival. */
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

/** HTTPS calls to the hub (ticket endpoints, /test), verified against the hub's CA, with one-sentence failures. */
import { createHash, X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { sniFor } from '../shared/hostnames';
import { NamedError } from '../shared/namedError';

export class HubHttpError extends NamedError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface HubResponse {
  status: number;
  body: unknown;
  headers: Record<string, unknown>;
}

/** Translates a transport error into the sentence an admin needs. */
export function explainHubError(e: unknown, url: string): string {
  const err = e as { code?: string; message?: string };
  const host = new URL(url).host;
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve the hub's host name ${host}.`;
    case 'ECONNREFUSED':
      return `The hub at ${host} refused the connection: is it running, and is the port right?`;
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return `The hub at ${host} did not answer (network or firewall).`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `The hub's certificate at ${host} is not trusted: give the hub's CA (CA_CERT in config.json, or --hub-ca FILE), or use the ticket URL as the hub printed it.`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The hub's certificate does not name ${host}.`;
    default:
      return `Cannot reach the hub at ${host}: ${err.message ?? String(e)}`;
  }
}

export function hubRequest(
  url: string,
  options: { method?: string; body?: unknown; caPem?: string; timeoutMs?: number } = {},
): Promise<HubResponse> {
  const data = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ...(options.caPem ? { ca: options.caPem } : {}),
        timeout: options.timeoutMs ?? 10_000,
        headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 1 << 20) chunks.push(c);
        });
        res.on('end', () => {
          let body: unknown = undefined;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(new HubHttpError(explainHubError(e, url))));
    if (data) req.write(data);
    req.end();
  });
}

export function sha256Fingerprint(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/**
 * Trust on first use, pinned: fetches the hub's certificate chain without verifying it, keeps the root whose
 * SHA-256 matches the pin the ticket URL carried (`#ca=sha256:<hex>`), and from then on verifies against it.
 */
export function fetchPinnedCa(hubBase: string, pin: string): Promise<string> {
  const u = new URL(hubBase);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: u.hostname, port: Number(u.port || 443), rejectUnauthorized: false, servername: sniFor(u.hostname) },
      () => {
        const seen = new Set<string>();
        let match: string | undefined;
        // walk up the chain the server sent
        const chain = socket.getPeerCertificate(true);
        for (let c = chain; c && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
          seen.add(c.fingerprint256);
          const pem = `-----BEGIN CERTIFICATE-----\n${c.raw
            .toString('base64')
            .match(/.{1,64}/g)!
            .join('\n')}\n-----END CERTIFICATE-----\n`;
          if (sha256Fingerprint(pem) === pin.toLowerCase()) match = pem;
        }
        socket.end();
        if (match) resolve(match);
        else
          reject(
            new HubHttpError(
              `The hub at ${u.host} does not present the CA pinned in the ticket URL (sha256:${pin.slice(0, 16)}...): someone may be in the middle.`,
            ),
          );
      },
    );
    socket.setTimeout(10_000, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    socket.on('error', (e) => reject(new HubHttpError(explainHubError(e, hubBase))));
  });
}

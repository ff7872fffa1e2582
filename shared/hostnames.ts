/** Host names in URLs and certificates: an IP address is not a name (no SNI for it, an IP SAN for it). */
import { isIP } from 'node:net';

export function isIpAddress(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}

/** The servername to send for SNI: the host when it is a name, nothing for an address. */
export function sniFor(host: string): string | undefined {
  return isIpAddress(host) ? undefined : host;
}

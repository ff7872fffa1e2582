/** Host names in URLs and certificates: an IP address is not a name (no SNI for it, an IP SAN for it). */
import { isIP } from 'node:net';

export function isIpAddress(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}

/** The servername to send for SNI: the host when it is a name, nothing for an address. */
export function sniFor(host: string): string | undefined {
  return isIpAddress(host) ? undefined : host;
}

/** Characters that do not show, or that reorder what follows them: control, bidi and zero-width characters. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name another program claims for itself (a connector's host), as it may be shown and logged: without what does not
 * show or reorders the text around it, so that it cannot pass for another name in the tree, a title or a log line.
 */
export function printableName(name: string): string {
  return name.replace(INVISIBLE, '');
}

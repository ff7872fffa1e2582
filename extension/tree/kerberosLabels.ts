/** How the tree says a connection's Kerberos ranges and an instance's Kerberos state, in a few words. */
import type { KerberosStatus } from '../../protocol/kerberosStatus';

export function instanceKerberosLabel(k: KerberosStatus | undefined): { short: string; long: string } {
  if (!k) return { short: 'Kerberos ?', long: 'Kerberos: not reported by this connector' };
  if (k.on && k.ok)
    return { short: 'Kerberos on', long: `Kerberos: on and healthy, ${k.principal ?? ''} at ${k.url ?? ''}` };
  if (k.error) return { short: 'Kerberos failing', long: `Kerberos: **failing**: ${k.error}` };
  return { short: 'Kerberos off', long: 'Kerberos: off (KERBEROS_AUTH is not set)' };
}

export function rangesLabel(ranges: string[], domains: string[]): { label: string; tooltip: string } {
  const label = ranges.length ? `Kerberos from ${ranges.join(', ')}` : 'Kerberos off: passwords only';
  const why = ranges.length ? '' : '\nNo Kerberos IP ranges: every user signs in with a password.';
  return { label, tooltip: `${label}${why}\nEmail domains: ${domains.join(', ') || 'any (not restricted)'}` };
}

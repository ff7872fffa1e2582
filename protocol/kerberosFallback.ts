/**
 * Why a Kerberos attempt fell back to the password step. The codes travel in URLs from the connector to the hub,
 * which turns them into sentences; the connector (and the hub's own test) classify what GSS-API said into them.
 */
export const KERBEROS_FALLBACK = [
  'no-ticket',
  'ntlm',
  'skew',
  'wrong-principal',
  'keytab-version',
  'keytab',
  'ticket',
  'unknown-user',
  'other-realm',
  'directory',
  'unavailable',
] as const;
export type KerberosFallback = (typeof KERBEROS_FALLBACK)[number];

export function classifyGssError(message: string): KerberosFallback {
  const m = message.toLowerCase();
  if (/clock skew|time out of bounds|ticket not yet valid/.test(m)) return 'skew';
  if (/key version|kvno/.test(m)) return 'keytab-version';
  if (
    /wrong principal|server not found|no principal in keytab|no key table entry found for|principal in request/.test(m)
  )
    return 'wrong-principal';
  if (/key table|keytab|can't find client principal|cannot find key/.test(m)) return 'keytab';
  return 'ticket';
}

/** A token that is NTLM (browsers send one when they have no Kerberos ticket for us): not Kerberos at all. */
export function isNtlmToken(b64: string): boolean {
  return b64.startsWith('TlRMTVNT');
}

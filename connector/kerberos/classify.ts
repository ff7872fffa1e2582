/** Turns what GSS-API said about a refused SPNEGO token into one of the fallback codes the hub explains. */
import type { KerberosFallback } from '../protocol/kerberosAssertion';

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

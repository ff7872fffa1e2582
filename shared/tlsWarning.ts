/**
 * One rule, said the same way wherever the admin sets or checks a directory URL (wizard, connector start,
 * troubleshoot): plain ldap:// without StartTLS sends every user's password across the network in clear.
 */
/** An ldap:// URL, whatever the case of its scheme (RFC 3986): not encrypted unless StartTLS upgrades it. */
export function isPlainLdapUrl(url: string): boolean {
  return /^ldap:\/\//i.test(url);
}

export function plainLdapWarning(urls: string[], startTls: boolean): string | undefined {
  const plain = urls.filter(isPlainLdapUrl);
  if (!plain.length || startTls) return undefined;
  return `the directory connection is NOT encrypted (${plain.join(', ')}): passwords cross the network in clear; use ldaps:// or StartTLS`;
}

/**
 * One rule, said the same way wherever the admin sets or checks a directory URL (wizard, connector start,
 * troubleshoot): plain ldap:// without StartTLS sends every user's password across the network in clear.
 */
export function plainLdapWarning(urls: string[], startTls: boolean): string | undefined {
  const plain = urls.filter((u) => /^ldap:\/\//i.test(u));
  if (!plain.length || startTls) return undefined;
  return `the directory connection is NOT encrypted (${plain.join(', ')}): passwords cross the network in clear; use ldaps:// or StartTLS`;
}

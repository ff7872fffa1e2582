/**
 * Email domains that mean something: the domain of what a user types picks the connection that lists it (home-realm
 * discovery), and a username whose domain a connection does not list is refused at that connection, in the same
 * sentence at the sign-in page, the admin API and the CLI. A connection with no email domains does not restrict.
 */
import type { ConnectionRecord } from './state';

export class DomainRefusedError extends Error {
  override name = 'DomainRefusedError';
}

export function domainOf(identifier: string): string | undefined {
  const m = /^[^@\s]+@([^@\s]+)$/.exec(identifier.trim());
  return m ? m[1].toLowerCase().replace(/\.$/, '') : undefined;
}

function lists(c: ConnectionRecord, domain: string): boolean {
  return c.emailDomains.some((d) => d.toLowerCase() === domain);
}

/** The connection for an email address; DomainRefusedError when none lists its domain (or it has none). */
export function discoverConnection(connections: ConnectionRecord[], identifier: string): ConnectionRecord {
  const domain = domainOf(identifier);
  if (!domain)
    throw new DomainRefusedError(
      'Type your email address (name@your-company.com) so that we know where to sign you in.',
    );
  const c = connections.find((x) => lists(x, domain));
  if (!c)
    throw new DomainRefusedError(
      `No connection signs in users of ${domain}: check the address, or ask your administrator for your sign-in link.`,
    );
  return c;
}

/** Refuses a username with a domain outside the connection's list; plain usernames pass. */
export function checkUsernameDomain(c: ConnectionRecord, username: string): void {
  const domain = domainOf(username);
  if (!domain || c.emailDomains.length === 0 || lists(c, domain)) return;
  throw new DomainRefusedError(
    `"${username}" cannot sign in to ${c.name}: ${domain} is not one of its email domains (${c.emailDomains.join(', ')}).`,
  );
}

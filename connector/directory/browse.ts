/**
 * What the editor's directory tree asks beyond a listing: whether entries have children (for servers that do not
 * say), a bounded count of a container's children, one entry read in full. Each costs one cheap round trip.
 */
import { NoSuchObjectError, type Client, type Entry } from 'ldapts';
import { BINARY_ATTRIBUTES } from './decode';
import { withoutSecrets } from './entry';

/**
 * For each DN, whether it has at least one child: a one-level search for one entry, no attributes, all on one
 * connection at once. undefined where the server refused to say.
 */
export async function probeChildren(client: Client, dns: string[]): Promise<Array<boolean | undefined>> {
  return Promise.all(
    dns.map((dn) =>
      client
        .search(dn, { scope: 'one', filter: '(objectClass=*)', attributes: ['1.1'], sizeLimit: 1 })
        .then((r) => r.searchEntries.length > 0)
        .catch(() => undefined),
    ),
  );
}

/**
 * How many children `dn` has, counting to at most `max + 1` (a size-limited search with no attributes): the
 * caller says "max+" past the bound. Servers that ignore the size limit are cut here too.
 */
export async function countChildren(client: Client, dn: string, max: number): Promise<number> {
  const r = await client.search(dn, {
    scope: 'one',
    filter: '(objectClass=*)',
    attributes: ['1.1'],
    sizeLimit: max + 1,
  });
  return Math.min(r.searchEntries.length, max + 1);
}

/** One entry with every user attribute (and `extra` operational ones), secrets removed; undefined if none. */
export async function readEntry(client: Client, dn: string, extra: string[] = []): Promise<Entry | undefined> {
  try {
    const r = await client.search(dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['*', ...extra],
      explicitBufferAttributes: BINARY_ATTRIBUTES,
    });
    const e = r.searchEntries[0];
    if (!e) return undefined;
    // ldapts lists every attribute asked for, "*" and absent operational ones included, as empty: not attributes
    for (const k of Object.keys(e)) if (k !== 'dn' && Array.isArray(e[k]) && !(e[k] as unknown[]).length) delete e[k];
    return withoutSecrets(e);
  } catch (e) {
    if (e instanceof NoSuchObjectError) return undefined;
    throw e;
  }
}

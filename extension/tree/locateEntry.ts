/**
 * "Go to DN…": from what the admin typed (a DN, or a login name the connection's user filter finds) to the entry
 * and the entries between it and the base DN, each read once; or an error that says what is wrong.
 */
import { InvalidDNSyntaxError, type Entry } from 'ldapts';
import type { Directory } from '../../connector/directory';
import { chainBelow, isUnder, looksLikeDn, parentDn, SUBORDINATE_ATTRIBUTES } from './treeLogic';
import type { EntryNode } from './nodes/entryNode';

export interface Located {
  dn: string;
  /** The entries from just below the base down to the target, to expand in turn. */
  chain: Entry[];
}

export async function locateEntry(dir: Directory, connection: string, input: string): Promise<Located> {
  const base = dir.config.baseDn;
  const text = input.trim();
  if (!text) throw new Error('Type a DN (uid=alice,ou=people,…) or a login name (alice).');
  let dn = text;
  if (!looksLikeDn(text)) dn = (await dir.findUser(text)).dn;
  const target = await read(dir, dn);
  if (!target) throw new Error(await missing(dir, connection, dn));
  if (!isUnder(target.dn, base))
    throw new Error(
      `${target.dn} is outside the base DN ${base} of "${connection}": the tree shows only entries under the base.`,
    );
  const dns = chainBelow(target.dn, base)!;
  const chain = await Promise.all(dns.slice(0, -1).map((d) => read(dir, d)));
  if (chain.some((e) => !e)) throw new Error(await missing(dir, connection, dn));
  return { dn: target.dn, chain: [...(chain as Entry[]), target] };
}

async function read(dir: Directory, dn: string): Promise<Entry | undefined> {
  try {
    return await dir.readEntry(dn, SUBORDINATE_ATTRIBUTES);
  } catch (e) {
    if (e instanceof InvalidDNSyntaxError)
      throw new Error(`"${dn}" is not a valid DN: the directory says "${e.message}".`);
    throw e;
  }
}

/** "No entry X": and the nearest entry above it that exists, so a typo in one RDN is easy to see. */
async function missing(dir: Directory, connection: string, dn: string): Promise<string> {
  const base = dir.config.baseDn;
  let p = parentDn(dn);
  for (let i = 0; p && i < 12; i++, p = parentDn(p)) {
    const e = await read(dir, p).catch(() => undefined);
    if (e) {
      const where = isUnder(e.dn, base) ? '' : ` (outside the base DN ${base})`;
      return `No entry ${dn} in "${connection}": ${e.dn} exists${where}, but holds no such entry.`;
    }
  }
  return `No entry ${dn} in "${connection}", nor any entry above it.`;
}

/** Expands the path in the tree's nodes (reading pages only where needed) and returns the target's node. */
export async function nodeAlong(root: EntryNode, chain: Entry[]): Promise<EntryNode> {
  let node = root;
  for (const e of chain) node = await node.childFor(e.dn, e);
  return node;
}

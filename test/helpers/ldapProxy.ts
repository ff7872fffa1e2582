/**
 * A TCP proxy in front of a real directory that reads each LDAP message the client sends and lets a test decide,
 * per search, whether it reaches the server: forwarded (after an action, e.g. deleting the entry it asks for),
 * dropped (the server seems to hang), answered by closing the connection (the server seems to go away) or
 * answered "busy" (LDAP result 51) or "success, no entry" (what an ACL that hides the entry gives) in the server's place.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type Verdict = 'forward' | 'drop' | 'close' | 'busy' | 'empty';
/** Called for each SearchRequest with its base DN; anything else the client sends is forwarded. */
export type OnSearch = (baseDn: string) => Verdict | Promise<Verdict>;

export interface LdapProxy {
  url: string;
  onSearch: OnSearch;
  close(): Promise<void>;
}

/** The length of a BER element at `i` (tag at i): [header length, content length], or undefined if incomplete. */
function berLength(b: Buffer, i: number): [number, number] | undefined {
  if (b.length < i + 2) return undefined;
  const first = b[i + 1];
  if (first < 0x80) return [2, first];
  const n = first & 0x7f;
  if (b.length < i + 2 + n) return undefined;
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + b[i + 2 + k];
  return [2 + n, len];
}

/** The messageID element (tag, length and value) of an LDAPMessage. */
function messageIdElement(msg: Buffer): Buffer {
  const i = berLength(msg, 0)![0];
  const id = berLength(msg, i)!;
  return msg.subarray(i, i + id[0] + id[1]);
}

/** A SearchResultDone ([APPLICATION 5]) with result code busy (51), no matched DN, no text, for `msg`'s id. */
function searchDone(msg: Buffer, resultCode: number): Buffer {
  const done = Buffer.from([0x65, 0x07, 0x0a, 0x01, resultCode, 0x04, 0x00, 0x04, 0x00]);
  const body = Buffer.concat([messageIdElement(msg), done]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** The base DN of an LDAPMessage holding a SearchRequest ([APPLICATION 3]), else undefined. */
function searchBase(msg: Buffer): string | undefined {
  const outer = berLength(msg, 0)!;
  let i = outer[0];
  const id = berLength(msg, i); // messageID INTEGER
  if (!id) return undefined;
  i += id[0] + id[1];
  if (msg[i] !== 0x63) return undefined;
  i += berLength(msg, i)![0];
  const base = berLength(msg, i); // baseObject OCTET STRING
  if (msg[i] !== 0x04 || !base) return undefined;
  return msg.subarray(i + base[0], i + base[0] + base[1]).toString('utf8');
}

export async function startLdapProxy(target: { host: string; port: number }, onSearch: OnSearch): Promise<LdapProxy> {
  const sockets = new Set<Socket>();
  const proxy: LdapProxy = { url: '', onSearch, close: () => Promise.resolve() };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    // one message at a time, in order: a verdict may wait on an action (a delete) before the message goes on
    let chain = Promise.resolve();
    client.on('data', (data) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const len = berLength(pending, 0);
        if (!len || pending.length < len[0] + len[1]) break;
        const msg = pending.subarray(0, len[0] + len[1]);
        pending = pending.subarray(len[0] + len[1]);
        chain = chain.then(async () => {
          const base = searchBase(msg);
          const verdict = base === undefined ? 'forward' : await proxy.onSearch(base);
          if (verdict === 'forward') upstream.write(msg);
          else if (verdict === 'close') client.destroy();
          else if (verdict === 'busy') client.write(searchDone(msg, 51));
          else if (verdict === 'empty') client.write(searchDone(msg, 0));
        });
        chain = chain.catch(() => void client.destroy());
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `ldap://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return proxy;
}

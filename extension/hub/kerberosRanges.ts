/** Whether a browser's address lies in a connection's Kerberos IP ranges (CIDR), with Node's own BlockList. */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

export function inRanges(address: string | undefined, ranges: string[]): boolean {
  const a = normalizeAddress(address);
  if (!a || ranges.length === 0) return false;
  const list = new BlockList();
  for (const r of ranges) {
    const [net, bits] = r.split('/');
    if (isIPv4(net)) list.addSubnet(net, Number(bits ?? 32), 'ipv4');
    else if (isIPv6(net)) list.addSubnet(net, Number(bits ?? 128), 'ipv6');
  }
  return isIPv4(a) ? list.check(a, 'ipv4') : isIPv6(a) ? list.check(a, 'ipv6') : false;
}

/**
 * Whether a connector on another machine can reach the hub, decided before a deployment is written: a hub on a
 * loopback address is reachable from this machine only. Pure, so it is unit tested.
 */
import type { DeploymentFile } from './deployment';

export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '0:0:0:0:0:0:0:1';
}

/** The addresses other machines could reach this one on: not loopback, not link-local. */
export function reachableAddresses(
  interfaces: Record<string, Array<{ address: string; family: string | number; internal: boolean }> | undefined>,
): Array<{ address: string; name: string }> {
  const out: Array<{ address: string; name: string }> = [];
  for (const [name, list] of Object.entries(interfaces))
    for (const a of list ?? [])
      if (!a.internal && !isLoopback(a.address) && !/^fe80:/i.test(a.address) && !/^169\.254\./.test(a.address))
        out.push({ address: a.address, name });
  return out;
}

/** A host name or IP address the hub can listen on and connectors can dial: no scheme, port, path or wildcard. */
export function listenAddressProblem(v: string): string | undefined {
  const s = v.trim();
  if (!s) return 'Type the address the connectors will dial (an IP address or a DNS name of this machine).';
  if (s === '0.0.0.0' || s === '::')
    return 'A wildcard address cannot be dialed: type the address the connectors will use to reach this machine.';
  if (/[/\s]|^\w+:\/\//.test(s)) return 'Only the address: no scheme, port or path.';
  if (!/^[0-9a-zA-Z.:-]+$/.test(s)) return 'An IP address or a DNS name (letters, digits, dots, dashes, colons).';
  return undefined;
}

/**
 * What the new-ticket panel says when the hub is on loopback: the URL it shows works only for a connector on this
 * machine, so "put it in the connector's config.json on the server" would otherwise promise what cannot work.
 */
export function ticketReachWarning(hubHost: string, hubUrl: string): string | undefined {
  if (!isLoopback(hubHost)) return undefined;
  return (
    `The hub listens on ${hubUrl}, a loopback address: this URL works only for a connector on this machine. ` +
    `For a server elsewhere, set the hub's listen address first (directoryBridge.hub.host, which Generate Connector ` +
    `Config offers to change), then generate a new ticket.`
  );
}

/** The README of a deployment for this machine only starts by saying so. */
export function forThisMachineOnly(files: DeploymentFile[], hubUrl: string): DeploymentFile[] {
  const note =
    `> **For this machine only.** The hub listens on ${hubUrl}, a loopback address: this connector must run on the ` +
    `same machine as the editor. For a server elsewhere, set the hub's listen address (directoryBridge.hub.host) ` +
    `and generate the deployment again.\n\n`;
  return files.map((f) => {
    if (f.path !== 'README.md' || f.content === undefined) return f;
    const text = f.content.toString();
    // after the title, when there is one
    const title = /^# .*\n+/.exec(text)?.[0] ?? '';
    return { ...f, content: title + note + text.slice(title.length) };
  });
}

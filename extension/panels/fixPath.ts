/**
 * Which way a fix after a refused test login reaches the directory, decided before the admin confirms so the
 * confirmation can say it: a new password goes through a connector's write-back (the protocol's change_password)
 * when an online instance of the connection reports write-back on; everything else, and a new password when none
 * does, is written with the connection's service account. Pure: no `vscode`, unit tested.
 */
import { printableName } from '../../shared/hostnames';
import type { AccountFix } from '../../connector/directory';

/** What the editor knows of the connection's live instances (the hub's InstanceInfo, narrowed). */
export interface InstanceView {
  host: string;
  /** As the instance reports it in connector_health; undefined: it does not say (the deployed connector). */
  writeBack?: boolean;
  unresponsive?: unknown;
}

export type FixPath =
  | { via: 'write-back'; host: string }
  | {
      via: 'service account';
      /** Why not through a connector, in words for the confirmation and the audit log. */
      reason: string;
    };

/** The protocol has a request for a password reset only: unlock and enable have none. */
export const noProtocolRequest = (fix: 'unlock' | 'enable') => `connectors have no ${fix} request`;

export function fixPath(fix: AccountFix, hubRunning: boolean, instances: InstanceView[]): FixPath {
  if (fix !== 'setPassword') return { via: 'service account', reason: noProtocolRequest(fix) };
  if (!hubRunning) return { via: 'service account', reason: 'the hub is stopped' };
  const live = instances.filter((i) => !i.unresponsive);
  const writer = live.find((i) => i.writeBack === true);
  if (writer) return { via: 'write-back', host: writer.host };
  if (!live.length) return { via: 'service account', reason: 'no connector instance online' };
  const silent = live.filter((i) => i.writeBack === undefined).map((i) => shownHost(i.host));
  return {
    via: 'service account',
    reason: silent.length
      ? `${silent.join(', ')} does not report write-back`
      : `write-back is off on ${live.map((i) => shownHost(i.host)).join(', ')}`,
  };
}

/** "by" in the audit log and the confirmation. */
export function writtenBy(path: FixPath, bindDn: string): string {
  return path.via === 'write-back'
    ? `connector write-back (change_password) on ${shownHost(path.host)}`
    : `service account ${bindDn}`;
}

/** A host name as a connector claims it, for a one-line title: printable and short (the claim may hold 255). */
export const shownHost = (host: string | undefined): string => {
  const clean = printableName(host ?? 'unknown');
  return clean.length > 64 ? `${clean.slice(0, 63)}…` : clean || 'unknown';
};

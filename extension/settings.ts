/** The extension's settings, read in one place. */
import * as vscode from 'vscode';
import type { Level } from '../shared/log';

export interface Settings {
  hubHost: string;
  hubPort: number;
  hubAutoStart: boolean;
  ticketLifetimeMs: number;
  logLevel: Level;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('directoryBridge');
  return {
    hubHost: c.get<string>('hub.host', '127.0.0.1'),
    hubPort: c.get<number>('hub.port', 8843),
    hubAutoStart: c.get<boolean>('hub.autoStart', true),
    ticketLifetimeMs: c.get<number>('tickets.lifetimeDays', 7) * 24 * 3600_000,
    logLevel: c.get<Level>('logLevel', 'info'),
  };
}

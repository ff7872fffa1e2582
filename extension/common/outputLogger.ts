/** The engine's Logger interface over a VS Code LogOutputChannel, with the same redaction as the CLI logs. */
import type * as vscode from 'vscode';
import type { Logger } from '../../shared/logger';
import { formatValue, SECRET_FIELD } from '../../shared/log';

export function outputLogger(channel: vscode.LogOutputChannel): Logger {
  const fmt = (event: string, fields: Record<string, unknown> = {}) =>
    [
      event,
      ...Object.entries(fields).map(([k, v]) => `${k}=${SECRET_FIELD.test(k) ? '[redacted]' : formatValue(v)}`),
    ].join(' ');
  return {
    debug: (e, f) => channel.debug(fmt(e, f)),
    info: (e, f) => channel.info(fmt(e, f)),
    warn: (e, f) => channel.warn(fmt(e, f)),
    error: (e, f) => channel.error(fmt(e, f)),
  };
}

/** Forwards a child process's log line (`<time> <LEVEL> [component] event ...`) at its own level. */
export function forwardLine(channel: vscode.LogOutputChannel, line: string): void {
  const m = /^\S+Z (DEBUG|INFO |WARN |ERROR) (.*)$/.exec(line);
  if (!m) {
    channel.info(line);
    return;
  }
  const text = m[2];
  switch (m[1].trim()) {
    case 'DEBUG':
      channel.debug(text);
      break;
    case 'WARN':
      channel.warn(text);
      break;
    case 'ERROR':
      channel.error(text);
      break;
    default:
      channel.info(text);
  }
}

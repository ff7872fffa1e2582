/**
 * One line per event: `<ISO time> <LEVEL> [<component>] <event> key=value ...`. Fields whose names suggest a
 * secret are written as [redacted] whoever logs them: the last line of defence for "never a password in a log".
 */
import type { Logger } from './logger';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Field names whose values are never written, whoever logs them. */
export const SECRET_FIELD = /pass(word)?|secret|credential|token|jwt|signingKey|privateKey|authorization/i;

export interface LineLogger extends Logger {
  level: Level;
  child(component: string): LineLogger;
}

export function formatValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v instanceof Error) v = v.message;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /^[\w./:@-]+$/.test(s) ? s : JSON.stringify(s);
}

export function formatLine(
  level: Level,
  component: string,
  event: string,
  fields: Record<string, unknown> = {},
): string {
  const parts = [new Date().toISOString(), level.toUpperCase().padEnd(5), `[${component}]`, event];
  for (const [k, v] of Object.entries(fields))
    parts.push(`${k}=${SECRET_FIELD.test(k) ? '[redacted]' : formatValue(v)}`);
  return parts.join(' ');
}

export function createLogger(
  component: string,
  options: { level?: Level; write?: (line: string, level: Level) => void } = {},
): LineLogger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const logger: LineLogger = {
    level: options.level ?? 'info',
    child: (c) => {
      const child = createLogger(`${component}/${c}`, { level: logger.level, write });
      return child;
    },
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
  function emit(level: Level, event: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[logger.level]) return;
    write(formatLine(level, component, event, fields), level);
  }
  return logger;
}

export function parseLevel(v: string | undefined, fallback: Level = 'info'): Level {
  return v && v in ORDER ? (v as Level) : fallback;
}

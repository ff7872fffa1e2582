/** Runs a Node script to its end and collects what it printed (stdout and stderr, interleaved as they came). */
import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  out: string;
}

export function runNode(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<NodeRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: null, out: out + e.message }));
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(options.input ?? '');
  });
}

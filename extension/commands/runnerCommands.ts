import * as vscode from 'vscode';
import { connectionArg, guarded, type CommandContext } from './context';

export function registerRunnerCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  const withHub = async () => ctx.hubs.hub ?? ctx.hubs.start();
  return [
    r(
      'directoryBridge.startConnector',
      guarded(async (arg?: unknown) => {
        const name = await connectionArg(ctx, arg);
        if (!name) return undefined;
        await withHub();
        await ctx.runner.start(name);
        return ctx.runner.pidOf(name);
      }),
    ),
    r(
      'directoryBridge.stopConnector',
      guarded(async (arg?: unknown) => {
        const name = await connectionArg(ctx, arg);
        if (name) await ctx.runner.stop(name);
      }),
    ),
    r(
      'directoryBridge.restartConnector',
      guarded(async (arg?: unknown) => {
        const name = await connectionArg(ctx, arg);
        if (!name) return undefined;
        await withHub();
        await ctx.runner.restart(name);
        return ctx.runner.pidOf(name);
      }),
    ),
    r(
      'directoryBridge.showConnectorLog',
      guarded(async (arg?: unknown) => {
        const name = await connectionArg(ctx, arg);
        if (name) ctx.runner.channel(name).show(true);
      }),
    ),
    r(
      'directoryBridge.troubleshoot',
      guarded(async (arg?: unknown, options?: { quiet?: boolean }) => {
        const name = await connectionArg(ctx, arg);
        if (!name) return undefined;
        await withHub();
        const steps = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Troubleshooting ${name}…` },
          () => ctx.runner.troubleshoot(name),
        );
        const log = ctx.runner.channel(name);
        for (const s of steps)
          log.info(
            `troubleshoot ${s.status.toUpperCase()} ${s.step}: ${s.detail}${s.hint && s.status !== 'pass' ? ` (hint: ${s.hint})` : ''}`,
          );
        if (options?.quiet) return steps;
        const icon = (st: string) =>
          st === 'pass'
            ? '$(pass-filled)'
            : st === 'warn'
              ? '$(warning)'
              : st === 'fail'
                ? '$(error)'
                : '$(circle-slash)';
        void vscode.window.showQuickPick(
          steps.map((s) => ({
            label: `${icon(s.status)} ${s.step}`,
            description: s.status.toUpperCase(),
            detail: `${s.detail}${s.hint && s.status !== 'pass' ? ` — ${s.hint}` : ''}`,
          })),
          {
            title: `Troubleshoot ${name}: ${steps.filter((s) => s.status === 'fail').length ? 'problems found' : 'all checks passed'}`,
            matchOnDetail: true,
          },
        );
        return steps;
      }),
    ),
  ];
}

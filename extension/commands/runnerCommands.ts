import * as vscode from 'vscode';
import { troubleshootMarkdown, troubleshootTitle } from '../connections/troubleshootReport';
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
        // a document stays where the admin can read every line in full (a quick pick vanished on focus loss)
        await ctx.reports.show(`Troubleshoot ${name}.md`, troubleshootMarkdown(name, steps));
        void vscode.window.showInformationMessage(troubleshootTitle(name, steps));
        return steps;
      }),
    ),
  ];
}

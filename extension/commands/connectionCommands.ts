import * as vscode from 'vscode';
import { connectionArg, guarded, type CommandContext } from './context';
import { testDirectory } from '../connections/directoryTest';
import { runConnectionWizard, type WizardAnswers } from './connectionWizard';

export function registerConnectionCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  return [
    // the commands always ask: nothing a caller passes makes the wizard non-interactive
    r(
      'directoryBridge.createConnection',
      guarded(() => createConnection(ctx)),
    ),
    r(
      'directoryBridge.editConnection',
      guarded(async (arg?: unknown) => editConnection(ctx, await connectionArg(ctx, arg))),
    ),
    r(
      'directoryBridge.deleteConnection',
      guarded(async (arg?: unknown, options?: { confirm?: boolean }) => {
        const name = await connectionArg(ctx, arg);
        if (!name) return false;
        if (options?.confirm !== true) {
          const ok = await vscode.window.showWarningMessage(
            `Delete the connection "${name}"? Its tickets are revoked and its connectors refused.`,
            { modal: true },
            'Delete',
          );
          if (ok !== 'Delete') return false;
        }
        await ctx.runner.stop(name);
        await ctx.store.delete(name);
        if (ctx.hubs.hub?.state.connection(name)) await ctx.hubs.hub.deleteConnection(name);
        return true;
      }),
    ),
    r(
      'directoryBridge.testDirectory',
      guarded(async (arg?: unknown) => {
        const name = await connectionArg(ctx, arg);
        const def = name ? ctx.store.get(name) : undefined;
        if (!def) return undefined;
        const pw = await ctx.store.bindPassword(def.name);
        const report = pw ? await testDirectory(def, pw) : { ok: false, text: 'no service account password is stored' };
        void (report.ok
          ? vscode.window.showInformationMessage(`${def.name}: ${report.text}`)
          : vscode.window.showErrorMessage(`${def.name}: ${report.text}`));
        return report;
      }),
    ),
    r(
      'directoryBridge.enableCache',
      guarded((arg?: unknown) => setCache(ctx, arg, true)),
    ),
    r(
      'directoryBridge.disableCache',
      guarded((arg?: unknown) => setCache(ctx, arg, false)),
    ),
    r(
      'directoryBridge.enableWriteBack',
      guarded((arg?: unknown) => setWriteBack(ctx, arg, true)),
    ),
    r(
      'directoryBridge.disableWriteBack',
      guarded((arg?: unknown) => setWriteBack(ctx, arg, false)),
    ),
  ];
}

/** Create Connection; `answers` pre-answer every step (the named test API of extension.ts, never a command). */
export async function createConnection(
  ctx: CommandContext,
  answers?: WizardAnswers,
): Promise<{ name: string; testReport?: string }> {
  const { def, bindPassword, testReport } = await runConnectionWizard(ctx.store.names(), undefined, answers);
  await ctx.store.save(def, bindPassword);
  void vscode.window.showInformationMessage(`Connection "${def.name}" created${testReport ? ` — ${testReport}` : ''}.`);
  return { name: def.name, testReport };
}

export async function editConnection(
  ctx: CommandContext,
  name: string | undefined,
  answers?: WizardAnswers,
): Promise<{ name: string; testReport?: string } | undefined> {
  const current = name ? ctx.store.get(name) : undefined;
  if (!current) return undefined;
  const { def, bindPassword, testReport } = await runConnectionWizard(ctx.store.names(), current, answers);
  const wasRunning = ctx.runner.isRunning(current.name);
  if (wasRunning) await ctx.runner.stop(current.name);
  await ctx.store.save(def, bindPassword, current.name);
  if (wasRunning) await ctx.runner.start(def.name);
  return { name: def.name, testReport };
}

/**
 * Write-back is a setting of the connection's connectors (ENABLE_WRITE_BACK): the embedded one is restarted to take
 * it; a deployed one takes it from its config.json, which the admin edits on the server (said in the message).
 */
async function setWriteBack(ctx: CommandContext, arg: unknown, on: boolean): Promise<boolean | undefined> {
  const name = await connectionArg(ctx, arg);
  const def = name ? ctx.store.get(name) : undefined;
  if (!def) return undefined;
  await ctx.store.save({ ...def, writeBack: on });
  const running = ctx.runner.isRunning(def.name);
  if (running) await ctx.runner.restart(def.name);
  void vscode.window.showInformationMessage(
    `${def.name}: password write-back ${on ? 'on' : 'off'} for the connectors the editor starts or generates` +
      `${running ? ' (the embedded connector restarted with it)' : ''}. A connector deployed before reads it from` +
      ` ENABLE_WRITE_BACK in its config.json: set it there${on ? ' to true' : ' to false'} and restart it.`,
  );
  return on;
}

async function setCache(ctx: CommandContext, arg: unknown, on: boolean): Promise<boolean | undefined> {
  const name = await connectionArg(ctx, arg);
  const def = name ? ctx.store.get(name) : undefined;
  if (!def) return undefined;
  await ctx.store.save({ ...def, cacheEnabled: on });
  return on;
}

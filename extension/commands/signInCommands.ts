/** Open Sign-in Page: the page the users of a connection see, served by the hub, in the admin's browser. */
import * as vscode from 'vscode';
import { connectionArg, guarded, type CommandContext } from './context';

export function registerSignInCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'directoryBridge.openSignInPage',
      guarded(async (arg?: unknown, options?: { open?: boolean }) => {
        const name = await connectionArg(ctx, arg);
        if (!name) return undefined;
        const hub = ctx.hubs.hub ?? (await ctx.hubs.start());
        const url = `${hub.url}/login?connection=${encodeURIComponent(name)}`;
        if (options?.open !== false) await vscode.env.openExternal(vscode.Uri.parse(url));
        return url;
      }),
    ),
  ];
}

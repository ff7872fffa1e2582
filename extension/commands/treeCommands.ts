/** The directory tree's commands: show an entry, Go to DN…, find in a container and clear the find. */
import * as vscode from 'vscode';
import { EntryPanel, type EntryDeps } from '../panels/entryPanel';
import { locateEntry, nodeAlong } from '../tree/locateEntry';
import { EntryNode } from '../tree/nodes/entryNode';
import type { ExplorerNode } from '../tree/nodes/node';
import { findFilter } from '../tree/treeLogic';
import { findFilterProblem } from '../../connector/directory';
import { connectionArg, guarded, type CommandContext } from './context';

export function registerTreeCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  const deps: EntryDeps = { extension: ctx.extension, registry: ctx.registry };
  const view = ctx.view as vscode.TreeView<ExplorerNode>;
  return [
    r(
      'directoryBridge.showEntry',
      guarded(async (node?: EntryNode | { connection: string; dn: string }) => {
        if (!node?.dn || !node.connection) return undefined;
        return EntryPanel.show(deps, node.connection, node.dn);
      }),
    ),
    r(
      'directoryBridge.goToDn',
      // (connection or node, text) from scripts and tests; asked for otherwise
      guarded(async (arg?: unknown, input?: string) => {
        const connection = await connectionArg(ctx, arg);
        if (!connection) return undefined;
        const def = ctx.store.get(connection);
        if (!def) throw new Error(`No connection named "${connection}"`);
        input ??= await vscode.window.showInputBox({
          title: `Go to DN in "${connection}"`,
          prompt: `A DN under ${def.directory.baseDn}, or a login name the user filter finds`,
          placeHolder:
            def.directory.kind === 'ad'
              ? `CN=Alice,CN=Users,${def.directory.baseDn}  or  alice`
              : `uid=alice,ou=people,${def.directory.baseDn}  or  alice`,
          ignoreFocusOut: true,
        });
        if (input === undefined) return undefined;
        const t0 = performance.now();
        const dir = await ctx.registry.get(connection);
        const found = await locateEntry(dir, connection, input);
        const root = ctx.tree.connectionNode(connection)!.directory;
        const node = await nodeAlong(root, found.chain);
        await view.reveal(node, { select: true, focus: true, expand: false });
        const ms = performance.now() - t0;
        await EntryPanel.show(deps, connection, found.dn);
        return { dn: found.dn, ms, node };
      }),
    ),
    r(
      'directoryBridge.findInContainer',
      guarded(async (node?: EntryNode, input?: string) => {
        if (!(node instanceof EntryNode) || node.isLeaf) return undefined;
        input ??= await vscode.window.showInputBox({
          title: `Find in ${node.dn}`,
          prompt:
            node.env.kind === 'ad'
              ? 'Text found anywhere in the name, logon name, UPN, mail or display name of the entries right below; or an LDAP filter "(…)"'
              : 'Text found anywhere in the cn, uid, mail, ou or display name of the entries right below; or an LDAP filter "(…)"',
          placeHolder: 'alice',
          value: node.filterText,
          validateInput: (s) => {
            if (!s.trim().startsWith('(')) return undefined;
            return findFilterProblem(findFilter(s, node.env.kind))?.message;
          },
        });
        if (input === undefined) return undefined;
        node.setFind(input || undefined);
        await view.reveal(node, { expand: true, select: true });
        return node;
      }),
    ),
    r(
      'directoryBridge.clearFind',
      guarded(async (node?: EntryNode) => {
        if (!(node instanceof EntryNode)) return undefined;
        node.setFind(undefined);
        return node;
      }),
    ),
  ];
}

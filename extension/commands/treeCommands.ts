/** The directory tree's commands: show an entry, Go to DN…, find in a container and clear the find. */
import * as vscode from 'vscode';
import { ENTRY_VIEW_TYPE, EntryPanel, type EntryDeps } from '../panels/entryPanel';
import { locateEntry, nodeAlong } from '../tree/locateEntry';
import { EntryNode, SUBTREE_MAX } from '../tree/nodes/entryNode';
import type { ExplorerNode } from '../tree/nodes/node';
import { findFilter, scopeWords, type FindScope } from '../tree/treeLogic';
import { findFilterProblem } from '../../connector/directory';
import { connectionArg, guarded, type CommandContext } from './context';

/** True while the find box is open: the `when` of its Alt+L keybinding (package.json), which switches the scope. */
const FIND_BOX_OPEN = 'directoryBridge.findBoxOpen';
/** The open find box's scope switch, for that keybinding (the box's button is out of a keyboard user's way). */
let switchFindScope: (() => void) | undefined;

export function registerTreeCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  const deps: EntryDeps = { extension: ctx.extension, store: ctx.store, registry: ctx.registry };
  const view = ctx.view as vscode.TreeView<ExplorerNode>;
  return [
    // the entry view open before a reload comes back, reading its entry afresh
    vscode.window.registerWebviewPanelSerializer(ENTRY_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        EntryPanel.restore(deps, panel, state);
      },
    }),
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
        const go = async (text: string) => {
          const t0 = performance.now();
          const dir = await ctx.registry.get(connection);
          const found = await locateEntry(dir, connection, text);
          const root = ctx.tree.connectionNode(connection)!.directory;
          const node = await nodeAlong(root, found.chain);
          await view.reveal(node, { select: true, focus: true, expand: false });
          return { dn: found.dn, ms: performance.now() - t0, node };
        };
        // scripted: the text given, an error thrown; asked: the error shown in the box, the text kept to correct
        const result = input !== undefined ? await go(input) : await askUntilFound(connection, def.directory, go);
        if (!result) return undefined;
        await EntryPanel.show(deps, connection, result.dn);
        return result;
      }),
    ),
    r(
      'directoryBridge.findInContainer',
      // (node, text, scope) from scripts and tests; asked for otherwise
      guarded(async (node?: EntryNode, input?: string, scope?: FindScope) => {
        if (!(node instanceof EntryNode) || node.isLeaf) return undefined;
        const asked = input !== undefined ? { text: input, scope: scope ?? 'sub' } : await askFind(node);
        if (!asked) return undefined;
        node.setFind(asked.text || undefined, asked.scope);
        await view.reveal(node, { expand: true, select: true });
        return node;
      }),
    ),
    r('directoryBridge.switchFindScope', () => switchFindScope?.()),
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

/**
 * The find box: the text, and how deep to look, all levels below by default (what an admin looking for a user in
 * nested OUs wants); Alt+L or the button at its right switches to the children only and back. The title says which.
 * Alt+L because the button is reached only by Shift+Tab, which nothing tells, and Tab leaves the box altogether.
 */
function askFind(node: EntryNode): Promise<{ text: string; scope: FindScope } | undefined> {
  const box = vscode.window.createInputBox();
  let scope: FindScope = node.findScope ?? 'sub';
  const what =
    node.env.kind === 'ad' ? 'name, logon name, UPN, mail or display name' : 'cn, uid, mail, ou or display name';
  const draw = () => {
    box.title = `Find in ${node.dn}: ${scopeWords(scope)} below`;
    const depth = scope === 'sub' ? `at any depth below (up to ${SUBTREE_MAX})` : 'right below (not deeper)';
    box.prompt = `Entries ${depth} whose ${what} contains this text; or an LDAP filter such as (sn=Smith). Empty shows all again. Alt+L (or the button at the top right) switches to ${scope === 'sub' ? 'one level only' : 'all levels'}.`;
    box.buttons = [
      scope === 'sub'
        ? {
            iconPath: new vscode.ThemeIcon('list-tree'),
            tooltip: 'All levels below: click or press Alt+L to look one level only',
          }
        : {
            iconPath: new vscode.ThemeIcon('list-flat'),
            tooltip: 'One level below: click or press Alt+L to look at all levels',
          },
    ];
  };
  const problem = (s: string) =>
    s.trim().startsWith('(') ? findFilterProblem(findFilter(s, node.env.kind))?.message : undefined;
  box.placeholder = 'alice';
  box.value = node.filterText ?? '';
  // opened from a row's inline button, the click's focus can land on the tree: the box must not close then
  box.ignoreFocusOut = true;
  draw();
  return new Promise((resolve) => {
    let done = false;
    const toggle = () => {
      scope = scope === 'sub' ? 'one' : 'sub';
      draw();
    };
    box.onDidTriggerButton(toggle);
    switchFindScope = toggle;
    void vscode.commands.executeCommand('setContext', FIND_BOX_OPEN, true);
    box.onDidChangeValue((s) => (box.validationMessage = problem(s)));
    box.onDidAccept(() => {
      if (problem(box.value)) return;
      done = true;
      resolve({ text: box.value, scope });
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      // a box opened after this one (none today) keeps its own switch
      if (switchFindScope === toggle) {
        switchFindScope = undefined;
        void vscode.commands.executeCommand('setContext', FIND_BOX_OPEN, false);
      }
      if (!done) resolve(undefined);
    });
    box.show();
  });
}

/** The Go to DN box: stays open on an error (no such entry, outside the base) with the message under the text. */
function askUntilFound<T>(
  connection: string,
  d: { baseDn: string; kind: 'ad' | 'openldap' },
  go: (text: string) => Promise<T>,
): Promise<T | undefined> {
  const box = vscode.window.createInputBox();
  box.title = `Go to DN in "${connection}"`;
  box.prompt = `A DN under ${d.baseDn}, or a login name the user filter finds`;
  box.placeholder =
    d.kind === 'ad' ? `CN=Alice,CN=Users,${d.baseDn}  or  alice` : `uid=alice,ou=people,${d.baseDn}  or  alice`;
  box.ignoreFocusOut = true;
  return new Promise<T | undefined>((resolve) => {
    let done = false;
    box.onDidChangeValue(() => (box.validationMessage = undefined));
    box.onDidAccept(async () => {
      box.busy = true;
      box.enabled = false;
      try {
        const r = await go(box.value);
        done = true;
        resolve(r);
        box.hide();
      } catch (e) {
        box.validationMessage = { message: (e as Error).message, severity: vscode.InputBoxValidationSeverity.Error };
      } finally {
        box.busy = false;
        box.enabled = true;
      }
    });
    box.onDidHide(() => {
      box.dispose();
      if (!done) resolve(undefined);
    });
    box.show();
  });
}

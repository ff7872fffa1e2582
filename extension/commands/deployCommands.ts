/**
 * Generate Connector Config (a ready deployment folder) and Export Instance Bundle (to add an instance on another
 * server). Neither writes a secret in clear, and the bundle never carries a private key.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../shared/files';
import { createBundle, newPassphrase } from '../../protocol/bundle';
import type { RawConfig } from '../../protocol/connectorConfig';
import { toConnectorConfig } from '../connections/model';
import { DEPLOYMENT_KINDS, filesForKind, formatSize, type DeploymentKind } from '../deploy/packagedDeployment';
import { writeDeployment } from '../deploy/writeDeployment';
import { PACKAGE_VERSION } from '../../packaging/targets';
import { readSettings } from '../settings';
import { networkInterfaces } from 'node:os';
import { forThisMachineOnly, isLoopback, listenAddressProblem, reachableAddresses } from '../deploy/hubReach';
import { lifetimeWords, usesWords } from '../panels/ticketPanel';
import { connectionArg, guarded, type CommandContext } from './context';
import { askKerberos, type KerberosAnswers } from './kerberosQuestions';

/** `listen`: the address, already confirmed with its security warning (the question asks for that itself). */
export type LoopbackAnswer = 'thisMachine' | 'cancel' | { listen: string };

/**
 * Asked before anything is written or a ticket made, when the hub listens on loopback: a connector elsewhere could
 * not reach it. The admin changes the listen address (a machine setting, with its security warning), or names the
 * deployment one for this machine only, or cancels. Returns whether to go on.
 */
async function checkHubReach(ctx: CommandContext, what: string, given?: LoopbackAnswer | 'ask'): Promise<boolean> {
  const host = ctx.hubs.requireHub().host;
  if (!isLoopback(host)) return true;
  const answer = given && given !== 'ask' ? given : await askLoopback(host, what);
  if (!answer || answer === 'cancel') return false;
  if (answer === 'thisMachine') return true;
  await listenOn(ctx, answer.listen);
  return true;
}

/** The security warning of a wider listen address, in full (a quick pick's title wraps; its details are cut). */
function listenWarning(address: string): string {
  return (
    `Listening on ${address} opens the hub to that network: ticket URLs, the connectors' WebSocket and the admin ` +
    `API (which needs its token) answer there. Choose an address only your servers can reach, behind a firewall, ` +
    `never a public one.`
  );
}

async function askLoopback(host: string, what: string): Promise<LoopbackAnswer | undefined> {
  type Item = vscode.QuickPickItem & { answer?: LoopbackAnswer | 'type' };
  const items: Item[] = [
    ...reachableAddresses(networkInterfaces()).map((a): Item => ({
      label: `$(globe) Listen on ${a.address}`,
      description: a.name,
      detail: "Change the hub's listen address for this machine, then generate (you confirm first).",
      answer: { listen: a.address },
    })),
    {
      label: '$(edit) Listen on another address…',
      detail: 'Type an address or DNS name of this machine that the server can dial.',
      answer: 'type',
    },
    {
      label: '$(device-desktop) Generate it for this machine only',
      description: `the connector dials ${host}`,
      detail: 'For a connector on this same computer. Its README says so.',
      answer: 'thisMachine',
    },
    { label: '$(close) Cancel', detail: 'Nothing is written and no ticket is made.', answer: 'cancel' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `${what}: the hub listens on ${host}, so a connector on another machine cannot reach it`,
    placeHolder: 'Choose before anything is written',
    ignoreFocusOut: true,
  });
  if (!picked?.answer) return undefined;
  let answer = picked.answer;
  if (answer === 'type') {
    const typed = await vscode.window.showInputBox({
      title: "The hub's listen address (directoryBridge.hub.host, a machine setting)",
      prompt: 'An address of this machine that the server can dial; you confirm on the next step.',
      ignoreFocusOut: true,
      validateInput: (v) => listenAddressProblem(v),
    });
    if (typed === undefined) return undefined;
    answer = { listen: typed.trim() };
  }
  if (typeof answer !== 'object') return answer;
  // the security warning in full, then the decision
  const address = answer.listen;
  const confirm = await vscode.window.showQuickPick(
    [
      {
        label: `$(globe) Listen on ${address}`,
        detail: 'Sets directoryBridge.hub.host for this machine and restarts the hub there.',
        ok: true,
      },
      { label: '$(close) Cancel', detail: 'Nothing is changed, written or made.', ok: false },
    ],
    { title: `Security: ${listenWarning(address)}`, placeHolder: `Listen on ${address}?`, ignoreFocusOut: true },
  );
  return confirm?.ok ? answer : 'cancel';
}

/** Writes the machine setting and restarts the hub there; the embedded connectors that ran are started again. */
async function listenOn(ctx: CommandContext, address: string): Promise<void> {
  const problem = listenAddressProblem(address);
  if (problem) throw new Error(problem);
  const settings = vscode.workspace.getConfiguration('directoryBridge');
  const before = settings.inspect<string>('hub.host')?.globalValue;
  const running = ctx.store
    .all()
    .map((d) => d.name)
    .filter((n) => ctx.runner.isRunning(n));
  const restart = async () => {
    await ctx.runner.stopAll();
    await ctx.hubs.stop();
    await ctx.hubs.start();
    for (const n of running) await ctx.runner.start(n);
  };
  await settings.update('hub.host', address, vscode.ConfigurationTarget.Global);
  try {
    await restart();
  } catch (e) {
    // an address this machine does not have: back to where it listened, nothing written, no ticket made
    await settings.update('hub.host', before, vscode.ConfigurationTarget.Global);
    await restart();
    const why = (e as Error).message.replace(/^The hub did not start: /, '');
    const plain = /EADDRNOTAVAIL/.test(why)
      ? 'this machine has no such address'
      : /ENOTFOUND|EAI_AGAIN/.test(why)
        ? 'the name does not resolve here'
        : why;
    throw new Error(
      `The hub could not listen on ${address}: ${plain}. It listens on ${ctx.hubs.requireHub().url} again, and nothing was written.`,
    );
  }
  void vscode.window.showWarningMessage(
    `The hub now listens on ${ctx.hubs.requireHub().url} (directoryBridge.hub.host). ${listenWarning(address)}`,
  );
}

/** A ticket made inside a file (deployment, bundle) is announced: where it is, for how long, how many uses. */
function announceTicket(
  t: { id: string; expiresAt: string; maxUses: number },
  connection: string,
  o: { holder: string; sealed: string; unused: string },
): string {
  return `${o.holder} holds a new ticket (${t.id.slice(0, 8)}) for "${connection}", ${o.sealed}: it registers ${usesWords(t.maxUses)} ${lifetimeWords(t.expiresAt)}. Revoke it under Tickets if you do not use ${o.unused}.`;
}

/** Where the built connector packages are: the setting, else dist-packages/ beside the extension's dist/. */
function packagesDir(ctx: CommandContext): string {
  const configured = vscode.workspace.getConfiguration('directoryBridge').get<string>('connectorPackages');
  return configured || path.join(path.dirname(path.dirname(ctx.runner.connectorScript)), 'dist-packages');
}

async function pickKind(): Promise<DeploymentKind | undefined> {
  const picked = await vscode.window.showQuickPick(
    DEPLOYMENT_KINDS.map((k) => ({ label: k.label, detail: k.detail, deployment: k.kind })),
    {
      title: 'Generate Connector Config: which kind of server?',
      placeHolder: 'The connector runs on the directory side, as a service',
    },
  );
  return picked?.deployment;
}

export function registerDeployCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  return [
    r(
      'directoryBridge.generateConnectorConfig',
      guarded(
        async (
          arg?: unknown,
          options?: {
            folder?: string;
            kind?: DeploymentKind;
            kerberos?: KerberosAnswers;
            /** What to do about a loopback hub; a caller that names the folder gets 'thisMachine' unless it says */
            loopback?: LoopbackAnswer | 'ask';
          },
        ) => {
          const name = await connectionArg(ctx, arg);
          const def = name ? ctx.store.get(name) : undefined;
          if (!def) return undefined;
          // a caller that names the folder (tests, scripts) gets the Node folder unless it names a kind
          const kind = options?.kind ?? (options?.folder ? 'node' : await pickKind());
          if (!kind) return undefined;
          if (!ctx.hubs.hub) await ctx.hubs.start();
          const label = DEPLOYMENT_KINDS.find((k) => k.kind === kind)!.label;
          // before anything is written or a ticket made
          const loopback = isLoopback(ctx.hubs.requireHub().host);
          const answer = options?.loopback ?? (options?.folder ? 'thisMachine' : 'ask');
          if (!(await checkHubReach(ctx, `Generate Connector Config (${label})`, answer))) return undefined;
          const forThisMachine = loopback && isLoopback(ctx.hubs.requireHub().host);
          const hub = ctx.hubs.requireHub();
          let folder = options?.folder;
          if (!folder) {
            const picked = await vscode.window.showOpenDialog({
              title: `Folder for the "${name}" connector deployment`,
              canSelectFolders: true,
              canSelectFiles: false,
              canSelectMany: false,
              openLabel: 'Write deployment here',
            });
            if (!picked?.length) return undefined;
            folder = picked[0].fsPath;
          }
          const kerberos = await askKerberos(def.name, def.kerberosRanges, options?.kerberos);
          const ldapCaPem = def.directory.caFile ? readFileSync(def.directory.caFile, 'utf8') : undefined;
          const configWithout: RawConfig = { ...toConnectorConfig(def), CA_CERT: hub.caPem, LOG_LEVEL: 'info' };
          // checks the packages exist before a ticket is made for nothing
          filesForKind(
            kind,
            { connection: def.name, config: configWithout, ldapCaPem, kerberos },
            { packagesDir: packagesDir(ctx), version: PACKAGE_VERSION, connectorJs: () => Buffer.alloc(0) },
          );
          const ticket = hub.createTicket(def.name, readSettings().ticketLifetimeMs, 1, {
            purpose: `deployment${forThisMachine ? ' for this machine' : ''}: ${label}`,
          });
          const config: RawConfig = { ...configWithout, PROVISIONING_TICKET: ticket.pinnedUrl };
          const generated = filesForKind(
            kind,
            { connection: def.name, config, ldapCaPem, kerberos },
            {
              packagesDir: packagesDir(ctx),
              version: PACKAGE_VERSION,
              connectorJs: () => readFileSync(ctx.runner.connectorScript),
            },
          );
          const files = forThisMachine ? forThisMachineOnly(generated, hub.url) : generated;
          const bytes = writeDeployment(folder, files);
          const message =
            `${label} for "${name}"${forThisMachine ? ', for this machine only' : ''}: ${files.length} files, ${formatSize(bytes)}, written to ${folder}. ` +
            `${forThisMachine ? 'Run it on this machine' : 'Copy the folder to the server'} and follow its README. ` +
            announceTicket(ticket, def.name, {
              holder: 'Its config.json',
              sealed: "sealed on the connector's machine at setup",
              unused: 'this folder',
            });
          if (options?.folder) void vscode.window.showInformationMessage(message);
          else {
            const open = await vscode.window.showInformationMessage(message, 'Open README', 'Reveal Folder');
            if (open === 'Open README')
              await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'README.md')));
            if (open === 'Reveal Folder' && existsSync(folder))
              await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(folder, 'README.md')));
          }
          return { folder, kind, files: files.map((f) => f.path), bytes, ticketId: ticket.id, forThisMachine, message };
        },
      ),
    ),
    r(
      'directoryBridge.exportInstanceBundle',
      guarded(async (arg?: unknown, options?: { file?: string; loopback?: LoopbackAnswer | 'ask' }) => {
        const name = await connectionArg(ctx, arg);
        const def = name ? ctx.store.get(name) : undefined;
        if (!def) return undefined;
        if (!ctx.hubs.hub) await ctx.hubs.start();
        const answer = options?.loopback ?? (options?.file ? 'thisMachine' : 'ask');
        if (!(await checkHubReach(ctx, 'Export Instance Bundle', answer))) return undefined;
        const hub = ctx.hubs.requireHub();
        const password = await ctx.store.bindPassword(def.name);
        let file = options?.file;
        if (!file) {
          const picked = await vscode.window.showSaveDialog({
            title: 'Save the instance bundle',
            defaultUri: vscode.Uri.file(`${def.name}.bundle.json`),
            filters: { 'Instance bundle': ['json'] },
          });
          if (!picked) return undefined;
          file = picked.fsPath;
        }
        const passphrase = newPassphrase();
        // each bundle its own single-use ticket, sealed with everything else under the passphrase
        const ticket = hub.createTicket(def.name, readSettings().ticketLifetimeMs, 1, {
          purpose: `bundle ${path.basename(file)}`,
        });
        const bundle = createBundle(
          def.name,
          {
            config: { ...toConnectorConfig(def), CA_CERT: hub.caPem },
            bindPassword: password,
            ticket: ticket.pinnedUrl,
          },
          passphrase,
        );
        writeFileAtomic(file, JSON.stringify(bundle, null, 2), 0o600);
        const ticketNote = announceTicket(ticket, def.name, {
          holder: 'The bundle',
          sealed: 'sealed under its passphrase',
          unused: 'the bundle',
        });
        if (!options?.file) {
          await vscode.window.showInformationMessage(
            `Bundle written to ${file}. On the new server: node connector.js import-bundle ${path.basename(file)}\n\n${ticketNote}\n\nIts passphrase, shown only now (send it separately from the file):\n\n${passphrase}`,
            { modal: true },
          );
        } else void vscode.window.showInformationMessage(`Bundle written to ${file}. ${ticketNote}`);
        return { file, passphrase, ticketId: ticket.id };
      }),
    ),
    // a folder of the deployed AD/LDAP connector, taken over in place; the report says what was left
    r(
      'directoryBridge.adoptInstallation',
      guarded(async (options?: { folder?: string }) => {
        let folder = options?.folder;
        if (!folder) {
          const picked = await vscode.window.showOpenDialog({
            title: "The deployed connector's folder (config.json and certs/)",
            canSelectFolders: true,
            canSelectFiles: false,
            canSelectMany: false,
            openLabel: 'Adopt this installation',
          });
          if (!picked?.length) return undefined;
          folder = picked[0].fsPath;
        }
        // the bundled connector does the work (`adopt DIR --json`): the extension never imports the connector
        const { report, text } = await ctx.runner.adopt(folder);
        if (!options?.folder) {
          await ctx.reports.show(`Adopt ${path.basename(folder)}.txt`, text);
        }
        return report;
      }),
    ),
  ];
}

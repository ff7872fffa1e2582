/**
 * The test-login panel, host side: a login through the hub and a live instance (or its credential cache), or
 * directly from the editor to the directory, explained: the verdict in plain words with its source, the DN, the
 * groups, the mapped profile, who answered, and the time of each stage. The password is used for the one try and
 * dropped; it is never stored, logged or sent back.
 */
import * as vscode from 'vscode';
import { DirectoryError, mapperLine, ProfileMapper } from '../../connector/directory';
import type { ConnectionStore } from '../connections/store';
import type { DirectoryRegistry } from '../directories';
import type { HubService } from '../hubService';
import { acceptsEmail, userFilterMatches } from '../connections/model';
import { fixesFor, type AccountFixer } from './accountFixes';
import type { LoginMode, LoginToHost, LoginToWebview, LoginView, MapperView } from '../webview/messages';
import { checkLoginMessage } from './messageChecks';
import { PanelHost } from './panelHost';
import { panelOptions } from './webviewHtml';

export const LOGIN_VIEW_TYPE = 'directoryBridge.testLogin';

const PLAIN_WORDS: Record<string, string> = {
  WrongUsername: 'Unknown user',
  WrongPassword: 'Wrong password',
  PasswordExpired: 'Password expired',
  AccountDisabled: 'Account disabled',
  AccountExpired: 'Account expired',
  PasswordChangeRequired: 'Password must be changed',
  AccountLocked: 'Account locked out',
  InsufficientAccessRightsError: 'Insufficient access rights',
  PasswordComplexityError: 'Password does not meet the policy',
};

import { kerberosLoginView } from './kerberosLogin';

export interface LoginDeps {
  extension: vscode.ExtensionContext;
  store: ConnectionStore;
  registry: DirectoryRegistry;
  hubs: HubService;
  fixer: AccountFixer;
}

export class LoginPanel extends PanelHost<LoginToHost, LoginToWebview> {
  static current?: LoginPanel;
  /** Not in the owned list: it is replaced each time a mapper is opened. */
  private mapperWatch?: vscode.Disposable;

  static show(deps: LoginDeps, connection?: string): LoginPanel {
    if (LoginPanel.current) {
      LoginPanel.current.panel.reveal();
      return LoginPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      LOGIN_VIEW_TYPE,
      'Test a Login',
      vscode.ViewColumn.Active,
      panelOptions(deps.extension.extensionUri),
    );
    return new LoginPanel(panel, deps, connection);
  }

  constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: LoginDeps,
    private readonly preferred?: string,
  ) {
    super(panel, deps.extension, 'login', 'Test a Login');
    LoginPanel.current = this;
  }

  protected check(m: unknown) {
    return checkLoginMessage(m);
  }

  protected init(): LoginToWebview {
    const last =
      this.deps.extension.globalState.get<{ connection?: string; username?: string; mode?: LoginMode }>(
        'directoryBridge.login.last',
      ) ?? {};
    return {
      type: 'init',
      connections: this.deps.store.all().map((c) => ({
        name: c.name,
        emailDomains: c.emailDomains,
        userFilter: c.directory.userFilter,
        matches: userFilterMatches(c.directory.userFilter, c.directory.kind),
        acceptsEmail: acceptsEmail(c.directory.userFilter),
      })),
      last: { ...last, connection: this.preferred ?? last.connection },
    };
  }

  async handle(m: Exclude<LoginToHost, { type: 'ready' }>): Promise<LoginView | MapperView | undefined> {
    switch (m.type) {
      case 'login': {
        this.post({ type: 'busy' });
        try {
          const view = await this.login(m.username, m.password, m.mode, m.connection);
          await this.deps.extension.globalState.update('directoryBridge.login.last', {
            connection: view.connection,
            username: m.username,
            mode: m.mode,
          });
          this.post({ type: 'result', view });
          return view;
        } catch (e) {
          this.post({ type: 'failure', message: (e as Error).message });
          return undefined;
        }
      }
      case 'openMapper':
        return this.openMapper(m.connection, m.username);
      case 'fix': {
        const outcome = await this.deps.fixer
          .run(m.connection, m.username, m.fix)
          .catch((e: Error) => ({ done: false, message: e.message }));
        this.post({ type: 'fixed', ...outcome });
        return undefined;
      }
      case 'openAuditLog':
        await vscode.commands.executeCommand('directoryBridge.openAuditLog');
        return undefined;
    }
  }

  /** The connection for a username: by email domain, else the one chosen, else the only one. */
  connectionFor(username: string, chosen?: string): string {
    const domain = /@([^@\s]+)$/.exec(username)?.[1]?.toLowerCase();
    const byDomain = domain
      ? this.deps.store.all().find((c) => c.emailDomains.some((d) => d.toLowerCase() === domain))
      : undefined;
    const name =
      chosen || byDomain?.name || (this.deps.store.names().length === 1 ? this.deps.store.names()[0] : undefined);
    if (!name)
      throw new Error(
        domain
          ? `No connection has the email domain ${domain}: choose one.`
          : 'Choose a connection (or type an email address whose domain a connection has).',
      );
    return name;
  }

  async login(username: string, password: string, mode: LoginMode, chosen?: string): Promise<LoginView> {
    const connection = this.connectionFor(username, chosen || undefined);
    const base = { connection, username, mode };
    if (mode === 'kerberos')
      return kerberosLoginView(this.deps.hubs.requireHub(), connection, this.deps.extension.extensionPath, username);
    if (mode === 'hub') {
      const r = await this.deps.hubs.requireHub().login(connection, username, password);
      const profile = r.profile as { dn?: string; groups?: string[] } | undefined;
      const stages = [
        ['hub → connector → hub', r.timings.hubToConnectorMs],
        ['user search', r.timings.searchMs],
        ['bind', r.timings.bindMs],
        ['groups', r.timings.groupsMs],
      ]
        .filter(([, ms]) => typeof ms === 'number')
        .map(([name, ms]) => ({ name: name as string, ms: ms as number }));
      return {
        ...base,
        ok: r.ok,
        profile: r.ok ? profile : withoutGroups(profile),
        dn: profile?.dn,
        groups: r.ok ? (profile?.groups ?? []) : [],
        stages,
        totalMs: r.timings.totalMs,
        fixes: r.ok || !profile?.dn ? undefined : fixesFor(r.error?.name),
        headline: r.ok ? 'Login succeeded' : (PLAIN_WORDS[r.error!.name] ?? r.error!.message),
        source: r.ok ? undefined : (r.error?.source ?? r.error?.message),
        errorName: r.error?.name,
        answeredBy: r.fromCache
          ? "the hub's credential cache (no instance online)"
          : r.instance
            ? `connector instance on ${r.instance.host}`
            : undefined,
      };
    }
    const dir = await this.deps.registry.get(connection);
    const t0 = performance.now();
    try {
      const r = await dir.authenticate(username, password);
      return {
        ...base,
        ok: true,
        headline: r.warning ? `Login allowed: ${r.warning}` : 'Login succeeded',
        dn: r.dn,
        profile: r.profile,
        groups: r.profile.groups,
        answeredBy: 'the directory, directly from this editor',
        totalMs: r.timings.totalMs,
        stages: [
          { name: 'user search', ms: r.timings.searchMs },
          { name: 'bind', ms: r.timings.bindMs },
          { name: 'groups', ms: r.timings.groupsMs },
        ],
      };
    } catch (e) {
      if (!(e instanceof DirectoryError)) throw e;
      const profile = e.profile as { dn?: string; groups?: string[] } | undefined;
      return {
        ...base,
        ok: false,
        headline: PLAIN_WORDS[e.protocolName] ?? e.message,
        source: e.source ?? e.message,
        errorName: e.protocolName,
        dn: profile?.dn,
        profile: withoutGroups(profile),
        groups: [],
        answeredBy: 'the directory, directly from this editor',
        totalMs: performance.now() - t0,
        stages: [],
        fixes: profile?.dn ? fixesFor(e.protocolName) : undefined,
      };
    }
  }

  /** Opens the connection's profile mapper; every save re-maps the chosen user and shows the result (or the error's line). */
  async openMapper(connection: string, username: string, file?: string): Promise<MapperView | undefined> {
    const def = this.deps.store.get(connection);
    if (!def) return undefined;
    let mapperFile = file ?? def.directory.profileMapperFile;
    if (!mapperFile) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Profile mapper (module.exports = function (user, defaults) { ... })',
        filters: { JavaScript: ['js', 'cjs'] },
      });
      if (!picked?.length) return undefined;
      mapperFile = picked[0].fsPath;
    }
    if (def.directory.profileMapperFile !== mapperFile)
      await this.deps.store.save({ ...def, directory: { ...def.directory, profileMapperFile: mapperFile } });
    if (!file)
      await vscode.window.showTextDocument(vscode.Uri.file(mapperFile), {
        viewColumn: vscode.ViewColumn.Beside,
        preview: false,
      });
    this.mapperWatch?.dispose();
    this.mapperWatch = vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.fsPath === mapperFile) void this.previewMapper(connection, username, mapperFile!);
    });
    return this.previewMapper(connection, username, mapperFile);
  }

  async previewMapper(connection: string, username: string, file: string): Promise<MapperView> {
    const dir = await this.deps.registry.get(connection);
    let view: MapperView;
    try {
      const entry = await dir.findUser(username);
      const groups = (await dir.groupsOfUser(username)).map((g) => g.name);
      view = { file, username, profile: new ProfileMapper(file).map(entry, groups) };
    } catch (e) {
      view = { file, username, error: (e as Error).message, line: mapperLine((e as Error).message, file) };
    }
    this.post({ type: 'mapper', view });
    return view;
  }

  override dispose(): void {
    if (LoginPanel.current === this) LoginPanel.current = undefined;
    this.mapperWatch?.dispose();
    super.dispose();
  }
}

/** A refused login resolves no groups: the profile must not say "groups": [] as if the user had none. */
function withoutGroups(profile: { groups?: unknown } | undefined): unknown {
  if (!profile) return undefined;
  const { groups: _groups, ...rest } = profile;
  return rest;
}

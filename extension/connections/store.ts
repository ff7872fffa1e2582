/**
 * Where connections live: definitions in a JSON file in the extension's global storage (never in settings or the
 * workspace), service-account passwords in SecretStorage. A file that does not parse is left untouched and the
 * store goes read-only with a clear message, so nothing is lost; an entry that does not validate is skipped with
 * its reason while the others load.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../shared/files';
import { Disposable } from '../common/disposable';
import { problemsOf, type ConnectionDefinition } from './model';

interface StoreFile {
  version: 1;
  connections: ConnectionDefinition[];
}

const SECRET_PREFIX = 'directoryBridge.bindPassword.';

export class ConnectionStore extends Disposable {
  private readonly file: string;
  private items: ConnectionDefinition[] = [];
  /** Why the store is read-only, if it is. */
  readOnlyReason?: string;
  /** Entries skipped at load, with the reason. */
  skipped: Array<{ name: string; problems: string[] }> = [];
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    storageDir: string,
    private readonly secrets: vscode.SecretStorage,
  ) {
    super();
    this.file = path.join(storageDir, 'connections.json');
    this.load();
  }

  get path(): string {
    return this.file;
  }
  all(): ConnectionDefinition[] {
    return [...this.items];
  }
  get(name: string): ConnectionDefinition | undefined {
    return this.items.find((c) => c.name === name);
  }
  names(): string[] {
    return this.items.map((c) => c.name);
  }

  async save(def: ConnectionDefinition, bindPassword?: string, previousName?: string): Promise<void> {
    this.assertWritable();
    const others = this.items.filter((c) => c.name !== (previousName ?? def.name));
    const problems = problemsOf(
      def,
      others.map((c) => c.name),
    );
    if (problems.length) throw new Error(problems.join(' '));
    this.items = [...others, def].sort((a, b) => a.name.localeCompare(b.name));
    this.write();
    if (bindPassword !== undefined) await this.secrets.store(SECRET_PREFIX + def.name, bindPassword);
    if (previousName && previousName !== def.name) {
      const old = await this.secrets.get(SECRET_PREFIX + previousName);
      if (old !== undefined && bindPassword === undefined) await this.secrets.store(SECRET_PREFIX + def.name, old);
      await this.secrets.delete(SECRET_PREFIX + previousName);
    }
    this.changed.fire();
  }

  async delete(name: string): Promise<void> {
    this.assertWritable();
    this.items = this.items.filter((c) => c.name !== name);
    this.write();
    await this.secrets.delete(SECRET_PREFIX + name);
    this.changed.fire();
  }

  bindPassword(name: string): Thenable<string | undefined> {
    return this.secrets.get(SECRET_PREFIX + name);
  }

  private assertWritable(): void {
    if (this.readOnlyReason) throw new Error(`Connections are read-only: ${this.readOnlyReason}`);
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    let parsed: StoreFile;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as StoreFile;
    } catch (e) {
      this.readOnlyReason = `${this.file} is not valid JSON (${(e as Error).message}). It was left as it is; fix it and reload the window.`;
      return;
    }
    if (!parsed || !Array.isArray(parsed.connections)) {
      this.readOnlyReason = `${this.file} does not hold a "connections" list. It was left as it is; fix it and reload the window.`;
      return;
    }
    const seen: string[] = [];
    for (const c of parsed.connections) {
      const problems =
        c && typeof c === 'object' && c.directory && typeof c.directory === 'object'
          ? problemsOf({ ...c, emailDomains: c.emailDomains ?? [], kerberosRanges: c.kerberosRanges ?? [] }, seen)
          : ['not a connection object'];
      if (problems.length) {
        this.skipped.push({ name: String((c as { name?: unknown })?.name ?? '?'), problems });
        continue;
      }
      seen.push(c.name);
      this.items.push({ ...c, emailDomains: c.emailDomains ?? [], kerberosRanges: c.kerberosRanges ?? [] });
    }
    // an entry we could not read must not be dropped by our next write
    if (this.skipped.length) {
      this.readOnlyReason = `${this.skipped.length} entr${this.skipped.length > 1 ? 'ies' : 'y'} in ${this.file} could not be read (${this.skipped.map((s) => `${s.name}: ${s.problems[0]}`).join('; ')}). The file was left as it is; fix it and reload the window.`;
    }
  }

  private write(): void {
    writeFileAtomic(
      this.file,
      JSON.stringify({ version: 1, connections: this.items } satisfies StoreFile, null, 2),
      0o600,
    );
  }
}

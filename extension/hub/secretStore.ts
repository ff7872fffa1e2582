/**
 * Where the hub keeps secrets (the connections' signing keys). Headless: an owner-only file in the state folder.
 * In VS Code the extension passes an adapter over SecretStorage instead, so no secret sits in settings or files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../shared/files';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class FileSecretStore implements SecretStore {
  private cache?: Record<string, string>;
  constructor(private readonly file: string) {}

  async get(key: string): Promise<string | undefined> {
    return this.read()[key];
  }
  async set(key: string, value: string): Promise<void> {
    const d = this.read();
    d[key] = value;
    this.write(d);
  }
  async delete(key: string): Promise<void> {
    const d = this.read();
    delete d[key];
    this.write(d);
  }

  private read(): Record<string, string> {
    if (this.cache) return this.cache;
    if (!existsSync(this.file)) return (this.cache = {});
    try {
      this.cache = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch (e) {
      throw new Error(
        `The hub's secret store ${this.file} is not valid JSON (${(e as Error).message}); fix or move it, nothing was changed.`,
      );
    }
    return this.cache;
  }
  private write(d: Record<string, string>): void {
    this.cache = d;
    writeFileAtomic(this.file, JSON.stringify(d, null, 2), 0o600);
  }
}

export class MemorySecretStore implements SecretStore {
  private readonly m = new Map<string, string>();
  async get(key: string) {
    return this.m.get(key);
  }
  async set(key: string, value: string) {
    this.m.set(key, value);
  }
  async delete(key: string) {
    this.m.delete(key);
  }
}

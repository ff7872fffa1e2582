/**
 * The hub's connections: their records in the state, and each one's request-signing key, kept in the secret store
 * and held ready in memory to sign the hub's requests. Deleting a connection takes its key, its cache entries and
 * its connected instances with it.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../shared/logger';
import { requestTokens, signingKeyBytes, type RequestTokens } from '../../protocol/tokens';
import type { CredentialCache } from './credentialCache';
import { UnknownConnectionError } from './errors';
import type { SecretStore } from './secretStore';
import type { ConnectionRecord, HubState } from './state';

export interface NewConnection {
  name: string;
  emailDomains?: string[];
  kerberosRanges?: string[];
  cacheEnabled?: boolean;
  requireApproval?: boolean;
}

export type ConnectionPatch = Partial<
  Pick<ConnectionRecord, 'emailDomains' | 'kerberosRanges' | 'cacheEnabled' | 'requireApproval'>
>;

export interface ConnectionsDeps {
  state: HubState;
  secrets: SecretStore;
  cache: CredentialCache;
  log: Logger;
  /** Closes the sessions of a deleted connection's instances. */
  disconnect: (connection: string) => void;
  changed: () => void;
}

const keyName = (connection: string) => `signingKey:${connection}`;
const newKey = () => randomBytes(32).toString('base64url');

export class Connections {
  private readonly tokens = new Map<string, RequestTokens>();

  constructor(private readonly deps: ConnectionsDeps) {}

  list(): ConnectionRecord[] {
    return this.deps.state.connections;
  }

  /** The record, or UnknownConnectionError. */
  require(name: string): ConnectionRecord {
    const c = this.deps.state.connection(name);
    if (!c) throw new UnknownConnectionError(`No connection named "${name}"`);
    return c;
  }

  async create(input: NewConnection): Promise<ConnectionRecord> {
    const rec: ConnectionRecord = {
      name: input.name,
      emailDomains: input.emailDomains ?? [],
      kerberosRanges: input.kerberosRanges ?? [],
      cacheEnabled: input.cacheEnabled ?? true,
      requireApproval: input.requireApproval ?? true,
      createdAt: new Date().toISOString(),
    };
    this.deps.state.addConnection(rec);
    const key = newKey();
    await this.deps.secrets.set(keyName(rec.name), key);
    this.tokens.set(rec.name, requestTokens(signingKeyBytes(key)));
    this.deps.log.info('hub.connection.created', { connection: rec.name });
    this.deps.changed();
    return rec;
  }

  update(name: string, patch: ConnectionPatch): ConnectionRecord {
    const rec = this.deps.state.updateConnection(name, patch);
    if (patch.cacheEnabled === false) this.deps.cache.forgetConnection(name);
    this.deps.changed();
    return rec;
  }

  async delete(name: string): Promise<void> {
    this.deps.state.deleteConnection(name);
    await this.deps.secrets.delete(keyName(name));
    this.tokens.delete(name);
    this.deps.cache.forgetConnection(name);
    this.deps.disconnect(name);
    this.deps.changed();
  }

  /** Reads every connection's key at start; a missing one is made anew, and its connectors need provisioning again. */
  async loadKeys(): Promise<void> {
    for (const c of this.deps.state.connections) {
      let key = await this.deps.secrets.get(keyName(c.name));
      if (!key) {
        key = newKey();
        await this.deps.secrets.set(keyName(c.name), key);
        this.deps.log.warn('hub.signing_key.regenerated', {
          connection: c.name,
          message: 'the signing key was missing; connectors must be provisioned again',
        });
      }
      this.tokens.set(c.name, requestTokens(signingKeyBytes(key)));
    }
  }

  /** What signs and checks the hub's requests on this connection. */
  tokensOf(name: string): RequestTokens {
    const t = this.tokens.get(name);
    if (!t) throw new UnknownConnectionError(`No signing key for "${name}"`);
    return t;
  }

  /** The key itself, as a connector receives it when its certificate is registered. */
  async signingKey(name: string): Promise<string> {
    return (await this.deps.secrets.get(keyName(name)))!;
  }
}

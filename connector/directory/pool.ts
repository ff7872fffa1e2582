/**
 * A small pool of LDAP connections, each carrying one operation at a time. That rule is what keeps binds safe:
 * OpenLDAP abandons every outstanding operation on a connection when a Bind arrives, so two binds (or a bind
 * and a search) sharing a connection lose answers. Health checks go through the same queue, so they never
 * touch a connection that has work in flight. A connection that died (server restart, network) is replaced
 * on the next use and the operation retried once; a timed-out connection is destroyed, never reused.
 */
import {
  classifyFailure,
  LdapConnection,
  openConnection,
  timeoutError,
  tlsDescription,
  type EndpointSettings,
} from './connection';
import { DirectoryError, DirectoryUnavailableError, TlsError } from './errors';
import type { Logger } from '../../shared/logger';

export interface PoolOptions {
  name: string;
  size: number;
  endpoint: EndpointSettings;
  log: Logger;
  /** Runs once on each new connection before it is used (the service pool binds here). */
  prepare?: (conn: LdapConnection) => Promise<void>;
  /** How long a caller may wait for a free connection before giving up. */
  acquireTimeoutMs?: number;
}

export interface PoolStats {
  name: string;
  size: number;
  open: number;
  busy: number;
  waiting: number;
}

export class ConnectionPool {
  private readonly idle: LdapConnection[] = [];
  private readonly open = new Set<LdapConnection>();
  private opening = 0;
  private readonly waiters: Array<{
    resolve: (c: LdapConnection) => void;
    reject: (e: unknown) => void;
    timer?: NodeJS.Timeout;
  }> = [];
  private closed = false;

  constructor(private readonly opts: PoolOptions) {
    if (opts.size < 1) throw new Error(`pool ${opts.name}: size must be at least 1`);
  }

  get stats(): PoolStats {
    return {
      name: this.opts.name,
      size: this.opts.size,
      open: this.open.size,
      busy: this.open.size - this.idle.length,
      waiting: this.waiters.length,
    };
  }

  /** Runs `fn` on a connection of its own. Retries once on a fresh connection if the connection was lost. */
  async run<T>(fn: (conn: LdapConnection) => Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
    const retry = options.retry !== false;
    const conn = await this.acquire();
    let released = false;
    try {
      return await fn(conn);
    } catch (e) {
      const failure = e instanceof DirectoryError ? undefined : classifyFailure(e);
      if (failure === 'timeout') {
        conn.destroy();
        throw timeoutError(conn.url, this.opts.endpoint.operationTimeoutMs);
      }
      if (failure === 'tls') {
        conn.destroy();
        throw new TlsError(tlsDescription(e, conn.url, this.opts.endpoint.tls), { cause: e });
      }
      if (failure === 'lost' || failure === 'connect') {
        conn.destroy();
        this.opts.log.warn('directory.connection.lost', {
          pool: this.opts.name,
          url: conn.url,
          error: (e as Error).message,
        });
        if (retry) {
          // free the slot first: with a pool of one, the retry would otherwise wait for itself
          this.release(conn);
          released = true;
          return this.run(fn, { retry: false });
        }
        throw new DirectoryUnavailableError(`The connection to ${conn.url} was lost: ${(e as Error).message}`, {
          cause: e,
        });
      }
      throw e;
    } finally {
      if (!released) this.release(conn);
    }
  }

  /**
   * Streams what `produce` yields while it holds one connection, reading at most `readAhead` items ahead of
   * the consumer. The connection is released when the producer ends, fails, or the consumer stops early.
   */
  async *stream<T>(produce: (conn: LdapConnection) => AsyncIterable<T>, readAhead = 2): AsyncGenerator<T> {
    const buffer: T[] = [];
    let finished = false;
    let stopped = false;
    let failure: unknown;
    let wakeConsumer: (() => void) | undefined;
    let wakeProducer: (() => void) | undefined;
    const signal = (w: (() => void) | undefined) => w?.();
    const running = this.run(
      async (conn) => {
        for await (const item of produce(conn)) {
          if (stopped) break;
          buffer.push(item);
          signal(wakeConsumer);
          while (buffer.length >= readAhead && !stopped)
            await new Promise<void>((r) => {
              wakeProducer = r;
            });
          if (stopped) break;
        }
      },
      { retry: false },
    )
      .catch((e) => {
        failure = e;
      })
      .finally(() => {
        finished = true;
        signal(wakeConsumer);
      });
    try {
      for (;;) {
        if (buffer.length) {
          const item = buffer.shift()!;
          signal(wakeProducer);
          yield item;
          continue;
        }
        if (finished) break;
        await new Promise<void>((r) => {
          wakeConsumer = r;
        });
      }
      await running;
      if (failure) throw failure;
    } finally {
      stopped = true;
      signal(wakeProducer);
      // the connection is free once the consumer's loop has ended, not a tick later
      await running;
    }
  }

  /** Closes every connection; pending callers get an error. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(new DirectoryUnavailableError(`pool ${this.opts.name} is closed`));
    }
    const all = [...this.open];
    this.open.clear();
    this.idle.length = 0;
    await Promise.all(all.map((c) => c.client.unbind().catch(() => c.destroy())));
  }

  private async acquire(): Promise<LdapConnection> {
    if (this.closed) throw new DirectoryUnavailableError(`pool ${this.opts.name} is closed`);
    while (this.idle.length) {
      const conn = this.idle.pop()!;
      if (conn.alive) return conn;
      this.discard(conn);
    }
    if (this.open.size + this.opening < this.opts.size) return this.create();
    return new Promise<LdapConnection>((resolve, reject) => {
      const waiter: (typeof this.waiters)[number] = { resolve, reject };
      if (this.opts.acquireTimeoutMs) {
        waiter.timer = setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(
            new DirectoryUnavailableError(
              `No ${this.opts.name} connection became free within ${this.opts.acquireTimeoutMs} ms`,
            ),
          );
        }, this.opts.acquireTimeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  private async create(): Promise<LdapConnection> {
    this.opening++;
    try {
      const conn = await openConnection(this.opts.endpoint, this.opts.log);
      try {
        if (this.opts.prepare) await this.opts.prepare(conn);
      } catch (e) {
        conn.destroy();
        throw e;
      }
      this.open.add(conn);
      return conn;
    } finally {
      this.opening--;
      // a failed open frees a slot that a waiter may now use
      if (this.open.size + this.opening < this.opts.size && this.waiters.length && !this.idle.length) this.handOffNew();
    }
  }

  private handOffNew(): void {
    const w = this.waiters.shift();
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    this.create().then(w.resolve, w.reject);
  }

  private release(conn: LdapConnection): void {
    if (this.closed) {
      void conn.client.unbind().catch(() => undefined);
      return;
    }
    if (!conn.alive) {
      this.discard(conn);
      if (this.waiters.length) this.handOffNew();
      return;
    }
    const w = this.waiters.shift();
    if (w) {
      if (w.timer) clearTimeout(w.timer);
      w.resolve(conn);
    } else {
      this.idle.push(conn);
    }
  }

  private discard(conn: LdapConnection): void {
    conn.destroy();
    this.open.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
  }
}

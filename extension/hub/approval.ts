/**
 * New connector instances wait for an admin: a certificate registered for a connection that requires approval is
 * `pending`; its instance may connect but gets no traffic until approved. Rejecting (or removing) a certificate
 * refuses it from then on, disconnects its instance and drops every credential-cache entry it vouched for.
 */
import { X509Certificate } from 'node:crypto';
import type { Logger } from '../../shared/logger';
import type { CredentialCache } from './credentialCache';
import type { Gateway } from './gateway';
import type { CertificateRecord, HubState } from './state';

export interface PendingInstance {
  thumbprint: string;
  connection: string;
  /** Missing for the editor's own connector, which never waits (it is registered approved). */
  ticketId?: string;
  /** The host the connector names itself (live), else the name in its certificate. */
  host: string;
  /** Where it connects from (live), else where it registered from. */
  address: string;
  subject: string;
  registeredAt: string;
  online: boolean;
}

export interface ApprovalDeps {
  state: HubState;
  gateway(): Gateway;
  cache: CredentialCache;
  log: Logger;
  changed(): void;
}

export class Approvals {
  constructor(private readonly d: ApprovalDeps) {}

  pending(connection?: string): PendingInstance[] {
    return this.d.state.certificates
      .filter((c) => c.status === 'pending' && !c.removedAt && (!connection || c.connection === connection))
      .map((c) => this.describe(c));
  }

  describe(c: CertificateRecord): PendingInstance {
    const live = this.d
      .gateway()
      .all()
      .find((s) => s.authenticated && s.thumbprint === c.thumbprint);
    return {
      thumbprint: c.thumbprint,
      connection: c.connection,
      ticketId: c.ticketId,
      subject: c.subject,
      registeredAt: c.registeredAt,
      host: live?.host ?? certificateHost(c),
      address: live?.remoteAddress ?? c.registeredFrom ?? 'unknown',
      online: !!live,
    };
  }

  approve(thumbprint: string): CertificateRecord {
    const c = this.d.state.approveCertificate(thumbprint);
    const n = this.d.gateway().approve(c.thumbprint);
    this.d.log.info('hub.instance.approved', { connection: c.connection, thumbprint: c.thumbprint, online: n });
    this.d.changed();
    return c;
  }

  reject(thumbprint: string): CertificateRecord {
    return this.drop(thumbprint, 'rejected');
  }

  remove(thumbprint: string): CertificateRecord {
    return this.drop(thumbprint);
  }

  private drop(thumbprint: string, status?: 'rejected'): CertificateRecord {
    const c = this.d.state.removeCertificate(thumbprint, status);
    const disconnected = this.d
      .gateway()
      .disconnect((s) => s.thumbprint === c.thumbprint, status ? 'instance rejected' : 'certificate removed');
    const forgotten = this.d.cache.forgetApprovedBy(c.thumbprint);
    this.d.log.info(status ? 'hub.instance.rejected' : 'hub.certificate.removed', {
      connection: c.connection,
      thumbprint: c.thumbprint,
      disconnected,
      cacheEntriesDropped: forgotten,
    });
    this.d.changed();
    return c;
  }
}

/** `CN=Directory Bridge connector on HOST` → HOST; any other subject as it is. */
function certificateHost(c: CertificateRecord): string {
  let subject = c.subject;
  try {
    subject = new X509Certificate(Buffer.from(c.der, 'base64')).subject;
  } catch {
    /* keep the stored one */
  }
  const cn = /(?:^|\n)CN=(.*)/.exec(subject)?.[1] ?? subject;
  return cn.replace(/^Directory Bridge connector on /, '');
}

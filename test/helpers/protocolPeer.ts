/**
 * A connector-side peer written only with `jsonwebtoken` and `ws`, the way the deployed AD/LDAP connector speaks the
 * protocol: an independent implementation to test our hub against. It authenticates with an RS256 token signed by
 * its own key (registered through a ticket), records every frame, and either ignores requests ("silent") or
 * answers them after verifying them with `jwt.verify(token, signingKeyString)` ("answer").
 *
 * In process: `new ProtocolPeer(options).start()`. As its own process (for tests that need a real, separate peer):
 * `node protocolPeer.js <options as JSON>`; SIGUSR2 switches it from silent to answering.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';

export interface PeerOptions {
  adHub: string;
  caPem: string;
  connection: string;
  realm: string;
  keyPem: string;
  signingKey: string;
  mode: 'silent' | 'answer';
  host?: string;
}

export interface PeerFrame {
  n: string;
  p: any;
}

/** An RSA key and a self-signed certificate made by openssl, as the deployed connector's setup makes them. */
export function makeCertificate(
  dir: string,
  cn = 'peer',
): { keyPem: string; certPem: string; keyFile: string; certFile: string } {
  const keyFile = path.join(dir, 'cert.key');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '30',
    ],
    { stdio: 'ignore' },
  );
  return { keyPem: readFileSync(keyFile, 'utf8'), certPem: readFileSync(certFile, 'utf8'), keyFile, certFile };
}

export function derBase64(certPem: string): string {
  return certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

export class ProtocolPeer {
  readonly received: PeerFrame[] = [];
  ws?: WebSocket;
  mode: PeerOptions['mode'];
  authenticateToken?: string;

  constructor(readonly o: PeerOptions) {
    this.mode = o.mode;
  }

  /** Connects and authenticates; resolves with the hub's first answer (`authenticated` or `authentication_failure`). */
  start(): Promise<PeerFrame> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.o.adHub, { ca: this.o.caPem });
      this.ws = ws;
      let first = true;
      ws.on('open', () => {
        this.authenticateToken = jwt.sign({ host: this.o.host ?? 'protocol-peer', version: 'peer-1' }, this.o.keyPem, {
          algorithm: 'RS256',
          issuer: this.o.connection,
          audience: this.o.realm,
          expiresIn: 60,
        });
        ws.send(JSON.stringify({ n: 'authenticate', p: { jwt: this.authenticateToken } }));
      });
      ws.on('message', (d) => {
        const f = JSON.parse(d.toString()) as PeerFrame;
        this.received.push(f);
        if (first) {
          first = false;
          resolve(f);
          return;
        }
        if (this.mode === 'answer') this.answer(f);
      });
      ws.on('error', (e) => {
        if (first) reject(e);
      });
    });
  }

  /** Verifies a request as the deployed connector does, and answers with a reply built from its claims. */
  answer(f: PeerFrame): void {
    let claims: Record<string, any>;
    try {
      claims = jwt.verify(f.p.jwt, this.o.signingKey) as Record<string, any>;
    } catch {
      return;
    }
    const reply = (n: string, p: unknown) => this.ws!.send(JSON.stringify({ n, p }));
    switch (f.n) {
      case 'authenticate_user':
        if (claims.password === 'peer-wrong')
          reply(`${claims.pid}_result`, {
            err: { name: 'WrongPassword', message: 'peer says wrong password' },
            profile: { id: claims.username, groups: [] },
          });
        else
          reply(`${claims.pid}_result`, {
            profile: {
              id: `peer-${claims.username}`,
              nickname: claims.username,
              groups: ['peer-group'],
              emails: [],
              name: {},
              dn: `cn=${claims.username}`,
            },
          });
        return;
      case 'search_users':
        reply(`${claims.pid}_search_users_result`, {
          users: [{ id: 'peer-1', nickname: claims.search, groups: [], emails: [], name: {}, dn: 'cn=x' }],
        });
        return;
      case 'list_groups':
        reply(`${claims.pid}_list_groups_result`, { groups: [{ id: 'cn=peer-group', name: 'peer-group' }] });
        return;
      case 'change_password':
        reply(`${claims.pid}_change_password_result`, {
          profile: { id: claims.username, groups: [], emails: [], name: {}, dn: 'cn=x' },
        });
        return;
    }
  }

  requests(event?: string): PeerFrame[] {
    return this.received.filter((f) =>
      event ? f.n === event : /^(authenticate_user|search_users|list_groups|change_password)$/.test(f.n),
    );
  }

  close(): void {
    this.ws?.terminate();
  }
}

if (require.main === module) {
  const peer = new ProtocolPeer(JSON.parse(process.argv[2]) as PeerOptions);
  process.on('SIGUSR2', () => {
    peer.mode = 'answer';
    console.log('peer.mode answer');
  });
  peer.start().then(
    (f) => {
      console.log(`peer.${f.n}`);
      peer.ws!.on('message', (d) => {
        const f2 = JSON.parse(d.toString()) as PeerFrame;
        console.log(`peer.frame ${f2.n} ${peer.mode === 'answer' ? 'answered' : 'ignored'}`);
      });
      peer.ws!.on('close', () => {
        console.log('peer.closed');
        process.exit(0);
      });
    },
    (e) => {
      console.error(`peer.error ${(e as Error).message}`);
      process.exit(1);
    },
  );
}

/**
 * The admin API under /admin/, for the headless CLI: bearer token from the state folder, JSON in and out.
 * Passwords arrive in request bodies and go only to the router; they are never logged or echoed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asObject, asString, HttpError, readJson, sendJson } from './http';

/**
 * What the admin API needs of the hub. An interface rather than the Hub class, so this file does not import the
 * hub that imports it; replies are sent as JSON, so their shapes are the hub's business.
 */
export interface AdminTarget {
  readonly adminToken: string;
  readonly url: string;
  readonly adHubUrl: string;
  readonly realm: string;
  connections(): unknown[];
  createConnection(input: {
    name: string;
    emailDomains: string[];
    kerberosRanges: string[];
    cacheEnabled: boolean;
    requireApproval?: boolean;
  }): Promise<unknown>;
  updateConnection(
    name: string,
    patch: { cacheEnabled?: boolean; emailDomains?: string[]; kerberosRanges?: string[]; requireApproval?: boolean },
  ): unknown;
  deleteConnection(name: string): Promise<void>;
  createTicket(connection: string, lifetimeMs?: number, uses?: number, options?: { purpose?: string }): unknown;
  tickets(connection?: string): unknown[];
  revokeTicket(id: string): void;
  removeCertificate(thumbprint: string): void;
  pendingInstances(connection?: string): unknown[];
  approveInstance(thumbprint: string): string;
  rejectInstance(thumbprint: string): string;
  certificates(connection?: string): unknown[];
  instances(connection?: string): unknown[];
  login(connection: string, username: string, password: string, options: { escaped?: boolean }): Promise<unknown>;
  searchUsers(connection: string, search: string, limit: number): Promise<unknown>;
  listGroups(connection: string): Promise<unknown>;
  changePassword(
    connection: string,
    username: string,
    password: string,
    options: { writeBackOnly?: boolean },
  ): Promise<unknown>;
  /** The admin's own Kerberos test through an instance (kerberosTest.ts). */
  kerberosTest(connection: string, options: { ccache?: string }): Promise<unknown>;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function strings(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new HttpError(400, `${what} must be an array of strings`);
  return v as string[];
}

export async function handleAdminRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  hub: AdminTarget,
): Promise<void> {
  if (!authorized(req, hub.adminToken)) throw new HttpError(401, 'admin token missing or wrong');
  const parts = pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent); // after "admin"
  const method = req.method ?? 'GET';
  const body = async () => asObject(await readJson(req, 1024 * 1024), 'the body');
  const [a, b, c] = parts;

  if (a === 'status' && method === 'GET') {
    return sendJson(res, 200, {
      url: hub.url,
      adHub: hub.adHubUrl,
      realm: hub.realm,
      connections: hub.connections().length,
      instances: hub.instances().length,
      pid: process.pid,
    });
  }
  if (a === 'connections' && !b) {
    if (method === 'GET') return sendJson(res, 200, hub.connections());
    if (method === 'POST') {
      const o = await body();
      const rec = await hub.createConnection({
        name: asString(o.name, 'name', 63),
        emailDomains: strings(o.emailDomains, 'emailDomains'),
        kerberosRanges: strings(o.kerberosRanges, 'kerberosRanges'),
        cacheEnabled: o.cacheEnabled === undefined ? true : o.cacheEnabled === true,
        requireApproval: o.requireApproval === undefined ? true : o.requireApproval === true,
      });
      return sendJson(res, 201, rec);
    }
  }
  if (a === 'connections' && b && !c) {
    if (method === 'DELETE') {
      await hub.deleteConnection(b);
      return sendJson(res, 200, { deleted: b });
    }
    if (method === 'PATCH') {
      const o = await body();
      const patch: {
        cacheEnabled?: boolean;
        emailDomains?: string[];
        kerberosRanges?: string[];
        requireApproval?: boolean;
      } = {};
      if (o.cacheEnabled !== undefined) patch.cacheEnabled = o.cacheEnabled === true;
      if (o.emailDomains !== undefined) patch.emailDomains = strings(o.emailDomains, 'emailDomains');
      if (o.kerberosRanges !== undefined) patch.kerberosRanges = strings(o.kerberosRanges, 'kerberosRanges');
      if (o.requireApproval !== undefined) patch.requireApproval = o.requireApproval === true;
      return sendJson(res, 200, hub.updateConnection(b, patch));
    }
  }
  if (a === 'connections' && b && c === 'tickets') {
    if (method === 'POST') {
      const o = await body();
      const lifetime =
        typeof o.lifetimeSeconds === 'number' && o.lifetimeSeconds > 0 ? o.lifetimeSeconds * 1000 : undefined;
      if (o.uses !== undefined && typeof o.uses !== 'number') throw new HttpError(400, 'uses must be a number');
      if (o.purpose !== undefined && typeof o.purpose !== 'string')
        throw new HttpError(400, 'purpose must be a string');
      return sendJson(
        res,
        201,
        hub.createTicket(b, lifetime, o.uses === undefined ? 1 : (o.uses as number), {
          purpose: o.purpose as string | undefined,
        }),
      );
    }
    if (method === 'GET') return sendJson(res, 200, hub.tickets(b));
  }
  if (a === 'connections' && b && c === 'instances' && method === 'GET') return sendJson(res, 200, hub.instances(b));
  if (a === 'connections' && b && c === 'certificates' && method === 'GET')
    return sendJson(res, 200, hub.certificates(b));
  if (a === 'connections' && b && c === 'pending' && method === 'GET')
    return sendJson(res, 200, hub.pendingInstances(b));
  if (a === 'connections' && b && c === 'login' && method === 'POST') {
    const o = await body();
    // lengths are checked by hub.login against limits.ts (400 naming the limit)
    return sendJson(
      res,
      200,
      await hub.login(b, asString(o.username, 'username', Infinity), typeof o.password === 'string' ? o.password : '', {
        escaped: o.escaped === true,
      }),
    );
  }
  if (a === 'connections' && b && c === 'kerberos-test' && method === 'POST') {
    const o = await body();
    return sendJson(
      res,
      200,
      await hub.kerberosTest(b, { ccache: typeof o.ccache === 'string' ? o.ccache : undefined }),
    );
  }
  if (a === 'connections' && b && c === 'search' && method === 'POST') {
    const o = await body();
    return sendJson(
      res,
      200,
      await hub.searchUsers(b, typeof o.query === 'string' ? o.query : '', typeof o.limit === 'number' ? o.limit : 50),
    );
  }
  if (a === 'connections' && b && c === 'groups' && method === 'GET')
    return sendJson(res, 200, await hub.listGroups(b));
  if (a === 'connections' && b && c === 'password' && method === 'POST') {
    const o = await body();
    return sendJson(
      res,
      200,
      await hub.changePassword(
        b,
        asString(o.username, 'username', Infinity),
        asString(o.password, 'password', Infinity),
        { writeBackOnly: o.writeBackOnly === true },
      ),
    );
  }
  if (a === 'tickets' && b && c === 'revoke' && method === 'POST') {
    hub.revokeTicket(b);
    return sendJson(res, 200, { revoked: b });
  }
  if (a === 'certificates' && b && method === 'DELETE') {
    hub.removeCertificate(b);
    return sendJson(res, 200, { removed: b });
  }
  if (a === 'certificates' && b && c === 'approve' && method === 'POST')
    return sendJson(res, 200, { approved: hub.approveInstance(b) });
  if (a === 'certificates' && b && c === 'reject' && method === 'POST')
    return sendJson(res, 200, { rejected: hub.rejectInstance(b) });
  throw new HttpError(404, `no admin route ${method} ${pathname}`);
}

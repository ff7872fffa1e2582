/** Ticket URLs: `https://HUB/p/ad/<token>`. */
export const TICKET_PATH = /^\/p\/ad\/([A-Za-z0-9_-]{16,128})(\/info)?\/?$/;

export function ticketUrl(hubBase: string, token: string): string {
  return `${hubBase.replace(/\/$/, '')}/p/ad/${token}`;
}

export interface ParsedTicketUrl {
  hubBase: string;
  token: string;
  infoUrl: string;
  postUrl: string;
}

export function parseTicketUrl(url: string): ParsedTicketUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`Not a ticket URL: ${url}`);
  }
  const m = TICKET_PATH.exec(u.pathname);
  if (u.protocol !== 'https:' || !m || m[2])
    throw new Error(`Not a ticket URL (expected https://HUB/p/ad/<token>): ${url}`);
  const hubBase = `${u.protocol}//${u.host}`;
  return { hubBase, token: m[1], infoUrl: `${hubBase}/p/ad/${m[1]}/info`, postUrl: `${hubBase}/p/ad/${m[1]}` };
}

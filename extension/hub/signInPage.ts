/**
 * The HTML of the sign-in page end users of a connection see: plain server-rendered forms, no script at all, under
 * a strict Content-Security-Policy. Every value is escaped here; nothing the user typed is ever echoed unescaped.
 */
import type { Profile } from '../../protocol/profile';

export interface PageFrame {
  csrf: string;
  formAction: string[];
}

export type SignInView =
  | { step: 'identify'; identifier?: string; connection?: string; error?: string }
  | { step: 'password'; connection: string; username?: string; reason?: string; error?: string }
  | {
      step: 'result';
      ok: true;
      method: 'Kerberos' | 'password';
      connection: string;
      instance?: string;
      profile: Profile;
      ms?: number;
      note?: string;
    }
  | { step: 'result'; ok: false; connection: string; headline: string; detail?: string; retry?: string };

export const SIGN_IN_CSS = `body{font:15px/1.45 system-ui,sans-serif;background:#f3f4f6;color:#111;margin:0}
main{max-width:26rem;margin:8vh auto;background:#fff;border-radius:10px;box-shadow:0 2px 12px #0002;padding:2rem}
h1{font-size:1.35rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .25rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #9ca3af;border-radius:6px;font:inherit}
button{margin-top:1.2rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;font:inherit;cursor:pointer}
.note{background:#eff6ff;border-left:4px solid #1d4ed8;padding:.5rem .7rem;margin:0 0 1rem}
.error{background:#fef2f2;border-left:4px solid #b91c1c;padding:.5rem .7rem;margin:0 0 1rem}
.ok{background:#f0fdf4;border-left:4px solid #15803d;padding:.5rem .7rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;margin:0}dt{color:#555}dd{margin:0;word-break:break-all}
ul{margin:.2rem 0;padding-left:1.1rem}.small{color:#555;font-size:.85rem;margin-top:1rem}a{color:#1d4ed8}`;

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The policy: nothing but our own stylesheet, forms only to us (and, when Kerberos is offered, the instance). */
export function contentSecurityPolicy(formAction: string[]): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    `form-action 'self'${formAction.map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function layout(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(title)}</title><link rel="stylesheet" href="/login/style.css"></head><body><main>${body}</main></body></html>\n`
  );
}

const line = (cls: string, text?: string) => (text ? `<p class="${cls}" data-role="${cls}">${esc(text)}</p>` : '');

export function renderSignIn(v: SignInView, f: PageFrame): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
  switch (v.step) {
    case 'identify':
      return layout(
        'Sign in',
        `<h1>Sign in</h1>${line('error', v.error)}
<form method="post" action="/login">${hidden('csrf', f.csrf)}${hidden('step', 'identify')}${v.connection ? hidden('connection', v.connection) : ''}
<label for="identifier">Email or username</label>
<input id="identifier" name="identifier" autocomplete="username" autofocus required maxlength="256" value="${esc(v.identifier)}">
<button type="submit">Next</button></form>`,
      );
    case 'password':
      return layout(
        'Sign in',
        `<h1>Sign in to ${esc(v.connection)}</h1>${line('note', v.reason)}${line('error', v.error)}
<form method="post" action="/login">${hidden('csrf', f.csrf)}${hidden('step', 'password')}${hidden('connection', v.connection)}
<label for="username">Email or username</label>
<input id="username" name="username" autocomplete="username" required maxlength="256" value="${esc(v.username)}"${v.username ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${v.username ? ' autofocus' : ''}>
<button type="submit">Sign in</button></form>`,
      );
    case 'result': {
      if (!v.ok) {
        return layout(
          'Not signed in',
          `<h1>Not signed in</h1><p class="error" data-role="error"><strong>${esc(v.headline)}</strong>${v.detail ? `<br>${esc(v.detail)}` : ''}</p>
<p><a href="${esc(v.retry ?? `/login?connection=${encodeURIComponent(v.connection)}`)}">Try again</a></p>`,
        );
      }
      const p = v.profile;
      const name =
        p.displayName || [p.name?.givenName, p.name?.familyName].filter(Boolean).join(' ') || p.nickname || p.id;
      const email = p.emails?.[0]?.value;
      const groups = p.groups?.length ? `<ul>${p.groups.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>` : '—';
      return layout(
        'Signed in',
        `<h1>Signed in</h1><p class="ok" data-role="ok">Signed in as <strong>${esc(name)}</strong> with ${v.method === 'Kerberos' ? '<strong>Kerberos</strong> (no password typed)' : 'a password'}${v.instance ? `, through connector instance ${esc(v.instance)}` : ''}.</p>
${line('note', v.note)}<dl data-role="profile"><dt>Connection</dt><dd>${esc(v.connection)}</dd><dt>Username</dt><dd>${esc(p.sAMAccountName ?? p.nickname ?? p.id)}</dd>
${email ? `<dt>Email</dt><dd>${esc(email)}</dd>` : ''}${p.userPrincipalName ? `<dt>Principal</dt><dd>${esc(p.userPrincipalName)}</dd>` : ''}<dt>DN</dt><dd>${esc(p.dn)}</dd>
<dt>Groups</dt><dd data-role="groups">${groups}</dd><dt>Method</dt><dd data-role="method">${v.method}</dd></dl>
${v.ms !== undefined ? `<p class="small">Answered in ${v.ms.toFixed(0)} ms.</p>` : ''}<p class="small"><a href="/login?connection=${encodeURIComponent(v.connection)}&amp;kerberos=off">Sign in as someone else</a></p>`,
      );
    }
  }
}

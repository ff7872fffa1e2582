/** The test-login panel's webview: the form, then the verdict explained stage by stage. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { AccountFixName, LoginMode, LoginToHost, LoginToWebview, LoginView, MapperView } from '../messages';
import { onEnter } from '../enterRuns';
import { channel, h } from '../vscodeApi';

type Field = HTMLElement & { value: string };
const app = document.getElementById('app')!;
const ch = channel<LoginToHost, LoginToWebview>(onMessage);
type ConnectionInfo = {
  name: string;
  emailDomains: string[];
  userFilter: string;
  matches: string;
  acceptsEmail: boolean;
};
let connections: ConnectionInfo[] = [];
let lastView: LoginView | undefined;

const username = h('vscode-textfield', {
  id: 'username',
  placeholder: 'alice',
  'aria-label': 'Username or email',
}) as Field;
const password = h('vscode-textfield', {
  id: 'password',
  type: 'password',
  'aria-label': 'Password',
  autocomplete: 'off',
}) as Field;
const connection = h('vscode-single-select', { id: 'connection', 'aria-label': 'Connection' }) as Field;
const modeHub = h(
  'vscode-radio',
  { name: 'mode', value: 'hub', checked: true, id: 'mode-hub' },
  'Through the hub and a live connector',
);
const modeDirect = h(
  'vscode-radio',
  { name: 'mode', value: 'direct', id: 'mode-direct' },
  'Direct from this editor to the directory',
);
const modeKerberos = h(
  'vscode-radio',
  { name: 'mode', value: 'kerberos', id: 'mode-kerberos' },
  'Kerberos: my own ticket, no password',
);
const testButton = h('vscode-button', { id: 'test' }, 'Test login');
const ring = h('vscode-progress-ring', { class: 'hidden', 'aria-label': 'Testing' });
const hint = h('div', { class: 'muted', id: 'hint', 'aria-live': 'polite' });
const result = h('section', { class: 'result', id: 'result', 'aria-live': 'polite' });
const mapper = h('section', { class: 'mapper hidden', id: 'mapper' });
const fixNote = h('div', { class: 'muted', id: 'fix-note', 'aria-live': 'polite' });

const label = (forId: string, text: string, el: HTMLElement) =>
  h('div', { class: 'field' }, h('vscode-label', { for: forId }, text), el);
app.append(
  h('h1', {}, 'Test a login'),
  h(
    'form',
    { class: 'login-form', id: 'login-form' },
    h(
      'div',
      { class: 'row' },
      label('username', 'Username or email', username),
      label('password', 'Password (never stored)', password),
      label('connection', 'Connection', connection),
    ),
    h(
      'div',
      { class: 'row' },
      h('vscode-radio-group', { id: 'mode', 'aria-label': 'Mode' }, modeHub, modeDirect, modeKerberos),
    ),
    h('div', { class: 'row buttons' }, testButton, ring, hint),
  ),
  result,
  mapper,
);
app.removeAttribute('aria-busy');

const checked = (el: HTMLElement) => (el as HTMLElement & { checked: boolean }).checked;
const mode = (): LoginMode => (checked(modeDirect) ? 'direct' : checked(modeKerberos) ? 'kerberos' : 'hub');

const FIX_LABEL: Record<AccountFixName, string> = {
  unlock: 'Unlock the account…',
  enable: 'Enable the account…',
  setPassword: 'Set a new password…',
};

/** Says what the chosen connection will do with what is typed: never a promise its user filter does not keep. */
function updateHint(): void {
  const domain = /@([^@\s]+)$/.exec(username.value)?.[1]?.toLowerCase();
  // the chosen connection keeps the choice when it has that domain too; else the first that has it
  const match = domain
    ? (connections.find((c) => c.name === connection.value && c.emailDomains.includes(domain)) ??
      connections.find((c) => c.emailDomains.includes(domain)))
    : undefined;
  if (match) connection.value = match.name;
  const c = connections.find((x) => x.name === connection.value);
  username.setAttribute('placeholder', c?.acceptsEmail ? 'alice or alice@example.com' : 'alice');
  if (!c) {
    hint.textContent = '';
    return;
  }
  const picked = match ? `The email domain picks "${match.name}". ` : '';
  hint.textContent =
    domain && !c.acceptsEmail
      ? `${picked}Its user filter ${c.userFilter} does not look at email addresses: type the login name.`
      : `${picked}User filter ${c.userFilter}: ${c.matches.replace(/^Matches/, 'matches')}.`;
}

function test(): void {
  if (!username.value && mode() !== 'kerberos') {
    hint.textContent = 'Type a username.';
    return;
  }
  ch.post({
    type: 'login',
    username: username.value,
    password: password.value,
    connection: connection.value,
    mode: mode(),
  });
  // the password leaves the form with the request
  password.value = '';
  ch.setState({ username: username.value, connection: connection.value, mode: mode() });
}
testButton.addEventListener('click', test);
onEnter(document.getElementById('login-form') as HTMLFormElement, test);
username.addEventListener('input', updateHint);
connection.addEventListener('change', updateHint);

function facts(pairs: Array<[string, string | undefined]>): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of pairs) if (v) dl.append(h('dt', {}, k), h('dd', {}, v));
  return dl;
}

function showResult(v: LoginView): void {
  lastView = v;
  const max = Math.max(1, ...v.stages.map((s) => s.ms));
  result.replaceChildren(
    ...[
      h(
        'div',
        { class: `verdict ${v.ok ? 'ok' : 'fail'}`, id: 'verdict', role: 'status' },
        v.ok ? `✔ ${v.headline}` : `✘ ${v.headline}${v.source ? ` — ${v.source}` : ''}`,
        v.errorName ? h('span', { class: 'source' }, `error ${v.errorName}`) : undefined,
      ),
      facts([
        ['User', v.username],
        ['Connection', v.connection],
        ['Mode', v.mode === 'hub' ? 'through the hub' : v.mode === 'kerberos' ? 'Kerberos (own ticket)' : 'direct'],
        ['Resolved DN', v.dn],
        ['Answered by', v.answeredBy],
        ['Groups', v.groups.length ? v.groups.join(', ') : undefined],
        ['Total', `${v.totalMs.toFixed(1)} ms`],
      ]),
      v.stages.length
        ? h(
            'div',
            { class: 'stages', id: 'stages', 'aria-label': 'Time of each stage' },
            ...v.stages.map((s) =>
              h(
                'div',
                { class: 'stage' },
                h('span', {}, s.name),
                h('div', { class: `bar w${Math.min(10, Math.round((s.ms / max) * 10))}` }),
                h('span', {}, `${s.ms.toFixed(1)} ms`),
              ),
            ),
          )
        : undefined,
      v.fixes?.length
        ? h(
            'div',
            { class: 'row buttons fixes', id: 'fixes' },
            ...v.fixes.map((f) => {
              const b = h('vscode-button', { id: `fix-${f}` }, FIX_LABEL[f]);
              b.addEventListener('click', () => {
                fixNote.textContent = 'Waiting for your confirmation…';
                ch.post({ type: 'fix', connection: v.connection, username: v.username, fix: f });
              });
              return b;
            }),
            fixNote,
          )
        : undefined,
      // after a refused login the entry is not a result: folded and named for what it is, so that a new admin
      // does not read an open profile under the failure as a half success
      v.profile
        ? h(
            'details',
            { id: 'profile-details', open: v.ok },
            h(
              'summary',
              { id: 'profile-summary' },
              v.ok ? 'Mapped profile' : 'What the directory holds for this user (the login failed)',
            ),
            h('pre', { class: 'json', id: 'profile' }, JSON.stringify(v.profile, null, 2)),
          )
        : undefined,
      v.dn
        ? (() => {
            const b = h(
              'vscode-button',
              { secondary: true, id: 'open-mapper' },
              'Preview the profile mapper for this user',
            );
            b.addEventListener('click', () =>
              ch.post({ type: 'openMapper', connection: v.connection, username: v.username }),
            );
            return b;
          })()
        : undefined,
    ].filter((x): x is HTMLElement => !!x),
  );
}

function showMapper(m: MapperView): void {
  mapper.classList.remove('hidden');
  mapper.replaceChildren(
    h('h2', {}, `Profile mapper preview: ${m.username}`),
    h('p', { class: 'muted' }, `${m.file} — re-mapped on every save`),
    m.error
      ? h('div', { class: 'error', id: 'mapper-error', role: 'alert' }, m.line ? `Line ${m.line}: ${m.error}` : m.error)
      : h('pre', { class: 'json', id: 'mapper-profile' }, JSON.stringify(m.profile, null, 2)),
  );
}

function onMessage(m: LoginToWebview): void {
  switch (m.type) {
    case 'init': {
      connections = m.connections;
      connection.replaceChildren(...m.connections.map((c) => h('vscode-option', { value: c.name }, c.name)));
      const s = { ...m.last, ...(ch.getState<{ username?: string; connection?: string; mode?: LoginMode }>() ?? {}) };
      if (s.connection) connection.value = s.connection;
      if (s.username) username.value = s.username;
      if (s.mode === 'direct') (modeDirect as HTMLElement & { checked: boolean }).checked = true;
      if (s.mode === 'kerberos') (modeKerberos as HTMLElement & { checked: boolean }).checked = true;
      updateHint();
      if (lastView) showResult(lastView);
      return;
    }
    case 'busy':
      ring.classList.remove('hidden');
      testButton.setAttribute('disabled', '');
      return;
    case 'result':
      ring.classList.add('hidden');
      testButton.removeAttribute('disabled');
      showResult(m.view);
      return;
    case 'failure':
      ring.classList.add('hidden');
      testButton.removeAttribute('disabled');
      result.replaceChildren(h('div', { class: 'verdict fail', id: 'verdict', role: 'status' }, `✘ ${m.message}`));
      return;
    case 'mapper':
      showMapper(m.view);
      return;
    case 'fixed': {
      fixNote.replaceChildren(m.message);
      fixNote.className = m.done ? 'ok' : 'muted';
      if (m.done) {
        const log = h('a', { href: '#', id: 'open-audit' }, 'Open the audit log');
        log.addEventListener('click', (e) => {
          e.preventDefault();
          ch.post({ type: 'openAuditLog' });
        });
        fixNote.append(' ', log);
        (password as HTMLElement).focus();
      }
      return;
    }
  }
}

ch.post({ type: 'ready' });

/** A new ticket's panel: what it is for, its lifetime and uses, and its URL in full with a Copy button. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { TicketToHost, TicketToWebview, TicketView } from '../messages';
import { channel, h } from '../vscodeApi';

const app = document.getElementById('app')!;
const ch = channel<TicketToHost, TicketToWebview>(onMessage);
const copied = h('span', { id: 'copied', class: 'muted', role: 'status' });

function onMessage(m: TicketToWebview): void {
  if (m.type === 'init') render(m.ticket);
  if (m.type === 'copied')
    copied.textContent = `Copied to the clipboard${m.count > 1 ? ` (${m.count} times)` : ''}. You can copy it again until you close this tab.`;
}

function render(t: TicketView): void {
  const copy = h('vscode-button', { id: 'copy' }, 'Copy URL');
  copy.addEventListener('click', () => ch.post({ type: 'copy' }));
  const close = h('vscode-button', { id: 'close', secondary: true }, 'Close');
  close.addEventListener('click', () => ch.post({ type: 'close' }));
  app.setAttribute('aria-busy', 'false');
  app.replaceChildren(
    h('h1', {}, `New ticket for "${t.connection}"`),
    h(
      'dl',
      { class: 'facts', id: 'facts' },
      h('dt', {}, 'For'),
      h('dd', { id: 'purpose' }, t.purpose),
      h('dt', {}, 'Registers'),
      h(
        'dd',
        { id: 'uses' },
        `${t.uses}${t.approval ? ', each waiting for your approval before it gets any request' : ''}`,
      ),
      h('dt', {}, 'Valid'),
      h('dd', { id: 'lifetime' }, t.lifetime),
      h('dt', {}, 'Ticket id'),
      h('dd', {}, t.id),
    ),
    h(
      'p',
      { class: 'warning', id: 'warning', role: 'alert' },
      'Copy the URL now: it is shown only here, and cannot be shown again once you close this tab (the hub keeps only a hash of it). Lost it? Revoke the ticket under Tickets and generate a new one.',
    ),
    h('label', { for: 'url' }, 'Ticket URL (a secret: whoever holds it can register a connector for this connection)'),
    h('pre', { id: 'url', class: 'ticket-url', tabindex: '0' }, t.url),
    h('div', { class: 'row buttons' }, copy, close, copied),
    ...(t.reach ? [h('p', { class: 'warning', id: 'reach' }, t.reach)] : []),
    h(
      'p',
      { class: 'muted', id: 'how' },
      "On the server, put it in the connector's config.json as PROVISIONING_TICKET and run setup: the connector seals it there. Do not pass it on a command line, where other users of the server can read it.",
    ),
  );
}

ch.post({ type: 'ready' });

/** The LDAP query panel's webview: the form, a virtualised sortable results table, the entry detail. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { DecodedAttribute, QueryRequest, QueryRow, QueryToHost, QueryToWebview, Scope } from '../messages';
import { entryDetail } from '../entryDetail';
import { onEnter } from '../enterRuns';
import { channel, h } from '../vscodeApi';

const ROW_HEIGHT = 24;
type Field = HTMLElement & { value: string };

let rows: QueryRow[] = [];
let columns: string[] = [];
let sort: { column: string; desc: boolean } | undefined;
let requestId = 0;
let running = false;
let focusedRow = 0;
let checkTimer: number | undefined;

const app = document.getElementById('app')!;
const ch = channel<QueryToHost, QueryToWebview>(onMessage);

function field(id: string, label: string, el: HTMLElement, narrow = false): HTMLElement {
  el.id = id;
  return h('div', { class: narrow ? 'field narrow' : 'field' }, h('vscode-label', { for: id }, label), el);
}
const textfield = (attrs: Record<string, string>) => h('vscode-textfield', attrs) as Field;

const connection = h('vscode-single-select', { 'aria-label': 'Connection' }) as Field;
const base = textfield({ placeholder: 'DC=example,DC=com', 'aria-label': 'Base DN' });
const scope = h(
  'vscode-single-select',
  { 'aria-label': 'Scope' },
  h('vscode-option', { value: 'sub' }, 'subtree'),
  h('vscode-option', { value: 'one' }, 'one level'),
  h('vscode-option', { value: 'base' }, 'base'),
) as Field;
const filter = textfield({
  placeholder: '(&(objectClass=user)(sAMAccountName=a*))',
  'aria-label': 'Filter',
  class: 'wide',
});
const attributes = textfield({
  placeholder: 'empty: every attribute (or cn, mail, memberOf)',
  'aria-label': 'Attributes',
});
const sizeLimit = textfield({ type: 'number', min: '0', value: '0', 'aria-label': 'Size limit' });
const pageSize = textfield({ type: 'number', min: '1', max: '1000', value: '500', 'aria-label': 'Page size' });
const recent = h('vscode-single-select', { 'aria-label': 'Recent queries' }) as Field;
const filterError = h('div', { class: 'error', role: 'alert', id: 'filter-error' });
const runButton = h('vscode-button', { id: 'run' }, 'Run');
const cancelButton = h('vscode-button', { id: 'cancel', secondary: true, disabled: true }, 'Cancel');
const exportButtons = (['csv', 'ldif', 'json'] as const).map((f) => {
  const b = h(
    'vscode-button',
    { secondary: true, 'data-format': f, disabled: true, id: `export-${f}` },
    `Export ${f.toUpperCase()}`,
  );
  b.addEventListener('click', () => ch.post({ type: 'export', format: f }));
  return b;
});
const status = h('div', { class: 'status', id: 'status', 'aria-live': 'polite' }, 'Ready.');
const ring = h('vscode-progress-ring', { class: 'hidden', 'aria-label': 'Searching' });
const header = h('div', { class: 'thead', role: 'row' });
const spacer = h('div', { class: 'spacer' });
const body = h('div', { class: 'tbody', role: 'rowgroup', tabindex: '0', id: 'results' }, spacer);
const table = h('div', { class: 'table', role: 'table', 'aria-label': 'Results', id: 'table' }, header, body);
const detail = h(
  'section',
  { class: 'detail', id: 'detail', 'aria-label': 'Entry detail' },
  h('p', { class: 'muted' }, 'Select a row to see every attribute of the entry.'),
);

app.append(
  h(
    'form',
    { class: 'query-form', id: 'query-form' },
    h(
      'div',
      { class: 'row' },
      field('connection', 'Connection', connection),
      field('base', 'Base DN', base),
      field('scope', 'Scope', scope, true),
    ),
    h('div', { class: 'row' }, field('filter', 'Filter', filter), field('recent', 'Recent', recent, true)),
    filterError,
    h(
      'div',
      { class: 'row' },
      field('attributes', 'Attributes', attributes),
      field('sizeLimit', 'Size limit', sizeLimit, true),
      field('pageSize', 'Page size', pageSize, true),
    ),
    h('div', { class: 'row buttons' }, runButton, cancelButton, ...exportButtons, ring, status),
  ),
  h('div', { class: 'split' }, table, detail),
);
app.removeAttribute('aria-busy');

function request(): QueryRequest {
  return {
    connection: connection.value,
    base: base.value.trim(),
    scope: (scope.value || 'sub') as Scope,
    filter: filter.value.trim(),
    attributes: attributes.value.split(/[\s,]+/).filter(Boolean),
    sizeLimit: Number(sizeLimit.value) || 0,
    pageSize: Number(pageSize.value) || 500,
  };
}

function run(): void {
  if (running) return;
  rows = [];
  sort = undefined;
  requestId++;
  setRunning(true);
  status.textContent = 'Searching…';
  detail.replaceChildren(h('p', { class: 'muted' }, 'Select a row to see every attribute of the entry.'));
  render();
  ch.setState({ request: request() });
  ch.post({ type: 'run', requestId, request: request() });
}

function setRunning(on: boolean): void {
  running = on;
  ring.classList.toggle('hidden', !on);
  runButton.toggleAttribute('disabled', on);
  cancelButton.toggleAttribute('disabled', !on);
  for (const b of exportButtons) b.toggleAttribute('disabled', on || rows.length === 0);
}

runButton.addEventListener('click', run);
cancelButton.addEventListener('click', () => ch.post({ type: 'cancel', requestId }));
onEnter(document.getElementById('query-form') as HTMLFormElement, run);
filter.addEventListener('input', () => {
  window.clearTimeout(checkTimer);
  checkTimer = window.setTimeout(() => ch.post({ type: 'checkFilter', filter: filter.value }), 150);
});
recent.addEventListener('change', () => {
  if (recent.value) {
    filter.value = recent.value;
    ch.post({ type: 'checkFilter', filter: filter.value });
  }
});

// --- the table: only the rows in view are in the DOM, so 100,000 rows scroll like 10 ---
function sortedRows(): QueryRow[] {
  if (!sort) return rows;
  const { column, desc } = sort;
  const key = (r: QueryRow) => (column === 'dn' ? r.dn : (r.values[column] ?? ''));
  return [...rows].sort((a, b) => key(a).localeCompare(key(b), undefined, { numeric: true }) * (desc ? -1 : 1));
}
let view: QueryRow[] = [];

function renderHeader(): void {
  header.replaceChildren(
    ...['dn', ...columns].map((c) => {
      const b = h(
        'button',
        {
          class: 'th',
          role: 'columnheader',
          'aria-sort': sort?.column === c ? (sort.desc ? 'descending' : 'ascending') : 'none',
          title: `Sort by ${c}`,
        },
        c + (sort?.column === c ? (sort.desc ? ' ▼' : ' ▲') : ''),
      );
      b.addEventListener('click', () => {
        sort = { column: c, desc: sort?.column === c ? !sort.desc : false };
        view = sortedRows();
        renderHeader();
        renderRows();
      });
      return b;
    }),
  );
}

function renderRows(): void {
  spacer.style.height = `${view.length * ROW_HEIGHT}px`;
  const first = Math.max(0, Math.floor(body.scrollTop / ROW_HEIGHT) - 10);
  const last = Math.min(view.length, first + Math.ceil(body.clientHeight / ROW_HEIGHT) + 20);
  const nodes: HTMLElement[] = [];
  for (let i = first; i < last; i++) {
    const r = view[i];
    const row = h(
      'div',
      {
        class: `tr${i === focusedRow ? ' focused' : ''}`,
        role: 'row',
        'data-index': String(i),
        'aria-rowindex': String(i + 1),
      },
      h('span', { class: 'td dn', role: 'cell', title: r.dn }, r.dn),
      ...columns.map((c) => h('span', { class: 'td', role: 'cell', title: r.values[c] }, r.values[c] ?? '')),
    );
    row.style.top = `${i * ROW_HEIGHT}px`;
    row.addEventListener('click', () => select(i));
    nodes.push(row);
  }
  spacer.replaceChildren(...nodes);
}

function render(): void {
  view = sortedRows();
  renderHeader();
  renderRows();
}

function select(i: number): void {
  if (!view[i]) return;
  focusedRow = i;
  renderRows();
  ch.post({ type: 'entry', dn: view[i].dn });
}

body.addEventListener('scroll', () => renderRows());
body.addEventListener('keydown', (e) => {
  const k = (e as KeyboardEvent).key;
  if (k === 'ArrowDown' || k === 'ArrowUp' || k === 'PageDown' || k === 'PageUp') {
    e.preventDefault();
    const step = k.startsWith('Page') ? Math.floor(body.clientHeight / ROW_HEIGHT) : 1;
    focusedRow = Math.max(0, Math.min(view.length - 1, focusedRow + (k.endsWith('Down') ? step : -step)));
    const top = focusedRow * ROW_HEIGHT;
    if (top < body.scrollTop) body.scrollTop = top;
    else if (top + ROW_HEIGHT > body.scrollTop + body.clientHeight)
      body.scrollTop = top + ROW_HEIGHT - body.clientHeight;
    renderRows();
  } else if (k === 'Enter') select(focusedRow);
});

function showEntry(dn: string, attrs: DecodedAttribute[]): void {
  detail.replaceChildren(...entryDetail(dn, attrs));
}

function onMessage(m: QueryToWebview): void {
  switch (m.type) {
    case 'init': {
      connection.replaceChildren(...m.connections.map((c) => h('vscode-option', { value: c }, c)));
      const saved = ch.getState<{ request?: Partial<QueryRequest> }>()?.request ?? {};
      const r = { ...saved, ...m.request };
      if (r.connection) connection.value = r.connection;
      base.value = r.base ?? '';
      scope.value = r.scope ?? 'sub';
      filter.value = r.filter ?? '(objectClass=*)';
      attributes.value = (r.attributes ?? []).join(', ');
      sizeLimit.value = String(r.sizeLimit ?? 0);
      pageSize.value = String(r.pageSize ?? 500);
      recent.replaceChildren(
        h('vscode-option', { value: '' }, m.recent.length ? 'Recent queries…' : 'No recent queries'),
        ...m.recent.map((f) => h('vscode-option', { value: f }, f)),
      );
      return;
    }
    case 'filterProblem':
      if (m.filter !== filter.value) return;
      filterError.textContent = m.message ? `${m.message}\n${m.filter}\n${' '.repeat(m.position ?? 0)}^` : '';
      filter.toggleAttribute('invalid', !!m.message);
      return;
    case 'page':
      if (m.requestId !== requestId) return;
      // with "all attributes" the columns grow as pages bring attributes not seen before
      columns = m.columns;
      table.style.setProperty('--columns', String(columns.length + 2));
      rows.push(...m.rows);
      status.textContent = `${m.total.toLocaleString()} entries…`;
      render();
      return;
    case 'done':
      if (m.requestId !== requestId) return;
      setRunning(false);
      status.textContent = `${m.total.toLocaleString()} ${m.total === 1 ? 'entry' : 'entries'} in ${(m.ms / 1000).toFixed(2)} s${m.cancelled ? ' (cancelled)' : ''}`;
      return;
    case 'error':
      if (m.requestId !== requestId) return;
      // the previous results must not stand beside a failure as if they answered this query
      rows = [];
      render();
      setRunning(false);
      status.textContent = 'Failed.';
      filterError.textContent =
        m.position !== undefined ? `${m.message}\n${filter.value}\n${' '.repeat(m.position)}^` : m.message;
      return;
    case 'entry':
      showEntry(m.dn, m.attributes);
      return;
    case 'exported':
      status.textContent = `Exported ${m.count.toLocaleString()} entries as ${m.format.toUpperCase()} to ${m.file}`;
      return;
  }
}

ch.post({ type: 'ready' });

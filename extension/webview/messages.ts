/**
 * Every message between the panels' webviews and the extension host, declared once. The webview starts with
 * `ready`; the host answers `init` (and only then sends anything else). Requests that stream carry a requestId.
 */

export type Scope = 'base' | 'one' | 'sub';
export type ExportFormat = 'csv' | 'ldif' | 'json';

/** One attribute of an entry, decoded for reading. `kind` says how the raw value was turned into text. */
export interface DecodedValue {
  text: string;
  kind: 'text' | 'guid' | 'sid' | 'date' | 'flags' | 'image' | 'binary';
}
export interface DecodedAttribute {
  name: string;
  values: DecodedValue[];
}

export interface QueryRequest {
  connection: string;
  base: string;
  scope: Scope;
  filter: string;
  attributes: string[];
  sizeLimit: number;
  pageSize: number;
}

export interface QueryRow {
  dn: string;
  values: Record<string, string>;
}

// --- query panel ---
export type QueryToHost =
  | { type: 'ready' }
  | { type: 'checkFilter'; filter: string }
  | { type: 'run'; requestId: number; request: QueryRequest }
  | { type: 'cancel'; requestId: number }
  | { type: 'entry'; dn: string }
  | { type: 'export'; format: ExportFormat };

export type QueryToWebview =
  | { type: 'init'; connections: string[]; request: Partial<QueryRequest>; recent: string[] }
  | { type: 'filterProblem'; filter: string; message?: string; position?: number }
  | { type: 'page'; requestId: number; rows: QueryRow[]; total: number; columns: string[] }
  | { type: 'done'; requestId: number; total: number; ms: number; firstPageMs?: number; cancelled: boolean }
  | { type: 'error'; requestId: number; message: string; position?: number }
  | { type: 'entry'; dn: string; attributes: DecodedAttribute[] }
  | { type: 'exported'; file: string; count: number; format: ExportFormat };

// --- test-login panel ---
/** 'kerberos': the admin's own Kerberos ticket, through an instance's Negotiate endpoint (no password) */
export type LoginMode = 'hub' | 'direct' | 'kerberos';

export interface LoginStage {
  name: string;
  ms: number;
}

/** A change an admin can make in the directory to answer a refused login. */
export type AccountFixName = 'unlock' | 'enable' | 'setPassword';

/** A login outcome as the test-login panel shows it: from the hub (LoginOutcome) or the engine directly. */
export interface LoginView {
  ok: boolean;
  connection: string;
  username: string;
  mode: LoginMode;
  /** "Account disabled", plus where the verdict came from: "Active Directory data 533" */
  headline: string;
  source?: string;
  errorName?: string;
  dn?: string;
  profile?: unknown;
  groups: string[];
  answeredBy?: string;
  stages: LoginStage[];
  totalMs: number;
  /** Fixes offered for the refusal (locked: unlock; disabled: enable; expired or must change: new password). */
  fixes?: AccountFixName[];
}

export interface MapperView {
  file: string;
  username: string;
  profile?: unknown;
  error?: string;
  line?: number;
}

export type LoginToHost =
  | { type: 'ready' }
  | { type: 'login'; username: string; password: string; connection?: string; mode: LoginMode }
  | { type: 'openMapper'; connection: string; username: string }
  | { type: 'fix'; connection: string; username: string; fix: AccountFixName }
  | { type: 'openAuditLog' };

export type LoginToWebview =
  | {
      type: 'init';
      connections: Array<{
        name: string;
        emailDomains: string[];
        userFilter: string;
        matches: string;
        acceptsEmail: boolean;
      }>;
      last?: { connection?: string; username?: string; mode?: LoginMode };
    }
  | { type: 'busy' }
  | { type: 'result'; view: LoginView }
  | { type: 'failure'; message: string }
  | { type: 'mapper'; view: MapperView }
  | { type: 'fixed'; done: boolean; message: string };

// --- the tree's entry view ---
export interface EntryView {
  connection: string;
  dn: string;
  attributes: DecodedAttribute[];
  /** How long the read took, and from where: said under the DN. */
  note: string;
}
/** Which entry a view shows: all the webview keeps in its state to come back after a reload (never a password). */
export interface EntryRef {
  connection: string;
  dn: string;
}
/** What the entry view shows: the entry, that it is being read, or why it cannot be read. */
export type EntryShown =
  | { type: 'entry'; view: EntryView }
  | { type: 'reading'; ref: EntryRef }
  | { type: 'problem'; ref?: EntryRef; message: string };
export type EntryToHost = { type: 'ready' } | { type: 'query' } | { type: 'goToDn' } | { type: 'reread' };
export type EntryToWebview = { type: 'init'; shown?: EntryShown } | EntryShown;

/** A ticket the editor just made, as its panel shows it: the only time its URL can be shown. */
export interface TicketView {
  id: string;
  connection: string;
  /** What it is for, in the admin's words */
  purpose: string;
  /** The ticket URL with the hub CA's pin: the secret */
  url: string;
  /** "until 12/6/2026, 1:02:03 AM (7 days)" */
  lifetime: string;
  /** "1 new connector" */
  uses: string;
  /** Whether what it registers waits for the admin's approval */
  approval: boolean;
  /** Said when a connector elsewhere cannot reach the URL (a loopback hub) */
  reach?: string;
}

export type TicketToHost = { type: 'ready' } | { type: 'copy' } | { type: 'close' };

export type TicketToWebview = { type: 'init'; ticket: TicketView } | { type: 'copied'; count: number };

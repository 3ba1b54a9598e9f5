/**
 * Working on an issue: its workflow transitions, the assignee, comments and assignable users, for
 * Jira Data Center/Server and Jira Cloud behind one interface (the same SearchTransport the views
 * use: any auth method signs the requests).
 *
 * - Transitions: `GET /rest/api/2/issue/{key}/transitions?expand=transitions.fields`, then
 *   `POST …/transitions` with `{ transition: { id }, fields }`. Both deployments.
 * - Comments: `POST /rest/api/2/issue/{key}/comment` with `{ body: text }` on both deployments. The
 *   text is Jira wiki markup; Cloud's v2 API takes it as it is and converts it (its v3 API would
 *   need Atlassian Document Format, which plain text from an input box gains nothing from).
 * - Assignee: `PUT /rest/api/2/issue/{key}/assignee`, `{ name }` on Data Center, `{ accountId }` on
 *   Cloud (which has no user names); `null` unassigns.
 * - Users: `GET /rest/api/2/user/assignable/search?issueKey=…` with `username` (Data Center) or
 *   `query` (Cloud, where `username` is refused); `GET /rest/api/2/myself` for "me".
 *
 * Writes are sent once: the transport never retries a POST or PUT after a network error (the
 * server may have done it) and sends them on a connection of their own (src/core/http.ts).
 * Refusals reject with the transport's error, which carries Jira's `errorMessages`/`errors`
 * (search.ts jiraErrorMessages). Bad input is refused before anything is sent, with a WorkError.
 *
 * Plain Node: never import 'vscode' here.
 */
import type { Deployment, SearchTransport } from './search';

/** Jira refuses longer comments (32,767 characters). */
export const MAX_COMMENT_LENGTH = 32767;

export type WorkErrorCode =
  /** Not an issue key (PROJ-123). args: value */
  | 'invalid_key'
  /** The comment is empty or only spaces. */
  | 'empty_comment'
  /** The comment is longer than Jira takes. args: length, max */
  | 'comment_too_long'
  /** No transition id given. */
  | 'invalid_transition'
  /** No user given to assign (neither a name nor an account id). */
  | 'invalid_user';

/** Bad input, refused before any request. The adapters turn the code and args into words. */
export class WorkError extends Error {
  constructor(readonly code: WorkErrorCode, readonly args: Record<string, string | number> = {}) {
    super(`${code}${Object.keys(args).length ? ` ${JSON.stringify(args)}` : ''}`);
    this.name = 'WorkError';
  }
}

const KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

function issuePath(key: string, rest: string): string {
  if (typeof key !== 'string' || !KEY.test(key.trim())) throw new WorkError('invalid_key', { value: String(key) });
  return `/rest/api/2/issue/${encodeURIComponent(key.trim().toUpperCase())}/${rest}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// ---------------------------------------------------------------------------------------------
// Transitions

export interface AllowedValue {
  id?: string;
  name: string;
}

/** A field the transition's screen requires. */
export interface RequiredField {
  id: string;
  name: string;
  /** The choices Jira offers (resolution, select lists); undefined for free-form fields. */
  allowedValues?: AllowedValue[];
}

export interface TransitionInfo {
  id: string;
  name: string;
  /** The target status. */
  to: { name: string; category: string | undefined };
  hasScreen: boolean;
  /** Required fields of the screen (needs `expand=transitions.fields`, which getTransitions asks for). */
  required: RequiredField[];
}

function parseTransition(raw: unknown): TransitionInfo | undefined {
  if (!isObj(raw)) return undefined;
  const id = typeof raw.id === 'number' ? String(raw.id) : str(raw.id);
  const name = str(raw.name);
  if (!id || !name) return undefined;
  const to = isObj(raw.to) ? raw.to : {};
  const category = isObj(to.statusCategory) ? str(to.statusCategory.key) : undefined;
  const required: RequiredField[] = [];
  if (isObj(raw.fields)) {
    for (const [fid, f] of Object.entries(raw.fields)) {
      if (!isObj(f) || f.required !== true || f.hasDefaultValue === true) continue;
      const allowed = Array.isArray(f.allowedValues)
        ? f.allowedValues.filter(isObj).map((v) => ({ id: str(v.id), name: str(v.name) ?? str(v.value) ?? '' })).filter((v) => v.name)
        : undefined;
      required.push({ id: fid, name: str(f.name) ?? fid, allowedValues: allowed });
    }
  }
  return { id, name, to: { name: str(to.name) ?? name, category }, hasScreen: raw.hasScreen === true, required };
}

/** The transitions Jira offers for the issue now, for the current user (empty without permission). */
export async function getTransitions(transport: SearchTransport, key: string, signal?: AbortSignal): Promise<TransitionInfo[]> {
  const path = issuePath(key, 'transitions');
  const answer = await transport<{ transitions?: unknown[] }>({ method: 'GET', path, query: { expand: 'transitions.fields' }, signal });
  const list = Array.isArray(answer?.transitions) ? answer.transitions : [];
  return list.map(parseTransition).filter((t): t is TransitionInfo => !!t);
}

/** The first transition into an "In Progress" category status (Start Work), if any. */
export function firstInProgress(transitions: readonly TransitionInfo[]): TransitionInfo | undefined {
  return transitions.find((t) => t.to.category === 'indeterminate');
}

/**
 * Moves the issue along a transition. `fields` are the screen's values, e.g.
 * `{ resolution: { id: '10000' } }` (fieldValue() builds them from the allowed values).
 */
export async function transitionIssue(transport: SearchTransport, key: string, transitionId: string, fields?: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
  const path = issuePath(key, 'transitions');
  if (typeof transitionId !== 'string' || !transitionId.trim()) throw new WorkError('invalid_transition');
  const body: Obj = { transition: { id: transitionId.trim() } };
  if (fields && Object.keys(fields).length) body.fields = fields;
  await transport({ method: 'POST', path, body, signal });
}

/** The value to send for a chosen allowed value: by id when Jira gave one, else by name. */
export function fieldValue(v: AllowedValue): { id: string } | { name: string } {
  return v.id ? { id: v.id } : { name: v.name };
}

// ---------------------------------------------------------------------------------------------
// Comments

/** Adds a comment (Jira wiki markup). Returns the new comment's id. */
export async function addComment(transport: SearchTransport, key: string, text: string, signal?: AbortSignal): Promise<string | undefined> {
  const path = issuePath(key, 'comment');
  if (typeof text !== 'string' || !text.trim()) throw new WorkError('empty_comment');
  if (text.length > MAX_COMMENT_LENGTH) throw new WorkError('comment_too_long', { length: text.length, max: MAX_COMMENT_LENGTH });
  const answer = await transport<{ id?: unknown }>({ method: 'POST', path, body: { body: text }, signal });
  return str(answer?.id);
}

// ---------------------------------------------------------------------------------------------
// Users and the assignee

/** A user as each deployment identifies one: `id` is the user name (Data Center) or the account id (Cloud). */
export interface JiraUser {
  id: string;
  displayName: string;
  /** The e-mail address or user name, to tell people with the same display name apart. */
  detail?: string;
}

/** A user from Jira's JSON, or undefined when it lacks the identity this deployment assigns by. */
export function userOf(raw: unknown, deployment: Deployment): JiraUser | undefined {
  if (!isObj(raw)) return undefined;
  const id = deployment === 'Cloud' ? str(raw.accountId) : str(raw.name) ?? str(raw.key);
  if (!id) return undefined;
  const displayName = str(raw.displayName) ?? id;
  const detail = str(raw.emailAddress) ?? (deployment === 'Cloud' ? undefined : str(raw.name));
  return { id, displayName, detail: detail && detail !== displayName ? detail : undefined };
}

/** The signed-in user (`/rest/api/2/myself`). */
export async function myself(transport: SearchTransport, deployment: Deployment, signal?: AbortSignal): Promise<JiraUser> {
  const raw = await transport<unknown>({ method: 'GET', path: '/rest/api/2/myself', signal });
  const me = userOf(raw, deployment);
  if (!me) throw new WorkError('invalid_user');
  return me;
}

/** The assignee body of a deployment: `{ name }` (Data Center) or `{ accountId }` (Cloud); null unassigns. */
export function assigneeBody(deployment: Deployment, userId: string | null): Obj {
  return deployment === 'Cloud' ? { accountId: userId } : { name: userId };
}

/** Assigns the issue to a user (its `id` in this deployment's terms), or unassigns it with null. */
export async function assignIssue(transport: SearchTransport, deployment: Deployment, key: string, userId: string | null, signal?: AbortSignal): Promise<void> {
  const path = issuePath(key, 'assignee');
  if (userId !== null && (typeof userId !== 'string' || !userId.trim())) throw new WorkError('invalid_user');
  await transport({ method: 'PUT', path, body: assigneeBody(deployment, userId === null ? null : userId.trim()), signal });
}

/** Users who can be assigned the issue, matching `text` (name, display name or e-mail). */
export async function searchAssignable(transport: SearchTransport, deployment: Deployment, key: string, text: string, signal?: AbortSignal, maxResults = 20): Promise<JiraUser[]> {
  if (typeof key !== 'string' || !KEY.test(key.trim())) throw new WorkError('invalid_key', { value: String(key) });
  const param = deployment === 'Cloud' ? 'query' : 'username';
  const answer = await transport<unknown>({
    method: 'GET',
    path: '/rest/api/2/user/assignable/search',
    query: { issueKey: key.trim().toUpperCase(), [param]: text.trim(), maxResults },
    signal,
  });
  return (Array.isArray(answer) ? answer : []).map((u) => userOf(u, deployment)).filter((u): u is JiraUser => !!u);
}

// ---------------------------------------------------------------------------------------------
// Branch names (Start Work)

export const DEFAULT_BRANCH_PATTERN = '${key}-${summary}';

/**
 * A git branch name from a pattern with `${key}`, `${summary}` (lower-case words joined by
 * dashes) and `${type}` (the issue type, lower-case), made valid for git (git check-ref-format):
 * no spaces, `..`, `~^:?*[\`, control characters, leading dashes or dots, trailing `.lock`, `/` or `.`.
 * Summaries are cut so that the name stays under `max` characters.
 */
export function branchName(pattern: string, issue: { key: string; summary?: string; type?: string }, max = 60): string {
  const slug = (s: string | undefined) =>
    (s ?? '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '');
  const p = typeof pattern === 'string' && pattern.includes('${key}') ? pattern : DEFAULT_BRANCH_PATTERN;
  const fixed = p.replace(/\$\{summary\}/g, '').replace(/\$\{key\}/g, issue.key).replace(/\$\{type\}/g, slug(issue.type));
  const room = Math.max(0, max - fixed.length);
  let summary = slug(issue.summary);
  if (summary.length > room) {
    // At a word's end: the cut keeps whole words when there is one.
    const cut = summary.slice(0, room);
    summary = summary[room] === '-' ? cut : cut.replace(/-[^-]*$/, '') || cut;
  }
  let name = p.replace(/\$\{key\}/g, issue.key).replace(/\$\{summary\}/g, summary).replace(/\$\{type\}/g, slug(issue.type));
  name = name
    // eslint-disable-next-line no-control-regex -- git refuses control characters in ref names
    .replace(/[\s~^:?*[\\\x00-\x1f\x7f]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/@\{/g, '-')
    .replace(/\/{2,}/g, '/')
    .split('/')
    .map((part) => part.replace(/^[.-]+/, '').replace(/\.lock$/i, '').replace(/[.-]+$/, ''))
    .filter(Boolean)
    .join('/')
    .replace(/-{2,}/g, '-');
  return name || issue.key;
}

/**
 * Issue search with paging, for Jira Data Center/Server and Jira Cloud behind one interface.
 *
 * - Data Center/Server: `GET /rest/api/2/search` with `startAt`/`maxResults`, answering `total`.
 * - Cloud: `GET /rest/api/3/search/jql` with `nextPageToken`/`maxResults`, answering `isLast` and
 *   no `total` (Cloud removed `/rest/api/2/search`: it answers 410 Gone there).
 *
 * Which one a site is comes from `serverInfo.deploymentType` ("Cloud" or "Server"), decided once per
 * site and cached (in memory and in a store the caller provides, e.g. VS Code's globalState), so a
 * first page normally costs exactly one request.
 *
 * Issues are kept compact (`IssueSummary`: only what a tree item needs, strings interned) so that
 * paging through thousands of issues does not hold on to the JSON of every page.
 *
 * Plain Node: never import 'vscode' here.
 */

import { formatMessage, isMessage, Message, msg } from './messages';

/** Query values; undefined ones are left out. */
export type QueryValue = string | number | boolean | undefined;

export interface SearchRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below the site's base URL, e.g. `/rest/api/2/search`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * The one thing search needs from a Jira client: send a signed request and return the parsed JSON,
 * or reject with an error carrying the HTTP `status` and the parsed error `body` (Jira's
 * `{ errorMessages, errors }`). Any auth method; the caller adapts its client to this.
 */
export type SearchTransport = <T>(request: SearchRequest) => Promise<T>;

export type Deployment = 'Cloud' | 'Server';

/** Cloud when `deploymentType` says so (any case); anything else (Server, DataCenter, unknown) is Server. */
export function deploymentOf(deploymentType: string | undefined | null): Deployment | undefined {
  if (typeof deploymentType !== 'string' || deploymentType.trim() === '') return undefined;
  return deploymentType.trim().toLowerCase() === 'cloud' ? 'Cloud' : 'Server';
}

/** A stable cache key for a site: lower-cased origin + path, without trailing slashes. */
export function siteKey(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return baseUrl.trim().replace(/\/+$/, '').toLowerCase();
  }
}

/** Persistent, non-secret storage for the decision (e.g. globalState). */
export interface DeploymentStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void | PromiseLike<void>;
}

/**
 * Decides Cloud or Server per site: the caller's hint (sign-in metadata) first, then the memory and
 * the store, else one `GET /rest/api/2/serverInfo`, shared by concurrent callers and cached.
 */
export class DeploymentResolver {
  private readonly known = new Map<string, Deployment>();
  private readonly inflight = new Map<string, Promise<Deployment>>();

  constructor(private readonly store?: DeploymentStore, private readonly storeKeyPrefix = 'jira.deployment:') {}

  /** The cached decision for a site, without any request. */
  peek(baseUrl: string, hint?: string): Deployment | undefined {
    const key = siteKey(baseUrl);
    const fromHint = deploymentOf(hint);
    if (fromHint) return fromHint;
    const mem = this.known.get(key);
    if (mem) return mem;
    let stored: string | undefined;
    try { stored = this.store?.get(this.storeKeyPrefix + key); } catch { stored = undefined; }
    const fromStore = deploymentOf(stored);
    if (fromStore) this.known.set(key, fromStore);
    return fromStore;
  }

  async resolve(baseUrl: string, transport: SearchTransport, hint?: string, signal?: AbortSignal): Promise<Deployment> {
    const cached = this.peek(baseUrl, hint);
    if (cached) return cached;
    const key = siteKey(baseUrl);
    let p = this.inflight.get(key);
    if (!p) {
      // Not tied to one caller's signal: other callers may be waiting on the same answer.
      p = transport<{ deploymentType?: string }>({ method: 'GET', path: '/rest/api/2/serverInfo' })
        .then((info) => {
          const d = deploymentOf(info?.deploymentType) ?? 'Server';
          this.remember(baseUrl, d);
          return d;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return signal ? raceAbort(p, signal) : p;
  }

  /** Records a decision (e.g. after the Server search answered 410 Gone). */
  remember(baseUrl: string, deployment: Deployment): void {
    const key = siteKey(baseUrl);
    this.known.set(key, deployment);
    try {
      const r = this.store?.set(this.storeKeyPrefix + key, deployment);
      if (r && typeof r.then === 'function') r.then(undefined, () => undefined);
    } catch { /* a cache: losing it only costs one request later */ }
  }

  forget(baseUrl: string): void {
    this.known.delete(siteKey(baseUrl));
  }
}

// ---------------------------------------------------------------------------------------------
// Compact issues

/** What a tree item needs of an issue; everything else is fetched when its detail opens. */
export interface IssueSummary {
  readonly key: string;
  readonly summary: string;
  readonly status: string;
  /** Jira's status category key: `new`, `indeterminate`, `done` (or `undefined`). */
  readonly statusCategory: string | undefined;
  readonly type: string | undefined;
  readonly priority: string | undefined;
  readonly assignee: string | undefined;
  readonly reporter: string | undefined;
  /** `fields.updated` as milliseconds since the epoch, NaN when absent. */
  readonly updated: number;
}

/** The fields a search asks for: only what `IssueSummary` keeps. */
export const SUMMARY_FIELDS = ['summary', 'status', 'issuetype', 'priority', 'assignee', 'reporter', 'updated'] as const;

/**
 * A small pool that makes repeated strings (status, type, priority and people names) share one
 * copy. Bounded: it starts over when full.
 */
export class StringPool {
  private pool = new Map<string, string>();
  constructor(private readonly max = 4096) {}
  intern(s: string): string;
  intern(s: string | undefined): string | undefined;
  intern(s: string | undefined): string | undefined {
    if (s === undefined) return undefined;
    const hit = this.pool.get(s);
    if (hit !== undefined) return hit;
    if (this.pool.size >= this.max) this.pool = new Map();
    this.pool.set(s, s);
    return s;
  }
}

const defaultPool = new StringPool();

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function named(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return str(o.displayName) ?? str(o.name) ?? str(o.value);
}

/** Maps one issue of a search answer to its compact form. Returns undefined without a key. */
export function compactIssue(raw: unknown, pool: StringPool = defaultPool): IssueSummary | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as { key?: unknown; fields?: Record<string, unknown> };
  const key = str(r.key);
  if (!key) return undefined;
  const f = r.fields ?? {};
  const status = f.status as { name?: unknown; statusCategory?: { key?: unknown } } | undefined;
  const updated = str(f.updated);
  return {
    key,
    summary: str(f.summary) ?? '',
    status: pool.intern(str(status?.name) ?? ''),
    statusCategory: pool.intern(str(status?.statusCategory?.key)),
    type: pool.intern(named(f.issuetype)),
    priority: pool.intern(named(f.priority)),
    assignee: pool.intern(named(f.assignee)),
    reporter: pool.intern(named(f.reporter)),
    updated: updated ? Date.parse(updated) : NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// Paging

/** Where the next page starts: an offset (Server) or a token (Cloud). */
export type PageCursor =
  | { readonly kind: 'offset'; readonly startAt: number }
  | { readonly kind: 'token'; readonly token: string };

export interface SearchPage {
  readonly issues: IssueSummary[];
  /** Present when there are more issues; pass it back to get the next page. */
  readonly next: PageCursor | undefined;
  /** Total matches, when the server says (Server only). */
  readonly total: number | undefined;
  readonly deployment: Deployment;
}

export interface PageRequest {
  jql: string;
  pageSize: number;
  /** Undefined for the first page. */
  cursor?: PageCursor;
  signal?: AbortSignal;
  fields?: readonly string[];
  pool?: StringPool;
}

/** JQL longer than this is sent in a POST body rather than the query string. */
export const MAX_GET_JQL = 1500;

/** Jira caps `maxResults`; stay within 1..1000. */
export function clampPageSize(n: unknown, fallback = 50): number {
  const v = typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : fallback;
  return Math.min(1000, Math.max(1, v));
}

interface ServerSearchAnswer { startAt?: number; maxResults?: number; total?: number; issues?: unknown[] }
interface CloudSearchAnswer { issues?: unknown[]; nextPageToken?: string; isLast?: boolean }

/** One page from Data Center/Server: `/rest/api/2/search`. */
export async function searchServerPage(transport: SearchTransport, req: PageRequest): Promise<SearchPage> {
  if (req.cursor && req.cursor.kind !== 'offset') throw new TypeError('a Server search pages by offset');
  const startAt = req.cursor?.startAt ?? 0;
  const maxResults = clampPageSize(req.pageSize);
  const fields = (req.fields ?? SUMMARY_FIELDS).join(',');
  const answer = req.jql.length > MAX_GET_JQL
    ? await transport<ServerSearchAnswer>({ method: 'POST', path: '/rest/api/2/search', body: { jql: req.jql, startAt, maxResults, fields: fields.split(',') }, signal: req.signal })
    : await transport<ServerSearchAnswer>({ method: 'GET', path: '/rest/api/2/search', query: { jql: req.jql, startAt, maxResults, fields }, signal: req.signal });
  const raw = Array.isArray(answer?.issues) ? answer.issues : [];
  const issues = compactAll(raw, req.pool);
  const total = typeof answer?.total === 'number' ? answer.total : undefined;
  const begin = typeof answer?.startAt === 'number' ? answer.startAt : startAt;
  const nextStart = begin + raw.length;
  const more = raw.length > 0 && (total === undefined ? raw.length >= maxResults : nextStart < total);
  return { issues, next: more ? { kind: 'offset', startAt: nextStart } : undefined, total, deployment: 'Server' };
}

/** One page from Cloud: `/rest/api/3/search/jql`. */
export async function searchCloudPage(transport: SearchTransport, req: PageRequest): Promise<SearchPage> {
  if (req.cursor && req.cursor.kind !== 'token') throw new TypeError('a Cloud search pages by token');
  const maxResults = clampPageSize(req.pageSize);
  const fields = (req.fields ?? SUMMARY_FIELDS).join(',');
  const token = req.cursor?.token;
  const answer = req.jql.length > MAX_GET_JQL
    ? await transport<CloudSearchAnswer>({ method: 'POST', path: '/rest/api/3/search/jql', body: { jql: req.jql, maxResults, fields: fields.split(','), ...(token ? { nextPageToken: token } : {}) }, signal: req.signal })
    : await transport<CloudSearchAnswer>({ method: 'GET', path: '/rest/api/3/search/jql', query: { jql: req.jql, maxResults, fields, nextPageToken: token }, signal: req.signal });
  const raw = Array.isArray(answer?.issues) ? answer.issues : [];
  const issues = compactAll(raw, req.pool);
  const nextToken = typeof answer?.nextPageToken === 'string' && answer.nextPageToken ? answer.nextPageToken : undefined;
  const more = answer?.isLast !== true && nextToken !== undefined;
  return { issues, next: more ? { kind: 'token', token: nextToken } : undefined, total: undefined, deployment: 'Cloud' };
}

function compactAll(raw: unknown[], pool?: StringPool): IssueSummary[] {
  const out: IssueSummary[] = [];
  for (const r of raw) {
    const c = compactIssue(r, pool);
    if (c) out.push(c);
  }
  return out;
}

/** One site's search: decides Cloud or Server once, then pages. */
export class IssueSearch {
  constructor(
    private readonly transport: SearchTransport,
    private readonly baseUrl: string,
    private readonly resolver: DeploymentResolver,
    private readonly deploymentHint?: string,
  ) {}

  deployment(signal?: AbortSignal): Promise<Deployment> {
    return this.resolver.resolve(this.baseUrl, this.transport, this.deploymentHint, signal);
  }

  async page(req: PageRequest): Promise<SearchPage> {
    const d = await this.deployment(req.signal);
    if (d === 'Cloud' || req.cursor?.kind === 'token') return searchCloudPage(this.transport, req);
    try {
      return await searchServerPage(this.transport, req);
    } catch (err) {
      // The site moved to Cloud (or the hint was wrong): the old endpoint is gone there.
      if (statusOf(err) === 410 && !req.cursor) {
        this.resolver.remember(this.baseUrl, 'Cloud');
        return searchCloudPage(this.transport, req);
      }
      throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Whether an error is an abort (a cancelled request), whatever raised it. */
export function isAbortError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'AbortError' || e.code === 'ABORT_ERR' || e.name === 'CancellationError' || e.code === 'ECANCELED' || e.code === 'aborted';
}

/** The HTTP status an error carries (JiraError: `status`; others: `statusCode`, `response.status`). */
export function statusOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  for (const v of [e.status, e.statusCode, e.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

function parsedBody(err: unknown): Record<string, unknown> | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as Record<string, unknown>;
  for (const k of ['body', 'data', 'details', 'response']) {
    let v = e[k];
    if (typeof v === 'string') {
      try { v = JSON.parse(v); } catch { continue; }
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('errorMessages' in o || 'errors' in o) return o;
      if (o.body && typeof o.body === 'object') return o.body as Record<string, unknown>;
    }
  }
  if ('errorMessages' in e || 'errors' in e) return e;
  return undefined;
}

/**
 * Jira's own words for a failed request: `errorMessages` plus the values of `errors`
 * (e.g. a JQL syntax error). Empty when the error has none.
 */
export function jiraErrorMessages(err: unknown): string[] {
  const body = parsedBody(err);
  if (!body) return [];
  const out: string[] = [];
  if (Array.isArray(body.errorMessages)) for (const m of body.errorMessages) if (typeof m === 'string' && m.trim()) out.push(m.trim());
  if (body.errors && typeof body.errors === 'object') {
    for (const v of Object.values(body.errors as Record<string, unknown>)) if (typeof v === 'string' && v.trim()) out.push(v.trim());
  }
  return [...new Set(out)];
}

/**
 * A one-line message for the user: Jira's messages when it sent some, else the error's message
 * (first line only: never a stack trace).
 */
export function errorSummary(err: unknown, localize: (m: Message) => string = formatMessage): string {
  // Jira's words say what is wrong with a query or a field (400). Any other status's ("Issue Does
  // Not Exist", "You are not authenticated...") say less than core's sentence, which is in the
  // user's language, says what to do, and quotes them: then that sentence.
  const jira = jiraErrorMessages(err);
  const sentence = isMessage((err as { text?: unknown } | undefined)?.text) && statusOf(err) !== 400;
  if (jira.length && !sentence) return jira.join(' ');
  let text = '';
  const template = (err as { text?: unknown } | undefined)?.text;
  if (isMessage(template)) text = localize(template);
  else if (err instanceof Error) text = err.message;
  else if (typeof err === 'string') text = err;
  else if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') text = (err as { message: string }).message;
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !/^at\s/.test(l)) ?? '';
  if (line) return line.length > 300 ? `${line.slice(0, 297)}...` : line;
  const status = statusOf(err);
  return localize(status ? msg('Jira answered HTTP {0}', status) : msg('The request failed'));
}

/** True for a bad-JQL answer (400 with messages). */
export function isJqlError(err: unknown): boolean {
  return statusOf(err) === 400 && jiraErrorMessages(err).length > 0;
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

export function abortError(): Error {
  const e = new Error('The request was cancelled');
  e.name = 'AbortError';
  return e;
}

/**
 * The state behind the Jira tree views, in plain TypeScript (no 'vscode' import at run time) so it
 * can be unit-tested with fakes and benchmarked in Node.
 *
 * - `IssueList`: one JQL's issues, loaded a page at a time: the first page when the tree asks for
 *   the children, the next one only when the user asks ("Load more…"). One request at a time per
 *   list (concurrent asks share it), cancellable (refresh, account switch), errors kept as a
 *   message with a retry.
 * - `FiltersModel`: the "Filters" view's root: a search result, the user's favourite filters from
 *   Jira, and saved JQL from the settings, each an `IssueList`.
 *
 * Issues are stored compactly (`IssueSummary`, see core/search) so that thousands of them cost
 * little memory.
 */
import { errorSummary, isAbortError, IssueSummary, PageCursor, PageRequest, SearchPage } from '../core/search';
import { localize, t } from '../l10n';

/** A Jira filter (a favourite from `/rest/api/2/filter/favourite`, or saved JQL from the settings). */
export interface FilterDef {
  id?: string;
  name: string;
  jql: string;
  viewUrl?: string;
  description?: string;
  owner?: string;
}

/** What the views need from the signed-in account. */
/** The issue detail webview's type (detail/panel.ts), here so that activation can register its serializer. */
export const DETAIL_VIEW_TYPE = 'jira.issueDetail';

export interface Session {
  /** Changes when the account or site changes. */
  readonly id: string;
  readonly baseUrl: string;
  page(req: PageRequest): Promise<SearchPage>;
  favouriteFilters(signal?: AbortSignal): Promise<FilterDef[]>;
}

/** The environment a list lives in (one per view). */
export interface ListHost {
  /** The active session, or undefined when signed out. */
  session(): Promise<Session | undefined>;
  pageSize(): number;
  /** Something about `node` changed: the tree should ask for it (and its children) again. */
  changed(node: IssueList | undefined): void;
  /** Shows progress on the view while `work` runs. */
  busy<T>(work: Promise<T>): Promise<T>;
  log?(message: string): void;
}

export type ListOrigin = 'my' | 'favourite' | 'saved' | 'search';

export type Status = 'idle' | 'loading' | 'ready' | 'error' | 'signedOut';

/** The fields of `IssueSummary` that many issues share (a few hundred combinations). */
const TRAIT_FIELDS = ['status', 'statusCategory', 'type', 'priority', 'assignee', 'reporter'] as const;

/** What many issues share: their project and the `TRAIT_FIELDS` of their summary. */
type IssueTraits = Pick<IssueSummary, (typeof TRAIT_FIELDS)[number]> & { readonly project: string };

const traitsPool = new Map<string, IssueTraits>();
const KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d{1,9})$/;

function traitsOf(project: string, s: IssueSummary): IssueTraits {
  // \u0001 stands for a missing value, so that undefined and '' stay apart. join() makes one flat
  // string; a key built with += stays a chain of pieces and tripled the heap of a page (model.test).
  const id = [project, ...TRAIT_FIELDS.map((f) => s[f] ?? '\u0001')].join('\u0000');
  let t = traitsPool.get(id);
  if (!t) {
    if (traitsPool.size >= 4096) traitsPool.clear();
    const traits: Record<string, string | undefined> = { project };
    for (const f of TRAIT_FIELDS) traits[f] = s[f];
    t = Object.freeze(traits as unknown as IssueTraits);
    traitsPool.set(id, t);
  }
  return t;
}

/**
 * An issue in a list, in five fields: its list, the number of its key (or the whole key when it
 * is not PROJECT-123), its summary, the traits it shares with other issues, and `updated` as whole
 * minutes (a small integer). 10 000 loaded issues cost ~1.9 MB.
 */
export class IssueNode implements IssueSummary {
  readonly summary: string;
  private readonly k: number | string;
  private readonly traits: IssueTraits;
  private readonly updatedMinutes: number;

  constructor(readonly list: IssueList, s: IssueSummary) {
    const m = KEY.exec(s.key);
    this.k = m ? Number(m[2]) : s.key;
    this.traits = traitsOf(m ? m[1] : '', s);
    this.summary = s.summary;
    this.updatedMinutes = Number.isFinite(s.updated) ? Math.round(s.updated / 60000) : -1;
  }

  get key(): string { return typeof this.k === 'number' ? `${this.traits.project}-${this.k}` : this.k; }
  get status(): string { return this.traits.status; }
  get statusCategory(): string | undefined { return this.traits.statusCategory; }
  get type(): string | undefined { return this.traits.type; }
  get priority(): string | undefined { return this.traits.priority; }
  get assignee(): string | undefined { return this.traits.assignee; }
  get reporter(): string | undefined { return this.traits.reporter; }
  get kind(): 'issue' { return 'issue'; }
  get id(): string { return `${this.list.id}/${this.key}`; }
  /** The summary fields (this node itself). */
  get issue(): IssueSummary { return this; }
  /** `fields.updated` in ms since the epoch (to the minute), NaN when unknown. */
  get updated(): number { return this.updatedMinutes < 0 ? NaN : this.updatedMinutes * 60000; }
}

export class LoadMoreNode {
  constructor(readonly list: IssueList) {}
  get kind(): 'more' { return 'more'; }
  get id(): string { return `${this.list.id}/~more`; }
}

export type MessageKind = 'empty' | 'error' | 'signedOut';

export class MessageNode {
  constructor(
    readonly parent: IssueList | FiltersModel,
    readonly message: MessageKind,
    readonly text: string,
    /** What a Retry does, for errors. */
    readonly retry?: () => void,
  ) {}
  get kind(): 'message' { return 'message'; }
  get id(): string { return `${this.parent instanceof IssueList ? this.parent.id : 'filters'}/~${this.message}`; }
}

export type ListChild = IssueNode | LoadMoreNode | MessageNode;
export type TreeNode = IssueList | IssueNode | LoadMoreNode | MessageNode;

export class IssueList {
  status: Status = 'idle';
  issues: IssueNode[] = [];
  next: PageCursor | undefined;
  total: number | undefined;
  error: string | undefined;
  /** Error of the last "Load more", shown after the loaded issues. */
  moreError: string | undefined;
  loadingMore = false;
  /** Requests this list sent (for tests and the log). */
  requests = 0;
  readonly more = new LoadMoreNode(this);
  private inflight: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private epoch = 0;
  private message: MessageNode | undefined;

  constructor(
    private readonly host: ListHost,
    readonly id: string,
    public label: string,
    public jql: string,
    readonly origin: ListOrigin,
    public filter?: FilterDef,
  ) {}

  get kind(): 'list' { return 'list'; }
  get loading(): boolean { return this.inflight !== undefined; }

  /**
   * The tree's children: starts the first page when nothing is loaded yet; while a page is on its
   * way, waits for that same request (never a second one).
   */
  async children(): Promise<ListChild[]> {
    if (this.status === 'idle') void this.load();
    const pending = this.status === 'loading' ? this.inflight : undefined;
    if (pending) await pending;
    return this.snapshot();
  }

  /** Loads the first page (if not loaded or loading). Resolves when done; never rejects. */
  load(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.status !== 'idle') return Promise.resolve();
    return this.start(false);
  }

  /** Fetches the next page, if any; a second call while one is on its way shares it. */
  loadMore(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.status !== 'ready' || !this.next) return Promise.resolve();
    this.loadingMore = true;
    this.moreError = undefined;
    this.host.changed(this);
    return this.start(true);
  }

  /** Retries what failed: the first page or the next one. */
  retry(): Promise<void> {
    if (this.moreError !== undefined) {
      this.moreError = undefined;
      return this.loadMore();
    }
    this.reset();
    return Promise.resolve();
  }

  /** Cancels what is in flight and forgets every page; the tree then asks again. */
  reset(notify = true): void {
    this.cancel();
    this.status = 'idle';
    this.issues = [];
    this.next = undefined;
    this.total = undefined;
    this.error = undefined;
    this.moreError = undefined;
    this.message = undefined;
    if (notify) this.host.changed(this);
  }

  /** Cancels the request in flight, if any (its answer is dropped). */
  cancel(): void {
    this.epoch++;
    this.controller?.abort();
    this.controller = undefined;
    this.inflight = undefined;
    this.loadingMore = false;
    if (this.status === 'loading') this.status = 'idle';
  }

  /** The children for the current state, without loading anything. */
  snapshot(): ListChild[] {
    switch (this.status) {
      case 'error':
        return [this.messageNode('error', this.error ?? t('Error'), () => void this.retry())];
      case 'ready': {
        if (this.issues.length === 0) return [this.messageNode('empty', t('No issues match this query.'))];
        const out: ListChild[] = this.issues.slice();
        if (this.moreError !== undefined) out.push(this.messageNode('error', this.moreError, () => void this.retry()));
        else if (this.next) out.push(this.more);
        return out;
      }
      default:
        return [];
    }
  }

  private messageNode(kind: MessageKind, text: string, retry?: () => void): MessageNode {
    if (!this.message || this.message.message !== kind || this.message.text !== text) this.message = new MessageNode(this, kind, text, retry);
    return this.message;
  }

  private start(more: boolean): Promise<void> {
    const epoch = this.epoch;
    const controller = new AbortController();
    this.controller = controller;
    if (!more) this.status = 'loading';
    const run = async (): Promise<void> => {
      const session = await this.host.session();
      if (epoch !== this.epoch) return;
      if (!session) {
        this.status = 'signedOut';
        return;
      }
      this.requests++;
      const page = await session.page({ jql: this.jql, pageSize: this.host.pageSize(), cursor: more ? this.next : undefined, signal: controller.signal });
      if (epoch !== this.epoch) return;
      if (!more) this.issues = [];
      for (const issue of page.issues) this.issues.push(new IssueNode(this, issue));
      this.next = page.next;
      if (page.total !== undefined) this.total = page.total;
      this.status = 'ready';
      this.error = undefined;
    };
    const p = this.host.busy(run())
      .catch((err: unknown) => {
        if (epoch !== this.epoch || isAbortError(err)) return;
        const text = errorSummary(err, localize);
        this.host.log?.(`${this.label}: ${more ? 'loading more issues' : 'loading issues'} failed: ${text}`);
        if (more) this.moreError = text;
        else {
          this.status = 'error';
          this.error = text;
        }
      })
      .finally(() => {
        if (epoch !== this.epoch) return;
        this.inflight = undefined;
        this.controller = undefined;
        if (more) {
          this.loadingMore = false;
          this.host.changed(this);
        }
      });
    this.inflight = p;
    return p;
  }
}

export type FiltersChild = IssueList | MessageNode;

/** The "Filters" view's root. */
export class FiltersModel {
  status: Status = 'idle';
  favourites: IssueList[] = [];
  saved: IssueList[] = [];
  search: IssueList | undefined;
  error: string | undefined;
  /** Said instead of the favourites when this Jira has none to offer (no /filter/favourite resource). */
  notice: string | undefined;
  private savedDefs: FilterDef[] = [];
  private inflight: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private epoch = 0;
  private errorNode: MessageNode | undefined;

  constructor(private readonly host: ListHost) {}

  /** Saved JQL from the settings (`jira.filters`). */
  setSaved(defs: readonly FilterDef[]): void {
    this.savedDefs = defs.filter((d) => d && typeof d.name === 'string' && typeof d.jql === 'string');
    this.saved = this.savedDefs.map((d, i) => this.reuse(this.saved, `saved:${i}:${d.name}`, d, 'saved'));
  }

  /** Shows a search's results at the top (replacing the previous search). */
  setSearch(list: IssueList | undefined): void {
    if (this.search && this.search !== list) this.search.cancel();
    this.search = list;
    this.host.changed(undefined);
  }

  async children(): Promise<FiltersChild[]> {
    if (this.status === 'idle') void this.load();
    const pending = this.status === 'loading' ? this.inflight : undefined;
    if (pending) await pending;
    return this.snapshot();
  }

  snapshot(): FiltersChild[] {
    if (this.status === 'signedOut' || this.status === 'idle' || this.status === 'loading') return [];
    const out: FiltersChild[] = [];
    if (this.search) out.push(this.search);
    if (this.status === 'error') {
      if (!this.errorNode || this.errorNode.text !== this.error) this.errorNode = new MessageNode(this, 'error', this.error ?? t('Error'), () => this.refresh());
      out.push(this.errorNode);
    }
    if (this.notice) out.push(new MessageNode(this, 'empty', this.notice));
    out.push(...this.favourites, ...this.saved);
    return out;
  }

  load(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.status !== 'idle') return Promise.resolve();
    const epoch = this.epoch;
    const controller = new AbortController();
    this.controller = controller;
    this.status = 'loading';
    const run = async (): Promise<void> => {
      const session = await this.host.session();
      if (epoch !== this.epoch) return;
      if (!session) {
        this.status = 'signedOut';
        return;
      }
      const defs = await session.favouriteFilters(controller.signal);
      if (epoch !== this.epoch) return;
      const old = this.favourites;
      this.favourites = defs.map((d) => this.reuse(old, `fav:${d.id ?? d.name}`, d, 'favourite'));
      for (const l of old) if (!this.favourites.includes(l)) l.cancel();
      this.status = 'ready';
      this.error = undefined;
      this.notice = undefined;
    };
    const p = this.host.busy(run())
      .catch((err: unknown) => {
        if (epoch !== this.epoch || isAbortError(err)) return;
        if ((err as { resourceMissing?: boolean }).resourceMissing) {
          // An older or stripped-down Jira: nothing failed, there is just nothing to list.
          this.host.log?.(`Favourite filters: ${errorSummary(err, localize)}`);
          this.notice = t('This Jira does not offer favourite filters (/rest/api/2/filter/favourite). Your saved filters (setting jira.filters) and searches still work.');
          this.favourites = [];
          this.error = undefined;
          this.status = 'ready';
          return;
        }
        this.error = errorSummary(err, localize);
        this.host.log?.(`Favourite filters failed: ${this.error}`);
        this.status = 'error';
      })
      .finally(() => {
        if (epoch !== this.epoch) return;
        this.inflight = undefined;
        this.controller = undefined;
      });
    this.inflight = p;
    return p;
  }

  /** Cancels everything and reloads the favourites; every list starts over. */
  refresh(notify = true): void {
    this.epoch++;
    this.controller?.abort();
    this.controller = undefined;
    this.inflight = undefined;
    this.status = 'idle';
    this.error = undefined;
    this.notice = undefined;
    for (const l of this.favourites) l.reset(false);
    for (const l of this.saved) l.reset(false);
    this.search?.reset(false);
    if (notify) this.host.changed(undefined);
  }

  /** After an account switch: forget the favourites and the search (they were the other account's). */
  clear(): void {
    for (const l of this.favourites) l.cancel();
    this.favourites = [];
    this.search?.cancel();
    this.search = undefined;
    this.refresh();
  }

  private reuse(pool: IssueList[], id: string, def: FilterDef, origin: ListOrigin): IssueList {
    const found = pool.find((l) => l.id === id);
    if (found) {
      if (found.jql !== def.jql) found.reset(false);
      found.label = def.name;
      found.jql = def.jql;
      found.filter = def;
      return found;
    }
    return new IssueList(this.host, id, def.name, def.jql, origin, def);
  }
}

/** Parses `jira.filters` (`[{ name, jql }]`), dropping malformed entries. */
export function parseSavedFilters(value: unknown): FilterDef[] {
  if (!Array.isArray(value)) return [];
  const out: FilterDef[] = [];
  for (const v of value) {
    if (!v || typeof v !== 'object') continue;
    const { name, jql } = v as { name?: unknown; jql?: unknown };
    if (typeof jql !== 'string' || !jql.trim()) continue;
    out.push({ name: typeof name === 'string' && name.trim() ? name.trim() : jql.trim(), jql: jql.trim() });
  }
  return out;
}

/** Maps `/rest/api/2/filter/favourite` to filter definitions. */
export function parseFavouriteFilters(value: unknown): FilterDef[] {
  if (!Array.isArray(value)) return [];
  const out: FilterDef[] = [];
  for (const v of value) {
    if (!v || typeof v !== 'object') continue;
    const f = v as { id?: unknown; name?: unknown; jql?: unknown; viewUrl?: unknown; description?: unknown; owner?: { displayName?: unknown } };
    const id = typeof f.id === 'string' || typeof f.id === 'number' ? String(f.id) : undefined;
    const name = typeof f.name === 'string' ? f.name : id ? t('Filter {0}', id) : undefined;
    if (!name) continue;
    const jql = typeof f.jql === 'string' && f.jql.trim() ? f.jql : id ? `filter = ${id}` : undefined;
    if (!jql) continue;
    out.push({
      id, name, jql,
      viewUrl: typeof f.viewUrl === 'string' ? f.viewUrl : undefined,
      description: typeof f.description === 'string' ? f.description : undefined,
      owner: typeof f.owner?.displayName === 'string' ? f.owner.displayName : undefined,
    });
  }
  return out;
}

/** `PROJ-123` (case-insensitive; returned upper-cased), or undefined. Accepts a browse URL too. */
export function parseIssueKey(input: string): string | undefined {
  const s = input.trim();
  const m = /(?:^|\/browse\/)([A-Za-z][A-Za-z0-9_]*-\d+)(?:[/?#].*)?$/.exec(s);
  return m ? m[1].toUpperCase() : undefined;
}

/** The browser URL of an issue, a JQL search or a filter. */
export function browseUrl(baseUrl: string, key: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(key)}`;
}

export function jqlUrl(baseUrl: string, jql: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/issues/?jql=${encodeURIComponent(jql)}`;
}

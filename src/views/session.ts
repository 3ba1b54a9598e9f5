/**
 * The views' access to Jira: adapts whatever signed client the active account has (any auth
 * method) to the search module, and caches it until the account changes. Plain TypeScript (no
 * 'vscode' at run time).
 */
import type { JiraClient } from '../core';
import { Deployment, DeploymentResolver, DeploymentStore, IssueSearch, PageRequest, SearchPage, SearchRequest, SearchTransport } from '../core/search';
import { FilterDef, parseFavouriteFilters, Session } from './model';

/** What `getClient()` gives the views (the sign-in side decides which account and auth). */
export interface ClientInfo {
  client: Pick<JiraClient, 'request'> & Partial<Pick<JiraClient, 'baseUrl'>>;
  site: { baseUrl: string; deploymentType?: string };
  /** The account's id (issue tabs restored after a reload show their issue only for the same account). */
  accountId?: string;
}

/** The issue JSON the detail view shows (`/rest/api/2/issue/{key}?expand=names,renderedFields`). */
export interface IssueDetailJson {
  key: string;
  fields: Record<string, unknown>;
  renderedFields?: Record<string, unknown>;
  names?: Record<string, string>;
  [k: string]: unknown;
}

export interface ViewSession extends Session {
  /** The account the session signs in as (ClientInfo.accountId). */
  readonly accountId?: string;
  issue(key: string, signal?: AbortSignal): Promise<IssueDetailJson>;
  /** Signed requests of the account (the writes of detail/work.ts). */
  readonly transport: SearchTransport;
  /** Cloud or Server (Data Center), decided once per site. */
  deployment(signal?: AbortSignal): Promise<Deployment>;
}

/** A SearchTransport over a JiraClient: the body of a 2xx answer; JiraError otherwise. */
export function transportFor(client: ClientInfo['client']): SearchTransport {
  return async <T>(req: SearchRequest): Promise<T> => {
    let query: Record<string, string | number | boolean> | undefined;
    if (req.query) {
      query = {};
      for (const [k, v] of Object.entries(req.query)) if (v !== undefined) query[k] = v;
    }
    const res = await client.request<T>(req.method, req.path, { query, json: req.body, signal: req.signal });
    return res.body;
  };
}

export class SessionManager {
  private current: Promise<ViewSession | undefined> | undefined;
  private generation = 0;
  readonly resolver: DeploymentResolver;

  constructor(
    private readonly getClient: () => Promise<ClientInfo | undefined>,
    store?: DeploymentStore,
  ) {
    this.resolver = new DeploymentResolver(store, 'jira.views.deployment:');
  }

  /** The active account's session (created once per account), or undefined when signed out. */
  session(): Promise<ViewSession | undefined> {
    if (!this.current) {
      const generation = ++this.generation;
      const p = this.getClient().then((info) => (info ? this.create(info, generation) : undefined));
      // A failure (or signed-out) is not cached: the next ask tries again.
      p.then((s) => { if (!s && this.current === p) this.current = undefined; }, () => { if (this.current === p) this.current = undefined; });
      this.current = p;
    }
    return this.current;
  }

  /** Forget the session (the account changed or signed out). */
  invalidate(): void {
    this.current = undefined;
    this.generation++;
  }

  private create(info: ClientInfo, generation: number): ViewSession {
    const baseUrl = (info.site?.baseUrl || info.client.baseUrl || '').replace(/\/+$/, '');
    const transport = transportFor(info.client);
    const search = new IssueSearch(transport, baseUrl, this.resolver, info.site?.deploymentType);
    return {
      id: `${generation}:${baseUrl}`,
      baseUrl,
      accountId: info.accountId,
      page: (req: PageRequest): Promise<SearchPage> => search.page(req),
      favouriteFilters: async (signal?: AbortSignal): Promise<FilterDef[]> =>
        parseFavouriteFilters(await transport({ method: 'GET', path: '/rest/api/2/filter/favourite', signal })),
      transport,
      deployment: (signal?: AbortSignal) => search.deployment(signal),
      issue: (key: string, signal?: AbortSignal) =>
        transport<IssueDetailJson>({ method: 'GET', path: `/rest/api/2/issue/${encodeURIComponent(key)}`, query: { expand: 'names,renderedFields' }, signal }),
    };
  }
}

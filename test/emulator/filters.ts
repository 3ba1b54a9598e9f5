// Favourite filters: GET /rest/api/{2,latest,3}/filter/favourite and /filter/{id}, as Jira answers
// them (each filter with its owner, JQL, viewUrl and searchUrl). Who starred a filter is an option;
// by default every user has starred the DEFAULT_FILTERS.
import { Ctx, sendErrors, sendJson, sendNullForUri } from './http';
import type { Router } from './router';

export interface FilterInput {
  /** Default: 10000 + position. */
  id?: string;
  name: string;
  jql: string;
  description?: string;
  /** User name of the owner; default the first user. */
  owner?: string;
  /** User names that starred it (see it under /filter/favourite); default every user. */
  favouritedBy?: string[];
}

export const DEFAULT_FILTERS: FilterInput[] = [
  { name: 'My open issues', jql: 'assignee = currentUser() AND resolution = Unresolved ORDER BY priority DESC, updated DESC', description: 'Everything assigned to me that is not done.' },
  { name: 'Reported by me', jql: 'reporter = currentUser() ORDER BY created DESC' },
  { name: 'DEMO bugs', jql: 'project = DEMO AND issuetype = Bug ORDER BY updated DESC', description: 'Open and closed bugs of the Demo Project.' },
];

interface FilterRecord extends Required<Omit<FilterInput, 'description'>> { description?: string }

const cache = new WeakMap<object, FilterRecord[]>();

/** The emulator's filters (from options.filters, else DEFAULT_FILTERS). */
export function filtersOf(ctx: Ctx): FilterRecord[] {
  const state = ctx.state;
  let list = cache.get(state);
  if (!list) {
    const users = [...state.users.keys()];
    list = (state.options.filters ?? DEFAULT_FILTERS).map((f, i) => ({
      id: f.id ?? String(10000 + i),
      name: f.name,
      jql: f.jql,
      description: f.description,
      owner: f.owner ?? users[0],
      favouritedBy: f.favouritedBy ?? users,
    }));
    cache.set(state, list);
  }
  return list;
}

function filterJson(ctx: Ctx, f: FilterRecord, user: string | undefined): Record<string, unknown> {
  const base = ctx.state.baseUrl;
  return {
    self: `${base}/rest/api/2/filter/${f.id}`,
    id: f.id,
    name: f.name,
    ...(f.description ? { description: f.description } : {}),
    owner: ctx.state.data.userJson(f.owner),
    jql: f.jql,
    viewUrl: `${base}/issues/?filter=${f.id}`,
    searchUrl: `${base}/rest/api/2/search?jql=${encodeURIComponent(f.jql)}`,
    favourite: user !== undefined && f.favouritedBy.includes(user),
    favouritedCount: f.favouritedBy.length,
    sharePermissions: [],
    subscriptions: { size: 0, items: [], 'max-results': 1000, 'start-index': 0, 'end-index': 0 },
  };
}

function favourites(ctx: Ctx): void {
  // A Jira without the resource (favouriteFilters: false) answers like for any unknown REST path.
  if (ctx.state.options.favouriteFilters === false) return sendNullForUri(ctx);
  const user = ctx.user?.name;
  sendJson(ctx, 200, filtersOf(ctx).filter((f) => user !== undefined && f.favouritedBy.includes(user)).map((f) => filterJson(ctx, f, user)));
}

function oneFilter(ctx: Ctx): void {
  const f = filtersOf(ctx).find((x) => x.id === ctx.params.id);
  if (!f) return sendErrors(ctx, 400, [`The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.`]);
  sendJson(ctx, 200, filterJson(ctx, f, ctx.user?.name));
}

export function registerFilters(router: Router): void {
  for (const v of ['2', 'latest', '3']) {
    router.add('GET', `/rest/api/${v}/filter/favourite`, 'required', favourites);
    router.add('GET', `/rest/api/${v}/filter/:id`, 'required', oneFilter);
  }
}

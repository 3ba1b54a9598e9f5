// A tiny router: a table of routes (methods, path pattern, handler, authentication policy).
// Patterns are matched against the path AFTER the context path: "/rest/api/2/issue/:key" binds
// one (percent-decoded) segment to params.key; a trailing "/*" binds the rest to params['*'].
import type { Ctx } from './http';

export type Handler = (ctx: Ctx) => void | Promise<void>;

/**
 * none: the handler does its own thing (OAuth endpoints, browser pages).
 * optional: REST authentication runs; anonymous is allowed; bad credentials are refused.
 * required: as optional, but anonymous gets 401.
 */
export type AuthPolicy = 'none' | 'optional' | 'required';

export interface Route {
  methods: string[];
  pattern: string;
  auth: AuthPolicy;
  handler: Handler;
}

interface Compiled extends Route {
  segments: string[];
  rest: boolean;
}

export type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export class Router {
  private readonly routes: Compiled[] = [];

  /** methods: e.g. 'GET', ['GET', 'POST'] or '*' for any method. */
  add(methods: string | string[], pattern: string, auth: AuthPolicy, handler: Handler): this {
    const list = (Array.isArray(methods) ? methods : [methods]).map((m) => m.toUpperCase());
    const rest = pattern.endsWith('/*');
    const segments = (rest ? pattern.slice(0, -2) : pattern).split('/').filter(Boolean);
    this.routes.push({ methods: list, pattern, auth, handler, segments, rest });
    return this;
  }

  /** HEAD falls back to a GET route; OPTIONS is answered by the server from `allow`. */
  match(method: string, path: string): Match {
    const parts = path.split('/').filter(Boolean);
    const allow = new Set<string>();
    for (const r of this.routes) {
      const params = matchSegments(r, parts);
      if (!params) continue;
      const m = method.toUpperCase();
      if (r.methods.includes('*') || r.methods.includes(m) || (m === 'HEAD' && r.methods.includes('GET'))) {
        return { kind: 'found', route: r, params };
      }
      for (const x of r.methods) allow.add(x);
    }
    if (allow.size === 0) return { kind: 'not-found' };
    if (allow.has('GET')) allow.add('HEAD');
    allow.add('OPTIONS');
    return { kind: 'method-not-allowed', allow: [...allow] };
  }

  /** The methods a path supports (for OPTIONS), or [] when no route matches it. */
  allowed(path: string): string[] {
    const parts = path.split('/').filter(Boolean);
    const allow = new Set<string>();
    for (const r of this.routes) {
      if (!matchSegments(r, parts)) continue;
      for (const x of r.methods) {
        if (x === '*') ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'].forEach((y) => allow.add(y));
        else allow.add(x);
      }
    }
    if (allow.size === 0) return [];
    if (allow.has('GET')) allow.add('HEAD');
    allow.add('OPTIONS');
    return [...allow];
  }
}

function matchSegments(r: Compiled, parts: string[]): Record<string, string> | null {
  if (r.rest ? parts.length < r.segments.length : parts.length !== r.segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < r.segments.length; i++) {
    const s = r.segments[i];
    let p: string;
    try { p = decodeURIComponent(parts[i]); } catch { return null; }
    if (s.startsWith(':')) params[s.slice(1)] = p;
    else if (s !== p) return null;
  }
  if (r.rest) params['*'] = parts.slice(r.segments.length).join('/');
  return params;
}

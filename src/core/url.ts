import { JiraError } from './errors';
import { Message, msg } from './messages';
import { formDecode, Param, PercentDecodeError, percentEncode } from './oauth1/signature';

/**
 * Normalize a Jira base URL as entered by a user: trims, requires http:// or https://, lower-cases
 * scheme and host, drops a default port (80/443), strips trailing slashes, keeps a context path
 * (`https://host/jira`), and refuses credentials, a query or a fragment.
 * Throws a JiraError with code 'invalid_base_url'.
 */
export function normalizeBaseUrl(input: string): string {
  const raw = String(input ?? '').trim();
  const bad = (why: Message) => new JiraError('invalid_base_url', msg('Invalid Jira base URL "{0}": {1}', raw, why));
  if (!raw) throw bad(msg('enter the address of your Jira server, e.g. https://jira.example.com'));
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw);
  if (!scheme) throw bad(msg('it must start with https:// or http://, e.g. https://{0}', raw.replace(/^\/+/, '')));
  if (!/^https?$/i.test(scheme[1])) throw bad(msg('only http:// and https:// URLs are supported.'));
  if (!/^https?:\/\/[^/?#\s]/i.test(raw)) throw bad(msg('it needs a host name after the scheme, e.g. https://jira.example.com'));
  if (/\s/.test(raw)) throw bad(msg('it must not contain spaces.'));
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw bad(msg('it is not a valid URL.'));
  }
  if (u.username || u.password) throw bad(msg('remove the user name and password from the URL; credentials are entered separately.'));
  if (raw.includes('?')) throw bad(msg('remove the query string (the part from "?"); use the address of Jira itself.'));
  if (raw.includes('#')) throw bad(msg('remove the fragment (the part from "#"); use the address of Jira itself.'));
  // URL lower-cases scheme and host and drops default ports already.
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.protocol}//${u.host}${path}`;
}

/** Characters sent as-is in a path or query (RFC 3986 pchar + "/" + "?" + "%"); anything else is percent-encoded. */
const SAFE_IN_TARGET = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/g;

/**
 * Make a path/query that a user wrote safe to put on the wire, without changing its meaning:
 * characters that may not appear raw in a request target (space, quotes, `[]{}|^`, `#`, non-ASCII)
 * are UTF-8 percent-encoded; existing escapes, `+` and the delimiters are left alone.
 */
export function encodeLooseTarget(s: string): string {
  return s.replace(SAFE_IN_TARGET, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      throw new JiraError('invalid_request', msg('The request path contains an invalid (lone surrogate) character.'));
    }
  }).replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}

export type QueryValue = string | number | boolean;
export type QueryOption = Record<string, QueryValue | ReadonlyArray<QueryValue> | undefined | null>;

export interface RequestTarget {
  /** Absolute URL as sent. */
  url: string;
  /** Decoded query parameters (path's query then the query option). */
  query: Param[];
}

/**
 * Build the absolute URL for `path` (relative to the base URL; it may carry a query string,
 * which is sent as given) plus the `query` option (each value §3.6-encoded, so a literal `+` is
 * sent as `%2B` and a space as `%20`; arrays repeat the name).
 */
export function buildRequestTarget(baseUrl: string, path: string, query?: QueryOption): RequestTarget {
  let p = String(path ?? '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) {
    // An absolute URL (e.g. a "self" link from a response) must point into the same Jira.
    const hashless = p.replace(/#.*$/, '');
    const prefix = hashless.slice(0, baseUrl.length);
    const next = hashless.charAt(baseUrl.length);
    if (prefix.toLowerCase() !== baseUrl.toLowerCase() || (next !== '' && next !== '/' && next !== '?')) {
      throw new JiraError('invalid_request', msg('The URL {0} is not under the base URL {1}.', p.replace(/[?#].*$/, ''), baseUrl));
    }
    p = hashless.slice(baseUrl.length);
  }
  if (p && !p.startsWith('/') && !p.startsWith('?')) p = '/' + p;
  let target = encodeLooseTarget(p);
  const q = target.indexOf('?');
  let pathPart = q === -1 ? target : target.slice(0, q);
  let queryPart = q === -1 ? '' : target.slice(q + 1);
  if (!pathPart) pathPart = baseUrl.match(/^https?:\/\/[^/]+$/i) ? '/' : '';
  let decoded: Param[];
  try {
    decoded = formDecode(queryPart);
  } catch (e) {
    if (e instanceof PercentDecodeError) {
      throw new JiraError(
        'invalid_request',
        msg('The query string of "{0}" has an invalid percent-escape in "{1}": write a literal % as %25, or pass values in the query option.', p, e.input),
      );
    }
    throw e;
  }
  if (query) {
    const extra: string[] = [];
    for (const name of Object.keys(query)) {
      const v = query[name];
      if (v === undefined || v === null) continue;
      const values = Array.isArray(v) ? (v as ReadonlyArray<QueryValue>) : [v as QueryValue];
      for (const item of values) {
        const value = String(item);
        let enc: string;
        try {
          enc = percentEncode(name) + '=' + percentEncode(value);
        } catch {
          throw new JiraError('invalid_request', msg('The query parameter "{0}" contains an invalid (lone surrogate) character.', name));
        }
        extra.push(enc);
        decoded.push([name, value]);
      }
    }
    if (extra.length) queryPart = queryPart ? `${queryPart}&${extra.join('&')}` : extra.join('&');
  }
  target = pathPart + (queryPart || q !== -1 ? '?' + queryPart : '');
  return { url: baseUrl + target, query: decoded };
}

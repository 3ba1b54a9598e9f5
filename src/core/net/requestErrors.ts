import { JiraError, stripQuery } from '../errors';
import { msg } from '../messages';

/** The errors of a request's life cycle, the same from either transport (../http.ts, ./host.ts). */

export function abortedError(method: string, url: string): JiraError {
  return new JiraError('aborted', msg('{0} {1} was cancelled.', method, stripQuery(url)), { method, url });
}

export function timeoutError(method: string, url: string, timeoutMs: number): JiraError {
  return new JiraError(
    'timeout',
    msg('{0} {1} got no response within {2} s. The server may be overloaded, or a firewall/proxy/VPN is silently dropping the connection. Check the base URL and try again.', method, stripQuery(url), Math.round(timeoutMs / 1000)),
    { method, url },
  );
}

export function tooLargeError(method: string, url: string, limit: number, status: number | undefined): JiraError {
  return new JiraError(
    'response_too_large',
    msg('The response to {0} {1} is larger than {2} bytes, so it was not read. If this is a search, ask for fewer results (a smaller page size or a narrower JQL); otherwise check that the base URL points at Jira and not at a file download.', method, stripQuery(url), limit),
    { method, url, status },
  );
}

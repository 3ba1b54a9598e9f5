// How a Jira page (application links, authorize and consent pages, an issue) reaches the user's
// browser. The browser runs on the user's machine; the extension host may not.
//
// | Jira's host                              | local window | remote window (SSH, WSL, containers, code-server, Codespaces) | browser-only window |
// |------------------------------------------|--------------|----------------------------------------------------------------|---------------------|
// | an ordinary host name (jira.example.com) | as is        | as is: the user's browser resolves it like the remote does     | as is               |
// | loopback (localhost, 127.x, [::1])       | as is        | forward: it is the REMOTE machine's loopback, reached only     | as is               |
// |                                          |              | through VS Code's port forwarding (asExternalUri)              |                     |
import type { ExtensionHostKind } from '../signin/deps';

export type PageRoute = 'as-is' | 'forward';

/** localhost, *.localhost (RFC 6761), 127.0.0.0/8, [::1]: names that mean "this machine". */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** Whether a page of the site at `url` opens as is or through port forwarding, for an extension host of this kind. */
export function pageRoute(url: string, extensionHost: ExtensionHostKind): PageRoute {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return 'as-is';
  }
  return extensionHost === 'remote' && isLoopbackHost(host) ? 'forward' : 'as-is';
}

/**
 * The page's address under the forwarded origin: `forwardedRoot` is what port forwarding made of
 * the page's origin (`http://127.0.0.1:8080/` became `https://vscode.example/proxy/8080/`). The
 * path and query are kept byte for byte (a redirect_uri inside the query stays encoded).
 */
export function atForwardedRoot(url: string, forwardedRoot: string): string {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\/?/i, '');
  return `${forwardedRoot.replace(/\/?$/, '/')}${rest}`;
}

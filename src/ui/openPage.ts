import vscode = require('vscode');
import { extensionHostKind } from '../settings';
import { atForwardedRoot, pageRoute } from './pageRoute';

/**
 * The address openJiraPage(url) opens (see below), also to show it before the user opens the page.
 * In a desktop remote window it is `url`: VS Code forwards the port when it opens it.
 */
export async function jiraPageAddress(url: string): Promise<string> {
  if (pageRoute(url, extensionHostKind()) !== 'forward' || vscode.env.uiKind !== vscode.UIKind.Web) return url;
  const root = await vscode.env.asExternalUri(vscode.Uri.parse(`${new URL(url).origin}/`));
  return atForwardedRoot(url, root.toString(true));
}

/**
 * Opens a Jira page in the user's browser (see pageRoute.ts): as is, or, for a Jira on the remote
 * machine's loopback, at the address VS Code's port forwarding gives its origin. Resolves to the
 * address opened, or undefined when the browser did not open it.
 *
 * Forwarding: in a browser-based window (code-server, Codespaces) the page opens at the forwarded
 * origin that asExternalUri gives (`http://<code-server>/proxy/<port>/`), with the path and query
 * appended byte for byte; that address is the window's own origin, which VS Code does not forward
 * again. In desktop VS Code's remote windows, openExternal forwards a loopback address itself (a
 * tunnel to a local port), and VS Code asks extensions not to resolve such an address first.
 */
export async function openJiraPage(url: string): Promise<string | undefined> {
  const target = await jiraPageAddress(url);
  // Passed as the string: Uri.parse + toString would decode %26/%3D inside query values (an
  // OAuth 2.0 redirect_uri with its own query) and re-join them as separators. VS Code's
  // openExternal accepts a string at run time and opens it unchanged.
  return (await vscode.env.openExternal(target as unknown as vscode.Uri)) ? target : undefined;
}

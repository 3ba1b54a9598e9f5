// The emulator's HTML pages, shaped like Jira's: a header with "Jira" and the logged-in user,
// and stable ids/classes for browser tests (#approve, #deny, #verification-code, #consumer-key,
// #consumer-name, #public-key, #create-link, .applink-row, .error, ...).
// Links and form actions are relative to the site's root (sendHtml adds the <base href> that anchors
// them), so the browser stays on the address it used: the configured baseUrl may differ, and a
// forwarding proxy may put the site under a path prefix (code-server's /proxy/<port>/).
import type { EmulatorState, Link, User } from './state';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

const STYLE = `
  body { margin: 0; font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 14px; color: #172b4d; background: #f4f5f7; }
  #header { background: #0747a6; color: #fff; display: flex; align-items: center; justify-content: space-between; padding: 0 20px; height: 48px; }
  #logo { font-weight: 700; font-size: 20px; letter-spacing: .5px; color: #fff; text-decoration: none; }
  #header .user { font-size: 13px; }
  #header a { color: #deebff; }
  main { max-width: 760px; margin: 32px auto; background: #fff; border-radius: 3px; padding: 24px 32px; box-shadow: 0 1px 2px rgba(9,30,66,.25); }
  h1 { font-size: 24px; font-weight: 500; margin-top: 0; }
  h2 { font-size: 18px; font-weight: 500; }
  .aui-button { border: 0; border-radius: 3px; padding: 6px 14px; font-size: 14px; cursor: pointer; background: #f4f5f7; color: #42526e; margin-right: 8px; }
  .aui-button-primary { background: #0052cc; color: #fff; }
  .aui-button-danger { background: #de350b; color: #fff; }
  .error { background: #ffebe6; border-left: 4px solid #de350b; padding: 10px 14px; margin: 12px 0; }
  .warning { background: #fffae6; border-left: 4px solid #ff991f; padding: 10px 14px; margin: 12px 0; }
  .success { background: #e3fcef; border-left: 4px solid #00875a; padding: 10px 14px; margin: 12px 0; }
  .token-box { font-family: monospace; font-size: 15px; background: #f4f5f7; padding: 10px 14px; margin: 8px 0 4px; word-break: break-all; }
  .verification-code-box { font-size: 28px; font-family: monospace; background: #f4f5f7; padding: 12px 18px; display: inline-block; letter-spacing: 2px; margin: 8px 0 16px; }
  table { border-collapse: collapse; width: 100%; margin: 12px 0 24px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #dfe1e6; vertical-align: top; }
  label { display: block; font-weight: 600; margin: 12px 0 4px; }
  input[type=text], textarea { width: 100%; box-sizing: border-box; padding: 6px 8px; border: 2px solid #dfe1e6; border-radius: 3px; font-size: 14px; }
  textarea { font-family: monospace; font-size: 12px; height: 180px; }
  .description { color: #6b778c; font-size: 12px; }
  code { background: #f4f5f7; padding: 1px 4px; }
`;

export function layout(state: EmulatorState, user: User | undefined, title: string, body: string): string {
  const ctx = state.contextPath;
  const who = user
    ? `<span class="user">logged in as <a id="header-details-user-fullname" data-username="${esc(user.name)}" data-displayname="${esc(user.displayName)}">${esc(user.displayName)}</a></span>`
    : '<span class="user">not logged in</span>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="application-name" content="JIRA" data-name="jira" data-version="${esc(state.version)}">
<meta name="ajs-base-url" content="${esc(state.baseUrl)}">
<meta name="ajs-context-path" content="${esc(ctx)}">
<meta name="ajs-remote-user" content="${esc(user?.name ?? '')}">
<meta name="ajs-atl-token" content="${esc(state.xsrfToken)}">
<title>${esc(title)} - ${esc(state.serverTitle)}</title>
<style>${STYLE}</style>
</head>
<body id="jira" class="aui-layout aui-theme-default">
<header id="header" class="aui-header" role="banner">
<a id="logo" class="aui-header-logo" href="./">Jira</a>
${who}
</header>
<main id="content" role="main">
${body}
</main>
</body>
</html>
`;
}

export function authorizePage(state: EmulatorState, user: User, link: Link, token: string): string {
  const app = esc(link.name);
  return layout(state, user, 'OAuth Access Request', `
<h1 id="welcome">Welcome to Jira, ${esc(user.displayName)}</h1>
<section id="oauth-authorize" class="oauth-authorize" data-consumer-key="${esc(link.consumerKey)}">
<h2 id="oauth-title">Allow <span class="consumer-name">${app}</span> to access your data?</h2>
<p id="oauth-description"><strong class="consumer-name">${app}</strong> would like to access your Jira account, so that it can read and change Jira data on your behalf.
You are logged in as <strong id="oauth-user">${esc(user.displayName)}</strong> (${esc(user.name)}).</p>
<p class="description">If you allow access, ${app} can do anything in Jira that you can do, until you revoke the access. Only allow applications you trust.</p>
<form id="oauth-authorize-form" method="post" action="plugins/servlet/oauth/authorize">
<input type="hidden" name="oauth_token" value="${esc(token)}">
<input type="hidden" name="atl_token" value="${esc(state.xsrfToken)}">
<button type="submit" id="approve" name="approve" value="Allow" class="aui-button aui-button-primary">Allow</button>
<button type="submit" id="deny" name="deny" value="Deny" class="aui-button">Deny</button>
</form>
</section>`);
}

export function verificationPage(state: EmulatorState, user: User, link: Link, verifier: string): string {
  const app = esc(link.name);
  return layout(state, user, 'Access Approved', `
<h1 id="access-approved">Access Approved</h1>
<p id="verification-message">You have successfully authorized '${app}'. Your verification code is '${esc(verifier)}'. You will need to enter this exact text when prompted. You should write this value down before closing the browser window.</p>
<div class="verification-code-box">Verification code: <code id="verification-code">${esc(verifier)}</code></div>
<p id="return-message">Go back to ${app} and enter the verification code to finish signing in. You can close this window afterwards.</p>`);
}

export function deniedPage(state: EmulatorState, user: User, link: Link): string {
  const app = esc(link.name);
  return layout(state, user, 'Access Denied', `
<h1 id="access-denied">Access Denied</h1>
<p id="denied-message">You have denied ${app} access to your Jira account. ${app} cannot read or change your Jira data.</p>
<p>Go back to ${app}; you can close this window.</p>`);
}

export function oauthErrorPage(state: EmulatorState, user: User, message: string): string {
  return layout(state, user, 'OAuth Error', `
<h1>OAuth Error</h1>
<div class="error" id="oauth-error">${esc(message)}</div>`);
}

export function xsrfPage(state: EmulatorState, user: User): string {
  return layout(state, user, 'XSRF Security Token Missing', `
<h1>XSRF Security Token Missing</h1>
<div class="error" id="xsrf-error">Jira could not complete this action due to a missing form token. You may have cleared your browser cookies, which could have resulted in the expiry of your current form token. A new form token has been reissued. Reload the page and try again.</div>`);
}

export function notFoundPage(state: EmulatorState, path: string): string {
  return layout(state, undefined, 'Page Not Found', `
<h1>Oops, you've found a dead link.</h1>
<div class="error" id="not-found">Nothing is served at <code>${esc(path)}</code>.</div>`);
}

export interface ApplinksView {
  errors?: string[];
  warnings?: string[];
  success?: string;
  values?: { consumerKey?: string; consumerName?: string; publicKey?: string };
}

export function applinksPage(state: EmulatorState, user: User, view: ApplinksView = {}): string {
  const action = 'plugins/servlet/applinks/listApplicationLinks';
  const rows = [...state.links.values()].map((l) => `
<tr class="applink-row" data-consumer-key="${esc(l.consumerKey)}">
<td class="applink-name">${esc(l.name)}</td>
<td class="applink-consumer-key"><code>${esc(l.consumerKey)}</code></td>
<td class="applink-key-size">RSA ${l.keyBits}-bit</td>
<td><form method="post" action="${action}" class="delete-link-form">
<input type="hidden" name="atl_token" value="${esc(state.xsrfToken)}">
<input type="hidden" name="action" value="delete">
<input type="hidden" name="consumerKey" value="${esc(l.consumerKey)}">
<button type="submit" class="aui-button aui-button-danger delete-link">Delete</button>
</form></td>
</tr>`).join('');
  const v = view.values ?? {};
  const messages = [
    ...(view.errors ?? []).map((e) => `<div class="error">${esc(e)}</div>`),
    ...(view.warnings ?? []).map((w) => `<div class="warning">${esc(w)}</div>`),
    view.success ? `<div class="success" id="applink-success">${esc(view.success)}</div>` : '',
  ].join('\n');
  return layout(state, user, 'Application Links', `
<h1>Application Links</h1>
<p class="description">Incoming links let an application sign in to Jira with OAuth 1.0a (RSA-SHA1).</p>
${messages}
<table id="applinks-table">
<thead><tr><th>Application</th><th>Consumer key</th><th>Public key</th><th></th></tr></thead>
<tbody>${rows || '<tr id="no-applinks"><td colspan="4">No application links yet.</td></tr>'}</tbody>
</table>
<h2>Create an incoming link</h2>
<form id="create-link-form" method="post" action="${action}">
<input type="hidden" name="atl_token" value="${esc(state.xsrfToken)}">
<input type="hidden" name="action" value="create">
<label for="consumer-key">Consumer Key</label>
<input type="text" id="consumer-key" name="consumerKey" value="${esc(v.consumerKey ?? '')}" autocomplete="off">
<label for="consumer-name">Consumer Name</label>
<input type="text" id="consumer-name" name="consumerName" value="${esc(v.consumerName ?? '')}" autocomplete="off">
<label for="public-key">Public Key</label>
<textarea id="public-key" name="publicKey" placeholder="-----BEGIN PUBLIC KEY-----">${esc(v.publicKey ?? '')}</textarea>
<p><button type="submit" id="create-link" class="aui-button aui-button-primary">Create</button></p>
</form>`);
}

export function homePage(state: EmulatorState, user: User): string {
  return layout(state, user, 'System Dashboard', `
<h1>${esc(state.serverTitle)}</h1>
<p>Jira ${esc(state.version)} (${esc(state.deploymentType)}) emulator. Base URL: <code>${esc(state.baseUrl)}</code></p>
<ul>
<li><a id="applinks-link" href="plugins/servlet/applinks/listApplicationLinks">Application links (administration)</a></li>
<li><a href="rest/api/2/serverInfo">REST: serverInfo</a></li>
</ul>`);
}

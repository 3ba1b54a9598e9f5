// The profile's Personal Access Tokens tab: {ctx}/secure/ViewProfile.jspa?selectedTab=...pats...,
// the page the extension's PAT box opens. GET lists the browser user's tokens by name with a
// "Create token" form; POST (XSRF-checked) creates one and shows it once, as Jira does. Data
// Center only (Jira Cloud has API tokens at id.atlassian.com instead).
import { randomBytes } from 'node:crypto';
import { Ctx, formField, sendHtml } from './http';
import { esc, layout, xsrfPage } from './pages';
import type { Router } from './router';
import type { EmulatorState, User } from './state';

const TAB = 'com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens';

function page(state: EmulatorState, user: User, view: { created?: { name: string; token: string }; error?: string } = {}): string {
  const names = state.patNames.filter((p) => p.user === user.name).map((p) => `<li class="pat-name">${esc(p.name)}</li>`).join('');
  return layout(state, user, 'Personal Access Tokens', `
<h1>Personal Access Tokens</h1>
<p class="description">Personal access tokens are a secure way to use scripts and integrate external applications with Jira.</p>
${view.error ? `<div class="error">${esc(view.error)}</div>` : ''}
${view.created ? `<div class="success" id="pat-created">Your new token <strong>${esc(view.created.name)}</strong>. Copy it now: you won't be able to see it again.
<div class="token-box"><code id="pat-token">${esc(view.created.token)}</code></div></div>` : ''}
<ul id="pat-list">${names || '<li id="no-pats">You have no tokens yet.</li>'}</ul>
<h2>Create token</h2>
<form id="create-pat-form" method="post" action="secure/ViewProfile.jspa?selectedTab=${esc(encodeURIComponent(TAB))}">
<input type="hidden" name="atl_token" value="${esc(state.xsrfToken)}">
<label for="pat-name">Token name</label>
<input type="text" id="pat-name" name="name" autocomplete="off">
<p><button type="submit" id="create-pat" class="aui-button aui-button-primary">Create</button></p>
</form>`);
}

export function registerProfile(router: Router): void {
  const dc = (h: (ctx: Ctx, user: User) => void) => (ctx: Ctx): void => {
    const user = ctx.state.user(ctx.state.browserUser) as User;
    if (ctx.state.deploymentType === 'Cloud') return sendHtml(ctx, 404, layout(ctx.state, user, 'Page Not Found', '<h1>Oops, you\'ve found a dead link.</h1>'));
    h(ctx, user);
  };
  router.add('GET', '/secure/ViewProfile.jspa', 'none', dc((ctx, user) => sendHtml(ctx, 200, page(ctx.state, user))));
  router.add('POST', '/secure/ViewProfile.jspa', 'none', dc((ctx, user) => {
    const state = ctx.state;
    if (formField(ctx, 'atl_token') !== state.xsrfToken) return sendHtml(ctx, 403, xsrfPage(state, user));
    const name = (formField(ctx, 'name') ?? '').trim();
    if (!name) return sendHtml(ctx, 400, page(state, user, { error: 'Enter a name for the token.' }));
    // Jira's tokens: 44 characters, base64 of random bytes.
    const token = randomBytes(33).toString('base64');
    state.pats.set(token, user.name);
    state.patNames.push({ user: user.name, name });
    state.noteIssued(token);
    sendHtml(ctx, 200, page(state, user, { created: { name, token } }));
  }));
}

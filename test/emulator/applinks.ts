// The Application Links admin page: {ctx}/plugins/servlet/applinks/listApplicationLinks.
// GET lists the incoming links and shows the create form; POST action=create adds a link from a
// consumer key, consumer name and public key PEM; POST action=delete removes one (and, as in
// Jira, every token issued to it).
import { Ctx, formField, sendHtml } from './http';
import { parsePublicKeyPem } from './keys';
import * as pages from './pages';
import type { User } from './state';

function adminUser(ctx: Ctx): User {
  return ctx.state.user(ctx.state.browserUser) as User;
}

export function applinksGet(ctx: Ctx): void {
  sendHtml(ctx, 200, pages.applinksPage(ctx.state, adminUser(ctx)));
}

export function applinksPost(ctx: Ctx): void {
  const state = ctx.state;
  const user = adminUser(ctx);
  if (formField(ctx, 'atl_token') !== state.xsrfToken) return sendHtml(ctx, 403, pages.xsrfPage(state, user));
  const action = formField(ctx, 'action') ?? 'create';
  if (action === 'delete') {
    const key = formField(ctx, 'consumerKey') ?? '';
    if (!state.removeLink(key)) {
      return sendHtml(ctx, 404, pages.applinksPage(state, user, { errors: [`There is no application link with the consumer key '${key}'.`] }));
    }
    return sendHtml(ctx, 200, pages.applinksPage(state, user, { success: `The application link '${key}' was deleted.` }));
  }
  if (action !== 'create') return sendHtml(ctx, 400, pages.applinksPage(state, user, { errors: [`Unknown action '${action}'.`] }));
  const values = {
    consumerKey: formField(ctx, 'consumerKey') ?? '',
    consumerName: formField(ctx, 'consumerName') ?? '',
    publicKey: formField(ctx, 'publicKey') ?? '',
  };
  const errors: string[] = [];
  const key = values.consumerKey.trim();
  if (!key) errors.push('The consumer key is required.');
  else if (state.links.has(key)) errors.push(`An application link with the consumer key '${key}' already exists.`);
  if (!values.consumerName.trim()) errors.push('The consumer name is required.');
  let warning: string | undefined;
  try {
    warning = parsePublicKeyPem(values.publicKey).warning;
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (errors.length) return sendHtml(ctx, 400, pages.applinksPage(state, user, { errors, values }));
  const link = state.addLink({ consumerKey: key, name: values.consumerName, publicKeyPem: values.publicKey });
  sendHtml(ctx, 200, pages.applinksPage(state, user, {
    success: `The incoming application link '${link.name}' (consumer key '${link.consumerKey}') was created.`,
    warnings: warning ? [warning] : [],
  }));
}

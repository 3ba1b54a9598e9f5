// Routes for the Jira views (issue 6): favourite filters, Cloud mode's enhanced search, and the
// issue page a browser opens at /browse/{key}. server.ts registers them before the REST routes
// (so that Cloud mode can answer 410 on /rest/api/3/search).
import { registerCloud } from './cloud';
import { registerFilters } from './filters';
import { Ctx, sendHtml } from './http';
import type { Router } from './router';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

/** A minimal issue page, so that "Open in Browser" lands somewhere real. */
function browsePage(ctx: Ctx): void {
  const rec = ctx.state.data.find(ctx.params.key);
  const title = ctx.state.serverTitle;
  if (!rec) {
    return sendHtml(ctx, 404, `<!DOCTYPE html><html><head><title>Issue does not exist - ${esc(title)}</title></head><body><h1 id="issue-not-found">Issue does not exist</h1><p>${esc(ctx.params.key)}</p></body></html>`);
  }
  sendHtml(ctx, 200, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>[${esc(rec.key)}] ${esc(rec.summary)} - ${esc(title)}</title>
<style>body{font-family:sans-serif;margin:2em}#key{color:#0052cc}dt{font-weight:bold}</style></head>
<body><a id="key" href="browse/${esc(rec.key)}">${esc(rec.key)}</a><h1 id="summary">${esc(rec.summary)}</h1>
<dl><dt>Status</dt><dd id="status">${esc(rec.status.name)}</dd><dt>Type</dt><dd>${esc(rec.type.name)}</dd><dt>Priority</dt><dd>${esc(rec.priority.name)}</dd></dl></body></html>`);
}

export function registerViewsRoutes(router: Router): void {
  registerFilters(router);
  registerCloud(router);
  router.add('GET', '/browse/:key', 'none', browsePage);
}

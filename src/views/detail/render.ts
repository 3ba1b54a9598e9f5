/**
 * The issue detail page: HTML built in the extension host from
 * `/rest/api/2/issue/{key}?expand=names,renderedFields`. Plain TypeScript (no 'vscode').
 *
 * The page has a strict Content-Security-Policy: no network access at all (`default-src 'none'`),
 * images only from the webview's own resources or data: URIs, styles and the one small script
 * only with the page's nonce. Jira's rendered HTML is sanitised (sanitize.ts) before it goes in.
 * Its words are localised here, in the extension host (t); the page's script has none of its own.
 */
import { t } from '../../l10n';
import { escapeHtml, isCut, sanitizeHtml, safeLink } from './sanitize';

/** Jira's rendered HTML, sanitised; a field beyond the sanitiser's cap shows its start and says so. */
function renderedHtml(html: string, baseUrl: string): string {
  const safe = sanitizeHtml(html, { baseUrl });
  return isCut(html) ? `${safe}<p class="empty">${escapeHtml(t('The rest is too long to show here: open the issue in the browser.'))}</p>` : safe;
}

export interface RenderOptions {
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  baseUrl: string;
  locale?: string;
  /** What the webview keeps (vscode.setState) so that VS Code can restore the tab after a reload. */
  state?: unknown;
  /** The comment box's text (kept across reloads until Jira took it). */
  draft?: string;
}

export interface IssueJson {
  key: string;
  fields: Record<string, unknown>;
  renderedFields?: Record<string, unknown>;
  names?: Record<string, string>;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A person's display name. */
function person(v: unknown): string | undefined {
  return isObj(v) ? str(v.displayName) ?? str(v.name) ?? str(v.emailAddress) : undefined;
}

/** The display text of any Jira field value (options, users, versions, arrays...). */
export function formatValue(v: unknown, locale?: string, depth = 0): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return looksLikeDateTime(v) ? formatDateTime(v, locale) : sprintName(v) ?? v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => formatValue(x, locale, depth + 1)).filter(Boolean).join(', ');
  if (isObj(v)) {
    const own = str(v.displayName) ?? str(v.name) ?? str(v.value) ?? str(v.key) ?? str(v.title);
    if (own !== undefined) {
      const child = isObj(v.child) ? formatValue(v.child, locale, depth + 1) : '';
      return child ? `${own} › ${child}` : own;
    }
    if (depth < 2) {
      try {
        const json = JSON.stringify(v);
        return json.length > 200 ? `${json.slice(0, 197)}...` : json;
      } catch {
        return '';
      }
    }
  }
  return '';
}

/** Jira Software (Data Center) sends sprints as `com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=4,...,state=ACTIVE,name=Sprint 4,...]`. */
export function sprintName(s: string): string | undefined {
  const m = /^com\.atlassian\.greenhopper\.service\.sprint\.Sprint@[0-9a-f]*\[(.*)\]$/s.exec(s);
  if (!m) return undefined;
  const name = /(?:^|,)name=(.*?)(?:,[a-zA-Z]+=|$)/.exec(m[1])?.[1];
  const state = /(?:^|,)state=([A-Z]+)/.exec(m[1])?.[1];
  if (!name) return undefined;
  return state ? `${name} (${state.toLowerCase()})` : name;
}

function looksLikeDateTime(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s);
}

export function formatDateTime(iso: string | undefined, locale?: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  try {
    return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return new Date(ms).toISOString();
  }
}

export function formatDate(day: string | undefined, locale?: string): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return formatDateTime(day, locale);
  try {
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toLocaleDateString(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  } catch {
    return day;
  }
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function statusCategory(fields: Obj): string {
  const s = fields.status;
  const key = isObj(s) && isObj(s.statusCategory) ? str(s.statusCategory.key) : undefined;
  return key === 'done' || key === 'indeterminate' || key === 'new' ? key : 'unknown';
}

export interface CustomFieldView {
  id: string;
  name: string;
  /** Safe HTML. */
  html: string;
}

/** Custom fields with a value, by display name (from `expand=names`). */
export function customFields(issue: IssueJson, opts: { baseUrl: string; locale?: string }): CustomFieldView[] {
  const out: CustomFieldView[] = [];
  for (const [id, value] of Object.entries(issue.fields ?? {})) {
    if (!id.startsWith('customfield_') || isEmpty(value)) continue;
    const rendered = issue.renderedFields?.[id];
    let html: string;
    if (typeof rendered === 'string' && rendered.trim()) html = renderedHtml(rendered, opts.baseUrl);
    else {
      const text = formatValue(value, opts.locale);
      if (!text) continue;
      html = escapeHtml(text);
    }
    out.push({ id, name: issue.names?.[id] || id, html });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface CommentView {
  id: string;
  author: string;
  created: string;
  updated: string;
  /** Safe HTML. */
  html: string;
}

export function comments(issue: IssueJson, opts: { baseUrl: string; locale?: string }): CommentView[] {
  const raw = isObj(issue.fields?.comment) && Array.isArray(issue.fields.comment.comments) ? (issue.fields.comment.comments as unknown[]) : [];
  const renderedList = isObj(issue.renderedFields?.comment) && Array.isArray(issue.renderedFields!.comment.comments)
    ? (issue.renderedFields!.comment.comments as unknown[]) : [];
  const renderedById = new Map<string, Obj>();
  for (const r of renderedList) if (isObj(r) && r.id !== undefined) renderedById.set(String(r.id), r);
  return raw.filter(isObj).map((c, i) => {
    const id = String(c.id ?? i);
    const r = renderedById.get(id) ?? (isObj(renderedList[i]) ? (renderedList[i] as Obj) : undefined);
    const renderedBody = str(r?.body);
    const html = renderedBody !== undefined ? renderedHtml(renderedBody, opts.baseUrl) : `<p class="plain">${escapeHtml(str(c.body) ?? '')}</p>`;
    const updated = str(c.updated) && str(c.updated) !== str(c.created) ? formatDateTime(str(c.updated), opts.locale) : '';
    return { id, author: person(c.author) ?? person(c.updateAuthor) ?? t('Unknown'), created: formatDateTime(str(c.created), opts.locale), updated, html };
  });
}

function csp(opts: RenderOptions): string {
  return [
    "default-src 'none'",
    `img-src ${opts.cspSource} data:`,
    `style-src 'nonce-${opts.nonce}'`,
    `font-src ${opts.cspSource}`,
    `script-src 'nonce-${opts.nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const STYLE = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
  background: var(--vscode-editor-background); padding: 0 24px 32px; line-height: 1.5; max-width: 1100px; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
header { position: sticky; top: 0; background: var(--vscode-editor-background); padding: 12px 0 8px;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); z-index: 1; }
.crumbs { color: var(--vscode-descriptionForeground); display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
h1 { font-size: 1.5em; font-weight: 600; margin: 4px 0 8px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 24px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); }
.badges { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 8px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.85em;
  background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.status-new { background: var(--vscode-editorInfo-foreground, #3794ff); color: var(--vscode-editor-background); }
.status-indeterminate { background: var(--vscode-charts-yellow, #cca700); color: var(--vscode-editor-background); }
.status-done { background: var(--vscode-charts-green, #388a34); color: var(--vscode-editor-background); }
.toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.toolbar .sep { width: 1px; align-self: stretch; background: var(--vscode-panel-border, #8884); }
button:disabled { opacity: 0.5; cursor: default; }
.comment-form { margin-top: 12px; display: flex; flex-direction: column; gap: 8px; }
.comment-form textarea { font-family: inherit; font-size: inherit; resize: vertical; padding: 4px 6px; color: var(--vscode-input-foreground);
  background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); }
.comment-form textarea:focus { outline: 1px solid var(--vscode-focusBorder); }
button { font-family: inherit; font-size: inherit; border: none; padding: 4px 12px; cursor: pointer; border-radius: 2px;
  background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
button.primary { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
button.primary:hover { background: var(--vscode-button-hoverBackground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
dl.fields { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 4px 16px; margin: 0; }
dl.fields dt { color: var(--vscode-descriptionForeground); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
.rendered { overflow-wrap: anywhere; }
.rendered table { border-collapse: collapse; }
.rendered td, .rendered th { border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, #8884)); padding: 2px 6px; }
.rendered pre, .rendered code, .rendered tt { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
.rendered pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow: auto; }
.rendered blockquote { margin: 0; padding-left: 12px; border-left: 3px solid var(--vscode-textBlockQuote-border); background: var(--vscode-textBlockQuote-background); }
.img-alt { color: var(--vscode-descriptionForeground); font-style: italic; }
.empty { color: var(--vscode-descriptionForeground); font-style: italic; }
.comment { border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, #8884)); border-radius: 4px; padding: 8px 12px; margin: 8px 0; }
.comment .meta { color: var(--vscode-descriptionForeground); font-size: 0.9em; margin-bottom: 4px; }
.comment .meta strong { color: var(--vscode-foreground); }
.labels .label { display: inline-block; margin: 0 4px 2px 0; padding: 0 6px; border-radius: 3px; border: 1px solid var(--vscode-badge-background); }
.error { color: var(--vscode-errorForeground); border-left: 3px solid var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground)); padding: 8px 12px; margin: 16px 0;
  background: var(--vscode-inputValidation-errorBackground, transparent); }
.progress { position: fixed; top: 0; left: 0; right: 0; height: 2px; overflow: hidden; display: none; z-index: 2; }
body.busy .progress { display: block; }
.progress::before { content: ''; position: absolute; height: 2px; width: 30%; background: var(--vscode-progressBar-background);
  animation: slide 1.2s linear infinite; }
@keyframes slide { from { left: -30%; } to { left: 100%; } }
`;

/** Clicks on links and buttons go to the extension host (which opens links in the browser). */
const SCRIPT = `(function () {
  const vscode = acquireVsCodeApi();
  const state = document.body.getAttribute('data-state');
  if (state) vscode.setState(JSON.parse(state));
  const WORK = ['startWork', 'transition', 'assignToMe', 'assign', 'comment'];
  // One action at a time: the work buttons and the comment box wait for it.
  function working(busy) {
    document.body.classList.toggle('busy', busy);
    for (const b of document.querySelectorAll('button[data-action]')) if (WORK.includes(b.getAttribute('data-action'))) b.disabled = busy;
    const box = document.getElementById('comment-text');
    if (box) box.readOnly = busy;
  }
  document.addEventListener('click', (e) => {
    const t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    const button = t.closest('button[data-action]');
    if (button) {
      e.preventDefault(); e.stopPropagation();
      if (button.disabled) return;
      const type = button.getAttribute('data-action');
      const box = document.getElementById('comment-text');
      vscode.postMessage(type === 'comment' && box ? { type, text: box.value } : { type });
      // At once, not when the extension says so: a double click's second click must find them disabled.
      if (WORK.includes(type)) working(true);
      return;
    }
    const a = t.closest('a[href]');
    if (a) { e.preventDefault(); e.stopPropagation(); vscode.postMessage({ type: 'open', href: a.getAttribute('href') }); }
  });
  document.addEventListener('keydown', (e) => {
    const box = document.getElementById('comment-text');
    if (box && e.target === box && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      const send = document.querySelector('button[data-action="comment"]');
      if (send && !send.disabled) {
        vscode.postMessage({ type: 'comment', text: box.value });
        working(true);
      }
    }
  });
  window.addEventListener('message', (e) => {
    const d = e.data || {};
    if (d.type === 'busy') document.body.classList.toggle('busy', !!d.busy);
    if (d.type === 'working') working(!!d.busy);
    if (d.type === 'focusComment') {
      const box = document.getElementById('comment-text');
      if (box) { box.scrollIntoView({ block: 'center' }); box.focus(); }
    }
  });
}());`;

function page(title: string, body: string, opts: RenderOptions): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(opts.locale || 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp(opts))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${opts.nonce}">${STYLE}</style>
</head>
<body${opts.state === undefined ? '' : ` data-state="${escapeHtml(JSON.stringify(opts.state))}"`}>
<div class="progress" role="progressbar" aria-label="${escapeHtml(t('Loading'))}"></div>
${body}
<script nonce="${opts.nonce}">${SCRIPT}</script>
</body>
</html>`;
}

function button(action: string, label: string, primary = false): string {
  const text = escapeHtml(label);
  return `<button${primary ? ' class="primary"' : ''} data-action="${action}" title="${text}">${text}</button>`;
}

function toolbar(work = false): string {
  return `<div class="toolbar">
${button('refresh', t('Refresh'), true)}
${button('browser', t('Open in Browser'))}
${button('copyKey', t('Copy Key'))}
${work ? `<span class="sep"></span>
${button('startWork', t('Start Work'))}
${button('transition', t('Transition…'))}
${button('assignToMe', t('Assign to Me'))}
${button('assign', t('Assign…'))}` : ''}
</div>`;
}

/** The comment form: a text area (Jira wiki markup) and Add Comment; Ctrl/Cmd+Enter sends too. */
function commentForm(opts: RenderOptions): string {
  const label = escapeHtml(t('Add a comment (Jira wiki markup)'));
  return `<div class="comment-form"><textarea id="comment-text" rows="4" aria-label="${label}" placeholder="${label}">${escapeHtml(opts.draft ?? '')}</textarea>
<div class="toolbar">${button('comment', t('Add Comment'), true)}</div></div>`;
}

export function loadingHtml(key: string, opts: RenderOptions): string {
  return page(key, `<header><div class="crumbs">${escapeHtml(key)}</div><h1 class="empty">${escapeHtml(t('Loading {0}…', key))}</h1></header>`, opts)
    .replace('<body', '<body class="busy"');
}

/** The site an issue tab belongs to, first in its crumbs: the same key can exist on several sites. */
function siteCrumb(baseUrl: string): string {
  const site = baseUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  return site ? `<span class="site" title="${escapeHtml(t('Jira site: {0}', baseUrl))}">${escapeHtml(site)}</span><span>/</span>` : '';
}

export function errorHtml(key: string, message: string, opts: RenderOptions): string {
  return page(key, `<header><div class="crumbs">${siteCrumb(opts.baseUrl)}${escapeHtml(key)}</div><h1>${escapeHtml(key)}</h1>${toolbar()}</header>
<div class="error" role="alert">${escapeHtml(message)}</div>`, opts);
}

function row(name: string, html: string | undefined): string {
  return html ? `<dt>${escapeHtml(name)}</dt><dd>${html}</dd>` : '';
}

function text(v: string | undefined): string | undefined {
  return v ? escapeHtml(v) : undefined;
}

export function issueHtml(issue: IssueJson, opts: RenderOptions): string {
  const f: Obj = issue.fields ?? {};
  const r: Obj = issue.renderedFields ?? {};
  const key = issue.key;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const browse = safeLink(`${base}/browse/${encodeURIComponent(key)}`) ?? '';
  const project = isObj(f.project) ? formatValue(f.project) : '';
  const type = formatValue(f.issuetype);
  const status = formatValue(f.status);
  const priority = formatValue(f.priority);
  const resolution = formatValue(f.resolution);
  const labels = Array.isArray(f.labels) ? f.labels.filter((l): l is string => typeof l === 'string') : [];

  const details = [
    row(t('Type'), text(type)),
    row(t('Status'), text(status)),
    row(t('Priority'), text(priority)),
    row(t('Resolution'), text(resolution) ?? `<span class="empty">${escapeHtml(t('Unresolved'))}</span>`),
    row(t('Assignee'), text(person(f.assignee)) ?? `<span class="empty">${escapeHtml(t('Unassigned'))}</span>`),
    row(t('Reporter'), text(person(f.reporter))),
    row(t('Created'), text(formatDateTime(str(f.created), opts.locale))),
    row(t('Updated'), text(formatDateTime(str(f.updated), opts.locale))),
    row(t('Due'), text(formatDate(str(f.duedate), opts.locale))),
    row(t('Resolved'), text(formatDateTime(str(f.resolutiondate), opts.locale))),
    row(t('Labels'), labels.length ? `<span class="labels">${labels.map((l) => `<span class="label">${escapeHtml(l)}</span>`).join('')}</span>` : undefined),
    row(t('Components'), text(formatValue(f.components))),
    row(t('Affects versions'), text(formatValue(f.versions))),
    row(t('Fix versions'), text(formatValue(f.fixVersions))),
  ].join('');

  const description = typeof r.description === 'string' && r.description.trim()
    ? renderedHtml(r.description, base)
    : typeof f.description === 'string' && f.description.trim()
      ? `<p class="plain">${escapeHtml(f.description).replace(/\n/g, '<br>')}</p>`
      : `<p class="empty">${escapeHtml(t('No description.'))}</p>`;
  const environment = typeof r.environment === 'string' && r.environment.trim() ? renderedHtml(r.environment, base) : undefined;

  const custom = customFields(issue, { baseUrl: base, locale: opts.locale });
  const customHtml = custom.length
    ? `<section id="custom-fields"><h2>${escapeHtml(t('Custom fields'))}</h2><dl class="fields">${custom.map((c) => `<dt title="${escapeHtml(c.id)}">${escapeHtml(c.name)}</dt><dd class="rendered">${c.html}</dd>`).join('')}</dl></section>`
    : '';

  const cs = comments(issue, { baseUrl: base, locale: opts.locale });
  const commentsHtml = `<section id="comments"><h2>${escapeHtml(t('Comments ({0})', cs.length))}</h2>${cs.length
    ? cs.map((c) => `<article class="comment"><div class="meta"><strong>${escapeHtml(c.author)}</strong> · ${escapeHtml(c.created)}${c.updated ? ` · ${escapeHtml(t('edited {0}', c.updated))}` : ''}</div><div class="rendered">${c.html}</div></article>`).join('')
    : `<p class="empty">${escapeHtml(t('No comments.'))}</p>`}${commentForm(opts)}</section>`;

  const cat = statusCategory(f);
  const body = `<header>
<div class="crumbs">${siteCrumb(base)}${project ? `<span>${escapeHtml(project)}</span><span>/</span>` : ''}<a href="${escapeHtml(browse)}" title="${escapeHtml(t('Open {0} in the browser', key))}">${escapeHtml(key)}</a></div>
<h1>${escapeHtml(str(f.summary) ?? key)}</h1>
<div class="badges">${type ? `<span class="badge type">${escapeHtml(type)}</span>` : ''}${status ? `<span class="badge status-${cat}">${escapeHtml(status)}</span>` : ''}${priority ? `<span class="badge priority">${escapeHtml(priority)}</span>` : ''}</div>
${toolbar(true)}
</header>
<section id="details"><h2>${escapeHtml(t('Details'))}</h2><dl class="fields">${details}</dl></section>
<section id="description"><h2>${escapeHtml(t('Description'))}</h2><div class="rendered">${description}</div></section>
${environment ? `<section id="environment"><h2>${escapeHtml(t('Environment'))}</h2><div class="rendered">${environment}</div></section>` : ''}
${customHtml}
${commentsHtml}`;
  return page(`${key}: ${str(f.summary) ?? ''}`, body, opts);
}

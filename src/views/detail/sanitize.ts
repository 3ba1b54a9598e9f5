/**
 * An allowlist HTML sanitiser for Jira's rendered fields (`expand=renderedFields`): descriptions,
 * comments and rendered custom fields. Plain TypeScript, no DOM.
 *
 * - Keeps formatting tags only; drops every attribute except a few harmless ones (href on links,
 *   src/alt on images, colspan/rowspan on cells, title) and every event handler and style.
 * - Drops script/style/iframe/object/... elements with their content.
 * - Links: http(s) and mailto only, made absolute against the site's base URL.
 * - Images: data: URIs of raster images only; other images become their alt text (the webview's
 *   Content-Security-Policy would block them anyway).
 * The webview's CSP is the second line of defence: no script runs without the page's nonce.
 */

const ALLOWED = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt',
  'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp',
  'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul',
  'var', 'wbr', 'font', 'center',
]);

/** Elements dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'noembed', 'noframes',
  'template', 'textarea', 'select', 'option', 'svg', 'math', 'head', 'title', 'xml', 'audio', 'video', 'canvas', 'plaintext',
  'xmp', 'base', 'link', 'meta', 'form', 'button', 'input', 'dialog', 'portal',
]);

/** Raw-text elements: their content is not markup (must skip to the matching end tag literally). */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);

const VOID = new Set(['br', 'hr', 'img', 'wbr', 'col', 'base', 'link', 'meta', 'input', 'embed', 'source', 'track', 'area', 'param']);

const ATTRS: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  ol: ['start', 'type'],
  col: ['span'],
  colgroup: ['span'],
  abbr: ['title'],
};

const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

export interface SanitizeOptions {
  /** The Jira base URL: relative links are resolved against it. */
  baseUrl?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', tab: '\t', newline: '\n' };

/** Decodes character references (enough to see through `java&#115;cript:` and friends). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code < 0 || code > 0x10ffff) return '\ufffd';
      try { return String.fromCodePoint(code); } catch { return '\ufffd'; }
    }
    const named = NAMED[ref.toLowerCase()];
    return named ?? m;
  });
}

/** Text content: keeps valid character references, escapes everything else. */
function escapeText(s: string): string {
  return s.replace(/&(?!(?:#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);)|[<>]/gi, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A safe absolute URL for a link, or undefined. */
export function safeLink(raw: string, baseUrl?: string): string | undefined {
  // Browsers ignore whitespace and control characters inside a scheme: so must we.
  // eslint-disable-next-line no-control-regex
  const v = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!v || v.startsWith('#')) return undefined;
  let u: URL;
  try {
    u = baseUrl ? new URL(v, baseUrl.replace(/\/*$/, '/')) : new URL(v);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'mailto:') return undefined;
  return u.href;
}

/**
 * What one field may cost: input beyond MAX_SANITIZE_INPUT UTF-16 units is cut (the page says so),
 * and elements nested deeper than MAX_SANITIZE_DEPTH are dropped (their text is kept). Sanitising is
 * one pass over the input: every step moves forward, and the work per tag is bounded by the depth.
 */
export const MAX_SANITIZE_INPUT = 1 << 20;
export const MAX_SANITIZE_DEPTH = 64;

/** HTML's whitespace (not JavaScript's `\s`, which also takes U+00A0 and friends). */
function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}
/** Where a tag name or an attribute ends: whitespace, `/` or `>` (and `=` after an attribute name). */
function endsName(c: number, eq: boolean): boolean {
  return isWs(c) || c === 47 || c === 62 || (eq && c === 61) || Number.isNaN(c);
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: Array<[string, string]>;
  end: number;
}

/**
 * Parses a tag starting at `html[start] === '<'` as HTML5's tokenizer does (the name runs to
 * whitespace, `/` or `>`); undefined when it is not a tag (then `<` is text).
 */
function parseTag(html: string, start: number): Tag | undefined {
  let i = start + 1;
  let closing = false;
  if (html[i] === '/') {
    closing = true;
    i++;
  }
  const first = html.charCodeAt(i) | 32; // lower case
  if (first < 97 || first > 122) return undefined;
  const n = html.length;
  let j = i;
  while (j < n && !endsName(html.charCodeAt(j), false)) j++;
  const name = html.slice(i, j).toLowerCase();
  i = j;
  const attrs: Array<[string, string]> = [];
  let seen: Set<string> | undefined;
  let selfClosing = false;
  while (i < n) {
    const c = html[i];
    if (c === '>') return { name, closing, selfClosing, attrs, end: i + 1 };
    selfClosing = false;
    if (c === '/') {
      selfClosing = html[i + 1] === '>';
      i++;
      continue;
    }
    if (isWs(html.charCodeAt(i))) {
      i++;
      continue;
    }
    // attribute name
    j = i + 1; // a leading '=' belongs to the name
    while (j < n && !endsName(html.charCodeAt(j), true)) j++;
    const attrName = html.slice(i, j).toLowerCase();
    i = j;
    while (i < n && isWs(html.charCodeAt(i))) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < n && isWs(html.charCodeAt(i))) i++;
      const q = html[i];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, i + 1);
        if (close === -1) return { name, closing, selfClosing: false, attrs, end: n };
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        let k = i;
        while (k < n && !isWs(html.charCodeAt(k)) && html.charCodeAt(k) !== 62) k++;
        value = html.slice(i, k);
        i = k;
      }
    }
    // HTML keeps the first of duplicate attributes.
    seen ??= new Set();
    if (!seen.has(attrName)) {
      seen.add(attrName);
      attrs.push([attrName, value]);
    }
  }
  return { name, closing, selfClosing, attrs, end: n };
}

/** Elements before which HTML closes an open `<p>`. */
const CLOSES_P = new Set(['blockquote', 'div', 'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'ol', 'p', 'pre', 'table', 'ul', 'li', 'dd', 'dt']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Where HTML's element scopes end: a search for an open element never looks past these. */
const SCOPE = new Set(['table', 'td', 'th', 'caption']);
const TABLE_PARTS = new Set(['caption', 'colgroup', 'col', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th']);
/** Table contexts: HTML moves anything else found here in front of the table (foster parenting). */
const TABLE_CONTEXT = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr', 'colgroup']);

/**
 * The open elements. Every element the sanitiser opens it also closes, explicitly, at the point where
 * an HTML5 parser would end it, so a browser builds the same tree and nothing after the field can end
 * up inside an element the field opened.
 */
class Open {
  readonly names: string[] = [];
  private readonly counts = new Map<string, number>();
  readonly out: string[] = [];

  top(): string | undefined {
    return this.names[this.names.length - 1];
  }
  has(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }
  push(name: string): void {
    this.names.push(name);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  pop(): void {
    const name = this.names.pop()!;
    this.counts.set(name, this.counts.get(name)! - 1);
    this.out.push(END_TAGS.get(name) ?? `</${name}>`);
  }
  /** Index of the nearest open element matching `want`, not looking past `stop` (nor SCOPE). */
  find(want: (name: string) => boolean, stop: ReadonlySet<string> = SCOPE): number {
    for (let k = this.names.length - 1; k >= 0; k--) {
      const name = this.names[k];
      if (want(name)) return k;
      if (stop.has(name) || SCOPE.has(name)) return -1;
    }
    return -1;
  }
  closeTo(index: number): void {
    while (index >= 0 && this.names.length > index) this.pop();
  }
}

const END_TAGS = new Map([...ALLOWED].map((name) => [name, `</${name}>`]));
const LIST_STOP = new Set(['ul', 'ol']);
const CELLS = new Set(['td', 'th']);
const ROWS = new Set(['tr', 'td', 'th']);
const SECTIONS = new Set(['tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup']);
const DL_STOP = new Set(['dl']);

/** Closes what HTML closes before `name` starts; false when HTML would not put `name` here at all. */
function makeRoom(open: Open, name: string): boolean {
  const is = (x: string) => (n: string) => n === x;
  if (TABLE_PARTS.has(name)) {
    // Table parts only inside a table, after closing the parts of the same table that HTML closes.
    const tableAt = open.names.lastIndexOf('table');
    if (tableAt === -1) return false;
    const closeWithin = (names: ReadonlySet<string>) => {
      for (let k = open.names.length - 1; k > tableAt; k--) if (names.has(open.names[k])) return open.closeTo(k);
    };
    closeWithin(name === 'td' || name === 'th' ? CELLS : name === 'tr' ? ROWS : SECTIONS);
    const top = open.top();
    if (name === 'col') return top === 'table' || top === 'colgroup';
    if (name === 'td' || name === 'th') return top === 'table' || top === 'tbody' || top === 'thead' || top === 'tfoot' || top === 'tr';
    if (name === 'tr') return top === 'table' || top === 'tbody' || top === 'thead' || top === 'tfoot';
    return top === 'table';
  }
  // Inside a table but outside a cell, HTML moves other elements in front of the table: drop them.
  if (TABLE_CONTEXT.has(open.top() ?? '')) return false;
  if (name === 'a') open.closeTo(open.find(is('a')));
  if (name === 'li') {
    if (open.find((n) => n === 'ul' || n === 'ol') === -1) return false;
    open.closeTo(open.find(is('li'), LIST_STOP));
  }
  if (name === 'dd' || name === 'dt') {
    if (open.find(is('dl')) === -1) return false;
    open.closeTo(open.find((n) => n === 'dd' || n === 'dt', DL_STOP));
  }
  if (CLOSES_P.has(name)) open.closeTo(open.find(is('p')));
  if (HEADINGS.has(name) && HEADINGS.has(open.top() ?? '')) open.pop();
  return true;
}

/** Closes what an end tag closes (nothing when the element is not open within its scope). */
function endTag(open: Open, name: string): void {
  if (!open.has(name) && !HEADINGS.has(name)) return;
  let at: number;
  if (HEADINGS.has(name)) at = open.find((n) => HEADINGS.has(n));
  else if (name === 'li') at = open.find((n) => n === 'li', LIST_STOP);
  else if (name === 'table') at = open.names.lastIndexOf('table');
  else if (TABLE_PARTS.has(name)) {
    // A cell or row ends only within the innermost table.
    const k = open.names.lastIndexOf(name);
    at = k > open.names.lastIndexOf('table') ? k : -1;
  }
  else at = open.find((n) => n === name);
  open.closeTo(at);
}

/** Finds where a dropped element's content ends; returns the index after its end tag (or the end). */
function skipDropped(html: string, name: string, from: number): number {
  const n = html.length;
  if (RAW_TEXT.has(name)) {
    // Raw text: the content is not markup; it ends at the first `</name` followed by a tag's end.
    if (name === 'plaintext') return n;
    const re = new RegExp(`</${name}(?=[\\t\\n\\f\\r />])`, 'gi');
    re.lastIndex = from;
    const m = re.exec(html);
    if (!m) return n;
    return parseTag(html, m.index)?.end ?? n;
  }
  // Other dropped elements: read on as markup, counting nested elements of the same name.
  let depth = 1;
  let i = from;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) return n;
    const skipped = skipMarkup(html, lt);
    const tag = skipped === undefined ? parseTag(html, lt) : undefined;
    if (!tag) {
      i = skipped ?? lt + 1;
      continue;
    }
    i = tag.end;
    if (tag.name !== name) {
      if (!tag.closing && RAW_TEXT.has(tag.name)) i = skipDropped(html, tag.name, i);
      continue;
    }
    if (tag.closing) depth--;
    else if (!tag.selfClosing) depth++;
    if (depth === 0) return i;
  }
  return n;
}

/** Comments and `<!...>`/`<?...>` declarations at `html[lt] === '<'`: the index after them, else undefined. */
function skipMarkup(html: string, lt: number): number | undefined {
  const n = html.length;
  if (html.startsWith('<!--', lt)) {
    const end = html.indexOf('-->', lt + 4);
    return end === -1 ? n : end + 3;
  }
  if (html[lt + 1] === '!' || html[lt + 1] === '?') {
    const end = html.indexOf('>', lt);
    return end === -1 ? n : end + 1;
  }
  return undefined;
}

/** Returns safe HTML for Jira's rendered HTML (at most MAX_SANITIZE_INPUT of it: see `isCut`). */
export function sanitizeHtml(input: string, opts: SanitizeOptions = {}): string {
  if (!input) return '';
  const html = input.length > MAX_SANITIZE_INPUT ? input.slice(0, MAX_SANITIZE_INPUT) : input;
  const open = new Open();
  // Links resolved once per distinct href (a description repeats its links; so does hostile input).
  const links = new Map<string, string | undefined>();
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      open.out.push(escapeText(html.slice(i)));
      break;
    }
    if (lt > i) open.out.push(escapeText(html.slice(i, lt)));
    i = lt;
    const skipped = skipMarkup(html, i);
    if (skipped !== undefined) {
      i = skipped;
      continue;
    }
    const tag = parseTag(html, i);
    if (!tag) {
      open.out.push('&lt;');
      i++;
      continue;
    }
    i = tag.end;
    // Legacy presentational tags become neutral ones.
    const name = tag.name === 'font' ? 'span' : tag.name === 'center' ? 'div' : tag.name;
    if (DROP_WITH_CONTENT.has(name)) {
      // A trailing slash ends only void and foreign (svg, math) elements; the rest still have content.
      const empty = tag.closing || VOID.has(name) || (tag.selfClosing && !RAW_TEXT.has(name));
      if (!empty) i = skipDropped(html, name, i);
      continue;
    }
    if (!ALLOWED.has(name)) continue; // unknown tag: drop the tag, keep its text
    if (tag.closing) {
      endTag(open, name);
      continue;
    }
    if (open.names.length >= MAX_SANITIZE_DEPTH && !VOID.has(name)) continue;
    if (!makeRoom(open, name)) continue;
    const rendered = renderTag(name, tag.attrs, opts, links);
    if (rendered === undefined) continue;
    open.out.push(rendered);
    // Only void elements are self-closing in HTML: `<a href=x/>` opens a link like `<a href=x>` does.
    if (!VOID.has(name)) open.push(name);
  }
  while (open.names.length) open.pop();
  return open.out.join('');
}

/** Whether sanitizeHtml showed only the first MAX_SANITIZE_INPUT of `input`. */
export function isCut(input: string): boolean {
  return input.length > MAX_SANITIZE_INPUT;
}

function renderTag(name: string, attrs: Array<[string, string]>, opts: SanitizeOptions, links: Map<string, string | undefined>): string | undefined {
  if (!attrs.length && name !== 'img') return `<${name}>`;
  const allowed = ATTRS[name] ?? [];
  const kept: string[] = [];
  if (name === 'img') {
    const src = attrs.find(([k]) => k === 'src')?.[1] ?? '';
    const alt = attrs.find(([k]) => k === 'alt')?.[1] ?? '';
    const decoded = decodeEntities(src).trim();
    if (!SAFE_DATA_IMAGE.test(decoded)) {
      // A remote or attachment image: show its alt text instead (the CSP blocks remote images).
      const text = decodeEntities(alt).trim();
      return text ? `<span class="img-alt" title="${escapeHtml(src.slice(0, 300))}">[${escapeHtml(text)}]</span>` : '';
    }
    kept.push(`src="${escapeHtml(decoded)}"`);
  }
  for (const [k, v] of attrs) {
    if (!allowed.includes(k) || (name === 'img' && k === 'src')) continue;
    if (k === 'href') {
      let href = links.get(v);
      if (!links.has(v)) {
        const url = safeLink(v, opts.baseUrl);
        href = url && `href="${escapeHtml(url)}"`;
        if (links.size < 1000) links.set(v, href);
      }
      if (href) kept.push(href);
      continue;
    }
    if ((k === 'colspan' || k === 'rowspan' || k === 'span' || k === 'start' || k === 'width' || k === 'height') && !/^\d{1,4}$/.test(v.trim())) continue;
    kept.push(`${k}="${escapeHtml(decodeEntities(v))}"`);
  }
  return `<${name}${kept.length ? ' ' + kept.join(' ') : ''}>`;
}

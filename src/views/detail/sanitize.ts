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

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: Array<[string, string]>;
  end: number;
}

/** Parses a tag starting at `html[start] === '<'`; undefined when it is not a tag (then `<` is text). */
function parseTag(html: string, start: number): Tag | undefined {
  let i = start + 1;
  let closing = false;
  if (html[i] === '/') {
    closing = true;
    i++;
  }
  const nameMatch = /^[a-zA-Z][a-zA-Z0-9:-]*/.exec(html.slice(i, i + 64));
  if (!nameMatch) return undefined;
  const name = nameMatch[0].toLowerCase();
  i += nameMatch[0].length;
  const attrs: Array<[string, string]> = [];
  let selfClosing = false;
  const n = html.length;
  while (i < n) {
    const c = html[i];
    if (c === '>') return { name, closing, selfClosing, attrs, end: i + 1 };
    if (c === '/' ) {
      selfClosing = html[i + 1] === '>';
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // attribute name
    let j = i;
    while (j < n && !/[\s/>=]/.test(html[j])) j++;
    if (j === i) j++; // a stray '=' and the like
    const attrName = html.slice(i, j).toLowerCase();
    i = j;
    while (i < n && /\s/.test(html[i])) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < n && /\s/.test(html[i])) i++;
      const q = html[i];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, i + 1);
        if (close === -1) return { name, closing, selfClosing, attrs, end: n };
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        let k = i;
        while (k < n && !/[\s>]/.test(html[k])) k++;
        value = html.slice(i, k);
        i = k;
      }
    }
    if (attrName) attrs.push([attrName, value]);
  }
  return { name, closing, selfClosing, attrs, end: n };
}

/** Returns safe HTML for Jira's rendered HTML. */
export function sanitizeHtml(html: string, opts: SanitizeOptions = {}): string {
  if (!html) return '';
  let out = '';
  const stack: string[] = [];
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out += escapeText(html.slice(i));
      break;
    }
    if (lt > i) out += escapeText(html.slice(i, lt));
    i = lt;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (html[i + 1] === '!' || html[i + 1] === '?') {
      const end = html.indexOf('>', i);
      i = end === -1 ? n : end + 1;
      continue;
    }
    const tag = parseTag(html, i);
    if (!tag) {
      out += '&lt;';
      i++;
      continue;
    }
    i = tag.end;
    // Legacy presentational tags become neutral ones.
    const name = tag.name === 'font' ? 'span' : tag.name === 'center' ? 'div' : tag.name;
    if (DROP_WITH_CONTENT.has(name)) {
      if (tag.closing || tag.selfClosing || VOID.has(name)) continue;
      // Skip to the matching end tag (raw text elements: literally; others: counting nesting).
      const closeRe = new RegExp(`<(/?)${name}(?=[\\s/>])[^>]*>`, 'gi');
      closeRe.lastIndex = i;
      let depth = 1;
      let m: RegExpExecArray | null;
      while ((m = closeRe.exec(html)) !== null) {
        if (m[1]) depth--;
        else if (!RAW_TEXT.has(name)) depth++;
        if (depth === 0) break;
      }
      i = m ? closeRe.lastIndex : n;
      continue;
    }
    if (!ALLOWED.has(name)) continue; // unknown tag: drop the tag, keep its text
    if (tag.closing) {
      const at = stack.lastIndexOf(name);
      if (at === -1) continue;
      while (stack.length > at) out += `</${stack.pop()}>`;
      continue;
    }
    const rendered = renderTag(name, tag.attrs, opts);
    if (rendered === undefined) continue;
    out += rendered;
    if (!VOID.has(name) && name !== 'img' && !tag.selfClosing) stack.push(name);
  }
  while (stack.length) out += `</${stack.pop()}>`;
  return out;
}

function renderTag(name: string, attrs: Array<[string, string]>, opts: SanitizeOptions): string | undefined {
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
      const url = safeLink(v, opts.baseUrl);
      if (url) kept.push(`href="${escapeHtml(url)}"`);
      continue;
    }
    if ((k === 'colspan' || k === 'rowspan' || k === 'span' || k === 'start' || k === 'width' || k === 'height') && !/^\d{1,4}$/.test(v.trim())) continue;
    kept.push(`${k}="${escapeHtml(decodeEntities(v))}"`);
  }
  return `<${name}${kept.length ? ' ' + kept.join(' ') : ''}>`;
}

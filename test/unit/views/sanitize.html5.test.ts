/**
 * The sanitiser's output as a browser reads it. An HTML5 parser (parse5) reads the whole issue page
 * with Jira's rendered HTML in it, and the tests look at the tree: which elements and attributes
 * came out, and whether the page's own text (headings, other people's comments) stayed outside
 * everything a description opened.
 */
import * as assert from 'node:assert/strict';
import { issueHtml, type IssueJson } from '../../../src/views/detail/render';
import { MAX_SANITIZE_DEPTH, MAX_SANITIZE_INPUT, sanitizeHtml } from '../../../src/views/detail/sanitize';
import { ancestry, byId, elements, parsePage, seeded, textAncestries, type Node } from './html5';

const BASE = 'https://jira.example.com/jira';
const OPTS = { nonce: 'n0nce', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', baseUrl: BASE, locale: 'en-US' };

/** An issue whose Jira-rendered fields are all `html`; the page's own text carries SENTINEL markers. */
function issueWith(html: string): IssueJson {
  return {
    key: 'PROJ-1',
    fields: {
      summary: 'SENTINELSUMMARY',
      description: 'd', environment: 'e', customfield_1: 'c',
      comment: { total: 2, comments: [
        { id: '1', author: { displayName: 'SENTINELAUTHOR1' }, body: 'x', created: '2024-01-01T00:00:00.000+0000' },
        { id: '2', author: { displayName: 'SENTINELAUTHOR2' }, body: 'SENTINELPLAIN', created: '2024-01-01T00:00:00.000+0000' },
      ] },
    },
    renderedFields: { description: html, environment: html, customfield_1: html, comment: { comments: [{ id: '1', body: html }, { id: '2', body: '<p>SENTINELPLAIN</p>' }] } },
    names: { customfield_1: 'SENTINELFIELD' },
  };
}

const SENTINELS = ['SENTINELAUTHOR1', 'SENTINELAUTHOR2', 'SENTINELPLAIN', 'SENTINELFIELD', 'Comments (2)', 'Environment', 'Custom fields'];

function sentinelAncestries(doc: Node): Record<string, string[]> {
  return Object.fromEntries(SENTINELS.map((s) => [s, textAncestries(doc, s)]));
}

const BASELINE = sentinelAncestries(parsePage(issueHtml(issueWith('<p>plain</p>'), OPTS)));

/** What may come out of the sanitiser: element -> attributes (parse5 adds tbody to tables itself). */
const OUT_ATTRS: Record<string, string[]> = {
  a: ['href', 'title'], img: ['src', 'alt', 'title', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan', 'scope'],
  ol: ['start', 'type'], col: ['span'], colgroup: ['span'], abbr: ['title'], span: ['class', 'title'],
};
const OUT_ELEMENTS = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span',
  'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
]);

/** Everything wrong with a page: foreign elements or attributes in rendered fields, moved page text. */
function problems(page: string): string[] {
  const doc = parsePage(page);
  const found: string[] = [];
  const rendered = elements(doc).filter((e) => e.attrs?.some((a) => a.name === 'class' && a.value === 'rendered'));
  if (rendered.length < 5) found.push(`only ${rendered.length} rendered containers survived`);
  for (const container of rendered) {
    for (const el of elements(container).slice(1)) {
      const name = el.tagName!;
      if (!OUT_ELEMENTS.has(name)) found.push(`element <${name}> in ${ancestry(el)}`);
      for (const { name: attr, value } of el.attrs ?? []) {
        if (!(OUT_ATTRS[name] ?? []).includes(attr)) found.push(`attribute ${attr} on <${name}>`);
        if (attr === 'href' && !/^(https?|mailto):$/.test(new URL(value).protocol)) found.push(`link to ${value}`);
        if (attr === 'src' && !/^data:image\/(png|gif|jpe?g|webp|bmp);base64,/i.test(value)) found.push(`image from ${value}`);
        if (attr === 'class' && value !== 'img-alt') found.push(`class ${value}`);
      }
    }
  }
  const now = sentinelAncestries(doc);
  for (const s of SENTINELS) {
    if (JSON.stringify(now[s]) !== JSON.stringify(BASELINE[s])) found.push(`page text "${s}" moved: ${now[s].join(' | ')} (was ${BASELINE[s].join(' | ')})`);
  }
  return found;
}

describe('views/detail: the sanitised page as an HTML5 parser reads it', () => {
  it('the check itself notices page text that a description captures', () => {
    // An unsanitised description with an unclosed link: the check must see it (else it proves nothing).
    const leaky = issueHtml(issueWith('<p>plain</p>'), OPTS).replace('<p>plain</p>', '<a href="https://evil.example/">');
    assert.ok(problems(leaky).some((p) => p.includes('moved')), problems(leaky).join('\n'));
  });

  it('a trailing slash does not self-close a normal element: the link ends with the description', () => {
    for (const html of ['<a href="https://evil.example/phish"/>Click', '<b/>bold', '<p><a href="https://x.example/" / >Click</p>']) {
      assert.deepEqual(problems(issueHtml(issueWith(html), OPTS)), [], html);
    }
    // As in a browser, "Click" is inside the link: it opened, and it is closed where the description ends.
    const doc = parsePage(`<!DOCTYPE html><body><div id="d">${sanitizeHtml('<a href="https://evil.example/phish"/>Click')}</div><p id="after">after</p>`);
    assert.deepEqual(textAncestries(doc, 'Click'), ['html > body > div > a']);
    assert.equal(ancestry(byId(doc, 'after')), 'html > body');
  });

  it('void elements still self-close', () => {
    assert.equal(sanitizeHtml('a<br/>b<hr/>c'), 'a<br>b<hr>c');
  });

  it('a new list item ends the open one, as in HTML', () => {
    const doc = parsePage(`<!DOCTYPE html><body><div id="d">${sanitizeHtml('<ul><li>a<li>b</ul>')}</div>`);
    assert.deepEqual(textAncestries(doc, 'b'), ['html > body > div > ul > li']);
  });

  it('elements out of their context are dropped, keeping their text', () => {
    for (const html of ['<dd>x', '<td>x', '<tr><td>x', '<li>x', '</div></section>x', '<h2>x</h1>', '<table><td>x<tr><b>y']) {
      assert.deepEqual(problems(issueHtml(issueWith(html), OPTS)), [], html);
    }
  });

  it('nesting is capped: very deep input cannot make a very deep page', () => {
    const out = sanitizeHtml('<div>'.repeat(5000) + 'deep' + '<b>'.repeat(5000));
    const doc = parsePage(`<!DOCTYPE html><body>${out}`);
    assert.equal(textAncestries(doc, 'deep')[0].split(' > ').length, 2 + MAX_SANITIZE_DEPTH);
  });

  it('a description longer than the cap is cut, and the page says so', () => {
    const long = '<p>' + 'a'.repeat(MAX_SANITIZE_INPUT) + 'TAIL</p>';
    const page = issueHtml(issueWith(long), OPTS);
    assert.ok(!page.includes('TAIL'));
    const note = '<p class="empty">The rest is too long to show here: open the issue in the browser.</p>';
    assert.equal(page.split(note).length - 1, 4); // description, environment, custom field, comment: each says so
    assert.deepEqual(problems(page.split(note).join('')), []);
  });

  it('random markup: only allow-listed elements, attributes and links, and the page text stays where it was', () => {
    const tags = [...OUT_ELEMENTS, 'font', 'center', 'script', 'style', 'svg', 'math', 'iframe', 'textarea', 'noscript', 'template', 'select',
      'option', 'form', 'button', 'title', 'xmp', 'object', 'embed', 'image', 'body', 'html', 'head', 'section', 'x-y', 'a@b', 'listing'];
    const values = ['javascript:alert(1)', 'https://evil.example/x', '/rel', 'mailto:a@b.example', ' java\tscript:x', 'data:image/png;base64,AAAA',
      'data:text/html,x', '2', 'x"y', "x'y", 'a>b', '&#106;avascript:x', ''];
    const attrs = ['href', 'src', 'onclick', 'style', 'title', 'colspan', 'class', 'id', 'alt', 'span', 'start'];
    const others = ['text', ' ', '<', '>', '&amp;', '&#0;', '&', '"', "'", '</', '<!-- c -->', '<!--', '<!x>', '<?x>', '/', '='];
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = seeded(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
      let html = 'F '; // never empty after sanitising: an empty environment hides its section
      const n = 1 + Math.floor(rnd() * 30);
      for (let k = 0; k < n; k++) {
        const r = rnd();
        if (r < 0.4) {
          let tag = '<' + pick(tags);
          for (let a = Math.floor(rnd() * 3); a > 0; a--) {
            const q = pick(['"', "'", '']);
            tag += ` ${pick(attrs)}=${q}${pick(values)}${q}`;
          }
          html += tag + (rnd() < 0.2 ? '/>' : rnd() < 0.05 ? '' : '>');
        } else if (r < 0.7) html += `</${pick(tags)}>`;
        else html += pick(others);
      }
      const found = problems(issueHtml(issueWith(html), OPTS));
      assert.deepEqual(found, [], `seed ${seed}: ${JSON.stringify(html)}`);
    }
  });
});

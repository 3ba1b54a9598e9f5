import * as assert from 'node:assert/strict';
import { comments, customFields, errorHtml, formatValue, issueHtml, loadingHtml } from '../../../src/views/detail/render';
import { decodeEntities, safeLink, sanitizeHtml } from '../../../src/views/detail/sanitize';

const BASE = 'https://jira.example.com/jira';
const OPTS = { nonce: 'n0nce', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', baseUrl: BASE, locale: 'en-US' };

describe('views/detail: sanitising Jira\'s rendered HTML', () => {
  const clean = (html: string) => sanitizeHtml(html, { baseUrl: BASE });

  it('keeps formatting', () => {
    assert.equal(clean('<p>Hello <b>bold</b> <em>em</em><br/>line</p>'), '<p>Hello <b>bold</b> <em>em</em><br>line</p>');
    assert.equal(clean('<ul><li>a<li>b</ul>'), '<ul><li>a</li><li>b</li></ul>');
    assert.equal(clean('<table><tr><td colspan="2" style="color:red">x</td></tr></table>'), '<table><tr><td colspan="2">x</td></tr></table>');
    assert.equal(clean('<pre class="code-java">if (a &lt; b) {}</pre>'), '<pre>if (a &lt; b) {}</pre>');
  });

  it('drops scripts, styles, frames and their content', () => {
    assert.equal(clean('a<script>alert(1)</script>b'), 'ab');
    assert.equal(clean('a<SCRIPT type="text/javascript">alert("</b>")</SCRIPT>b'), 'ab');
    assert.equal(clean('a<style>body{display:none}</style>b'), 'ab');
    assert.equal(clean('a<iframe src="https://evil"></iframe>b'), 'ab');
    assert.equal(clean('a<svg><script>alert(1)</script></svg>b'), 'ab');
    assert.equal(clean('a<object data="x"><embed src="y"></object>b'), 'ab');
    assert.equal(clean('a<!-- <script>alert(1)</script> -->b'), 'ab');
    // A browser ends <noscript> at the first </noscript>: the <img> after it is a real tag, and is made harmless.
    const mxss = clean('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>');
    assert.doesNotMatch(mxss, /onerror|<img|<p/);
  });

  it('drops event handlers, styles and unknown attributes', () => {
    assert.equal(clean('<p onclick="alert(1)" style="x" class="y" id="z">t</p>'), '<p>t</p>');
    assert.equal(clean('<a href="https://x.example/" onmouseover="alert(1)">l</a>'), '<a href="https://x.example/">l</a>');
    assert.equal(clean('<div/onclick=alert(1)>t</div>'), '<div>t</div>');
  });

  it('allows only http(s) and mailto links, made absolute', () => {
    assert.equal(clean('<a href="/jira/browse/PROJ-2">PROJ-2</a>'), '<a href="https://jira.example.com/jira/browse/PROJ-2">PROJ-2</a>');
    assert.equal(clean('<a href="secure/ViewProfile.jspa?name=bob&amp;x=1">Bob</a>'), '<a href="https://jira.example.com/jira/secure/ViewProfile.jspa?name=bob&amp;x=1">Bob</a>');
    assert.equal(clean('<a href="javascript:alert(1)">x</a>'), '<a>x</a>');
    assert.equal(clean('<a href="java&#115;cript:alert(1)">x</a>'), '<a>x</a>');
    assert.equal(clean('<a href=" jav\tascript:alert(1)">x</a>'), '<a>x</a>');
    assert.equal(clean('<a href="vbscript:x">x</a>'), '<a>x</a>');
    assert.equal(clean('<a href="command:workbench.action.terminal.new">x</a>'), '<a>x</a>');
    assert.equal(clean('<a href="file:///etc/passwd">x</a>'), '<a>x</a>');
    assert.equal(clean('<a href="data:text/html,<script>alert(1)</script>">x</a>'), '<a>x</a>');
    assert.equal(clean('<a href="mailto:bob@example.com">m</a>'), '<a href="mailto:bob@example.com">m</a>');
    assert.equal(safeLink('//evil.example/x', BASE), 'https://evil.example/x');
  });

  it('keeps only data: raster images; others become their alt text', () => {
    assert.equal(clean('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">'), '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">');
    assert.equal(clean('<img src="https://evil.example/track.gif" alt="smile">'), '<span class="img-alt" title="https://evil.example/track.gif">[smile]</span>');
    assert.equal(clean('<img src="/jira/images/icons/emoticons/smile.png">'), '');
    assert.equal(clean('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="s">'), '<span class="img-alt" title="data:image/svg+xml;base64,PHN2Zz4=">[s]</span>');
    assert.equal(clean('<img src=x onerror=alert(1) alt=a>'), '<span class="img-alt" title="x">[a]</span>');
  });

  it('escapes stray markup characters and keeps entities', () => {
    assert.equal(clean('1 < 2 & 3 > 2 &amp; &#169; &copy;'), '1 &lt; 2 &amp; 3 &gt; 2 &amp; &#169; &copy;');
    assert.equal(clean('<unknown>text</unknown>'), 'text');
    assert.equal(clean('<p>unclosed <b>bold'), '<p>unclosed <b>bold</b></p>');
    assert.equal(clean('</p>stray close'), 'stray close');
    assert.equal(clean('<a href="x" title=\'a"b\'>q</a>'), '<a href="https://jira.example.com/jira/x" title="a&quot;b">q</a>');
    assert.equal(clean('<p title="x>y">z</p>'), '<p>z</p>');
  });

  it('decodes entities', () => {
    assert.equal(decodeEntities('&lt;&#65;&#x42;&amp;&colon;&bogus;'), '<AB&:&bogus;');
  });
});

const ISSUE = {
  key: 'PROJ-7',
  fields: {
    summary: 'Login <fails> on Safari',
    issuetype: { name: 'Bug' },
    status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } },
    priority: { name: 'High' },
    resolution: null,
    assignee: { displayName: 'Alice Admin', name: 'admin' },
    reporter: { displayName: 'Bob Builder', name: 'bob' },
    created: '2024-01-02T03:04:05.000+0000',
    updated: '2024-02-03T04:05:06.000+0000',
    duedate: '2024-03-01',
    labels: ['frontend', 'safari'],
    components: [{ name: 'Web' }, { name: 'Auth' }],
    fixVersions: [{ name: '2.0' }],
    project: { key: 'PROJ', name: 'Project' },
    description: 'raw *wiki*',
    customfield_10010: 8,
    customfield_10011: { value: 'Team A', child: { value: 'Backend' } },
    customfield_10012: [{ displayName: 'Carol' }],
    customfield_10013: null,
    customfield_10014: 'h1. notes',
    comment: { total: 2, comments: [
      { id: '100', author: { displayName: 'Bob Builder' }, body: 'first', created: '2024-01-03T00:00:00.000+0000', updated: '2024-01-03T00:00:00.000+0000' },
      { id: '101', author: { displayName: 'Alice Admin' }, body: 'second', created: '2024-01-04T00:00:00.000+0000', updated: '2024-01-05T00:00:00.000+0000' },
    ] },
  },
  renderedFields: {
    description: '<p>raw <b>wiki</b></p><script>alert(1)</script><img src="https://evil.example/x.png" alt="x">',
    customfield_10014: '<h1>notes</h1>',
    comment: { comments: [
      { id: '100', body: '<p>first <a href="/jira/browse/PROJ-1">PROJ-1</a></p>' },
      { id: '101', body: '<p onclick="x()">second</p>' },
    ] },
  },
  names: { customfield_10010: 'Story Points', customfield_10011: 'Team', customfield_10012: 'Reviewers', customfield_10013: 'Empty', customfield_10014: 'Release Notes' },
};

describe('views/detail: the issue page', () => {
  it('has a strict CSP with a nonce and no remote sources', () => {
    const html = issueHtml(ISSUE, OPTS);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-n0nce'/);
    assert.match(csp, /img-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net data:/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="n0nce">']);
    assert.doesNotMatch(html, /alert\(1\)|onclick|src="https:/);
  });

  it('shows summary, status, type, priority, people, dates, labels, components, description', () => {
    const html = issueHtml(ISSUE, OPTS);
    for (const s of ['Login &lt;fails&gt; on Safari', 'In Progress', 'Bug', 'High', 'Alice Admin', 'Bob Builder', 'frontend', 'safari', 'Web, Auth', '2.0',
      'Unresolved', 'Jan 2, 2024', 'Mar 1, 2024', '<p>raw <b>wiki</b></p>', 'data-action="refresh"', 'status-indeterminate']) {
      assert.ok(html.includes(s), `missing ${s}`);
    }
    assert.ok(html.includes('href="https://jira.example.com/jira/browse/PROJ-7"'));
  });

  it('shows custom fields by display name (empty ones left out), rendered when Jira rendered them', () => {
    const cf = customFields(ISSUE, { baseUrl: BASE });
    assert.deepEqual(cf.map((c) => [c.name, c.html]), [
      ['Release Notes', '<h1>notes</h1>'],
      ['Reviewers', 'Carol'],
      ['Story Points', '8'],
      ['Team', 'Team A › Backend'],
    ]);
    const html = issueHtml(ISSUE, OPTS);
    assert.ok(html.includes('id="custom-fields"'));
    assert.ok(!html.includes('>Empty<'));
  });

  it('renders comments from renderedFields, sanitised, with authors and dates', () => {
    const cs = comments(ISSUE, { baseUrl: BASE, locale: 'en-US' });
    assert.equal(cs.length, 2);
    assert.equal(cs[0].author, 'Bob Builder');
    assert.equal(cs[0].html, '<p>first <a href="https://jira.example.com/jira/browse/PROJ-1">PROJ-1</a></p>');
    assert.equal(cs[0].updated, '');
    assert.equal(cs[1].html, '<p>second</p>');
    assert.notEqual(cs[1].updated, '');
    assert.ok(issueHtml(ISSUE, OPTS).includes('Comments (2)'));
  });

  it('falls back to the raw description and says when there are no comments', () => {
    const html = issueHtml({ key: 'A-1', fields: { summary: 's', description: 'line1\nline2 <x>' } }, OPTS);
    assert.ok(html.includes('line1<br>line2 &lt;x&gt;'));
    assert.ok(html.includes('No comments.'));
    assert.ok(html.includes('Comments (0)'));
  });

  it('escapes the key and message on the loading and error pages', () => {
    const page = errorHtml('<b>', 'Issue does not exist <script>alert(1)</script>', OPTS);
    assert.ok(page.includes('Issue does not exist &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.deepEqual(page.match(/<script\b[^>]*>/g), ['<script nonce="n0nce">'], 'only the page\'s own script');
    assert.ok(page.includes('&lt;b&gt;') && !page.includes('<b>'), 'the key is escaped');
    assert.ok(errorHtml('A-1', 'Issue does not exist <x>', OPTS).includes('Issue does not exist &lt;x&gt;'));
    assert.ok(loadingHtml('A-1', OPTS).includes('class="busy"'));
  });

  it('shows a Data Center sprint by its name', () => {
    const sprint = 'com.atlassian.greenhopper.service.sprint.Sprint@1a2b3c04[id=4,rapidViewId=1,state=FUTURE,name=DEMO Sprint 4,startDate=2024-02-12T09:00:00.000Z,endDate=<null>,goal=<null>]';
    assert.equal(formatValue([sprint]), 'DEMO Sprint 4 (future)');
    assert.equal(formatValue('com.atlassian.greenhopper.service.sprint.Sprint@ff[id=1,name=Sprint, with comma,state=ACTIVE]'), 'Sprint, with comma (active)');
  });

  it('formats any field value', () => {
    assert.equal(formatValue([{ name: 'a' }, { value: 'b' }, 'c', 3]), 'a, b, c, 3');
    assert.equal(formatValue({ foo: 1 }), '{"foo":1}');
    assert.equal(formatValue(null), '');
    assert.equal(formatValue(true), 'true');
  });
});

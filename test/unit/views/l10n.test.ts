// The Jira views are localised like the sign-in (test/unit/l10n.test.ts): runtime strings
// through t/vscode.l10n.t with an entry in l10n/bundle.l10n.zh-cn.json, package.json strings as
// %key% in package.nls.json and package.nls.zh-cn.json, the webview's words rendered in the host.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, setTranslator } from '../../../src/l10n';
import { issueHtml, errorHtml, loadingHtml } from '../../../src/views/detail/render';
import { IssueList, ListHost, parseFavouriteFilters } from '../../../src/views/model';
import { countText, issueTooltip } from '../../../src/views/present';
import { nonLiteralCalls, ROOT, viewStrings } from './l10nStrings';

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
}
const strings = (path: string) => json(path) as Record<string, string>;

type Contributes = {
  commands: Array<{ command: string; title: string }>;
  views: Record<string, Array<{ id: string; name: string }>>;
  viewsWelcome: Array<{ view: string; contents: string }>;
  configuration: { properties: Record<string, unknown> };
};

const isViewCommand = (id: string) => /^jira\.(views|issues|issue|filters)\./.test(id);
const isViewSetting = (id: string) => id === 'jira.filters' || id.startsWith('jira.issues.');
const isKey = (s: unknown) => typeof s === 'string' && /^%[\w.]+%$/.test(s);

/** Every user-facing string of the views' contributions, with where it is. */
function viewContributions(c: Contributes): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const cmd of c.commands) if (isViewCommand(cmd.command)) out.push([`command ${cmd.command}`, cmd.title]);
  for (const v of Object.values(c.views).flat()) if (v.id === 'jira.issues' || v.id === 'jira.filters') out.push([`view ${v.id}`, v.name]);
  for (const w of c.viewsWelcome) if (w.view === 'jira.filters') out.push([`viewsWelcome ${w.view}`, w.contents]);
  const descriptions = (where: string, v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if ((k === 'description' || k === 'markdownDescription') && typeof x === 'string') out.push([`${where}.${k}`, x]);
      else if (k === 'enumDescriptions' && Array.isArray(x)) x.forEach((d, i) => out.push([`${where}.${k}[${i}]`, String(d)]));
      else descriptions(`${where}.${k}`, x);
    }
  };
  for (const [id, p] of Object.entries(c.configuration.properties)) if (isViewSetting(id)) descriptions(`setting ${id}`, p);
  return out;
}

/** The zh-cn translator VS Code would install (vscode.l10n.t with the zh-cn bundle). */
function useZh(): void {
  const zh = strings('l10n/bundle.l10n.zh-cn.json');
  setTranslator((message, ...args) => format(zh[message] ?? `<untranslated ${message}>`, args));
}
const useEnglish = () => setTranslator((message, ...args) => format(message, args));

const ISSUE = {
  key: 'PROJ-7',
  fields: {
    summary: 'Fix the login', project: { name: 'Project' }, issuetype: { name: 'Bug' }, status: { name: 'Open', statusCategory: { key: 'new' } },
    priority: { name: 'High' }, resolution: null, assignee: null, reporter: { displayName: 'Bob' }, created: '2024-01-02T03:04:05.000+0000',
    updated: '2024-01-03T03:04:05.000+0000', duedate: '2024-02-01', resolutiondate: '2024-01-04T03:04:05.000+0000', labels: ['ui'],
    components: [{ name: 'Web' }], versions: [{ name: '1.0' }], fixVersions: [{ name: '1.1' }], environment: 'Linux',
    customfield_10001: 'Team A',
    comment: { comments: [{ id: '1', body: 'Hi', created: '2024-01-02T03:04:05.000+0000', updated: '2024-01-05T03:04:05.000+0000' }] },
  },
  renderedFields: { environment: '<p>Linux</p>' },
  names: { customfield_10001: 'Team' },
};
const OPTS = { nonce: 'n0nce', cspSource: 'vscode-resource:', baseUrl: 'https://jira.example.com', locale: 'zh-cn' };

describe('views: localisation (zh-cn)', () => {
  afterEach(useEnglish);

  it('translates every t()/l10n.t() string of src/views in l10n/bundle.l10n.zh-cn.json', () => {
    const found = viewStrings();
    assert.ok(found.size > 40, `only ${found.size} strings found in src/views: is the extractor broken?`);
    const zh = strings('l10n/bundle.l10n.zh-cn.json');
    const missing = [...found.keys()].filter((s) => !(s in zh));
    assert.deepEqual(missing, [], `untranslated: ${missing.map((s) => `${JSON.stringify(s)} (${found.get(s)})`).join('\n')}`);
    for (const s of found.keys()) assert.ok(zh[s].trim() && zh[s] !== s, `not translated: ${JSON.stringify(s)}`);
  });

  it('passes only string literals to t()/l10n.t() (a template or a variable escapes the bundle)', () => {
    assert.deepEqual(nonLiteralCalls(), []);
  });

  it('keeps the English text: the strings tests, E2E journeys and the README match', () => {
    const found = viewStrings();
    for (const s of ['Load more…', 'Loading more…', 'No issues match this query.', 'Search Results', 'My Issues', 'Retry', 'Details',
      'Assignee', 'Reporter', 'Comments ({0})', 'Open in Browser', 'Copy Key', 'Refresh', 'Custom fields', 'Unassigned']) {
      assert.ok(found.has(s), `${JSON.stringify(s)} is no longer a views string`);
    }
    const nls = strings('package.nls.json');
    assert.equal(nls['view.filters'], 'Filters');
    assert.equal(nls['view.issues'], 'My Issues');
    assert.equal(nls['command.views.loadMore'], 'Load More');
    assert.equal(nls['command.issues.search'], 'Search Issues…');
    assert.equal(nls['command.issues.openByKey'], 'Open Issue by Key…');
  });

  it('contributes no plain English string for the views in package.json (nor in src/views/contributes.json)', () => {
    for (const file of ['package.json', 'src/views/contributes.json']) {
      const c = (json(file).contributes ?? json(file)) as Contributes;
      const found = viewContributions(c);
      assert.ok(found.length >= 20, `only ${found.length} view strings found in ${file}: is the walker broken?`);
      assert.deepEqual(found.filter(([, s]) => !isKey(s)).map(([where, s]) => `${where}: ${s}`), [], `not localisable in ${file}`);
    }
  });

  it('has every %key% of package.json and src/views/contributes.json in package.nls.json and package.nls.zh-cn.json', () => {
    const nls = strings('package.nls.json');
    const zh = strings('package.nls.zh-cn.json');
    for (const file of ['package.json', 'src/views/contributes.json']) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const keys = [...new Set([...text.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]))];
      assert.ok(keys.length > 0);
      assert.deepEqual(keys.filter((k) => !(k in nls)), [], `missing in package.nls.json (${file})`);
      assert.deepEqual(keys.filter((k) => !(k in zh)), [], `missing in package.nls.zh-cn.json (${file})`);
    }
    const c = json('package.json').contributes as Contributes;
    for (const [where, s] of viewContributions(c)) {
      const k = s.slice(1, -1);
      if (k === 'view.container.jira') continue;
      assert.ok(zh[k].trim() && zh[k] !== nls[k], `${where}: ${k} is not translated`);
      const links = (x: string) => (x.match(/\]\(command:[^)]+\)/g) ?? []).join();
      assert.equal(links(zh[k]), links(nls[k]), `command links differ in ${k}`);
    }
  });

  it('renders the issue detail page in Chinese, in the extension host', () => {
    const en = issueHtml(ISSUE, OPTS);
    useZh();
    const html = issueHtml(ISSUE, OPTS);
    assert.doesNotMatch(html, /<untranslated/);
    for (const word of ['详细信息', '类型', '状态', '优先级', '解决结果', '未解决', '经办人', '未分配', '报告人', '创建日期', '更新日期', '到期日',
      '标签', '模块', '影响版本', '修复版本', '描述', '没有描述。', '环境', '自定义字段', '备注（1）', '编辑于 ', '刷新', '在浏览器中打开', '复制关键字']) {
      assert.ok(html.includes(word), `no ${word} on the page`);
    }
    for (const word of ['>Details<', '>Assignee<', '>Reporter<', '>Refresh<', '>Copy Key<', '>Comments', 'edited ', 'in the browser']) {
      assert.ok(!html.includes(word), `English ${word} left on the page`);
    }
    assert.match(html, /<html lang="zh-cn">/);
    // The page's script is the same in every language: it has no words of its own.
    const script = (h: string) => /<script nonce="n0nce">([\s\S]*?)<\/script>/.exec(h)?.[1];
    assert.equal(script(html), script(en));
    assert.match(loadingHtml('PROJ-7', OPTS), /正在加载 PROJ-7…/);
    assert.match(errorHtml('PROJ-7', 'x', OPTS), /title="刷新">刷新</);
  });

  it('shows the trees\' own words in Chinese', async () => {
    useZh();
    const md = issueTooltip({ key: 'A-1', summary: 'S', status: 'Open', statusCategory: 'new', type: 'Bug', priority: 'High', assignee: undefined, reporter: 'Bob', updated: 0 });
    assert.match(md, /经办人: \*\*未分配\*\*/);
    assert.match(md, /报告人: \*\*Bob\*\*/);
    assert.equal(countText(50, 1000, true), '50 / 1,000');
    assert.deepEqual(parseFavouriteFilters([{ id: '7' }]).map((f) => f.name), ['过滤器 7']);
    const host: ListHost = {
      session: async () => ({ id: 's', baseUrl: 'https://jira.example.com', page: async () => ({ issues: [], next: undefined, total: 0, deployment: 'Server' }), favouriteFilters: async () => [] }),
      pageSize: () => 50, changed: () => undefined, busy: (w) => w,
    };
    const list = new IssueList(host, 'my', 'x', 'order by key', 'my');
    await list.load();
    assert.deepEqual(list.snapshot().map((n) => 'text' in n && n.text), ['没有与此查询匹配的问题。']);
  });
});

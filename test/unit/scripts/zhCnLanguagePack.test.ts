// scripts/lib/zh-cn.mjs builds code-server's Chinese language pack from codingame's numbered
// translations. A wrong step leaves the sandbox and the Chinese E2E journey in English (or, worse,
// shows a translation of another string), so each step is checked on small made-up inputs.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

interface ZhCn {
  readStringLiteral(s: string, i: number): string | null;
  codingameMessages(root: string): Map<number, { module: string; en: string }>;
  matchTranslations(keys: Array<[string, string[]]>, english: string[], byIndex: Map<number, { module: string; en: string }>, zh: Array<string | undefined>):
    { translations: { version: string; contents: Record<string, Record<string, string>> }; translated: number; total: number };
  registerLanguagePack(userDataDir: string, pack: { id: string; version: string; translations: Record<string, string> }): void;
}

// A real dynamic import (the tests are compiled to CommonJS, which would turn import() into require()).
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<ZhCn>;
const load = () => importEsm(pathToFileURL(join(ROOT, 'scripts', 'lib', 'zh-cn.mjs')).href);

describe('zh-cn language pack for code-server (scripts/lib/zh-cn.mjs)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'jira-zh-cn-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('reading the English text of a localize() call', () => {
    it('decodes the escapes JavaScript allows in a string literal', async () => {
      const { readStringLiteral } = await load();
      assert.equal(readStringLiteral(String.raw`"a \"b\" \n \u4e2d \u{6587} \x41 c\\d"`, 0), 'a "b" \n 中 文 A c\\d');
      assert.equal(readStringLiteral(String.raw`'it\'s'`, 0), "it's");
      assert.equal(readStringLiteral('`one\\\ntwo`', 0), 'onetwo');
    });

    it('gives nothing for what is not a fixed text: a template with ${}, an unterminated or missing literal', async () => {
      const { readStringLiteral } = await load();
      assert.equal(readStringLiteral('`a ${b}`', 0), null);
      assert.equal(readStringLiteral('"never closed', 0), null);
      assert.equal(readStringLiteral('"broken\nline"', 0), null);
      assert.equal(readStringLiteral('someVariable', 0), null);
    });
  });

  it("numbers codingame's strings by their localize(N, ...) and localize2(N, ...) calls, with the module of their file", async () => {
    const { codingameMessages } = await load();
    const file = join(dir, 'monaco-vscode-api', 'vscode', 'src', 'vs', 'base', 'browser', 'ui', 'x.js');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'const a = ( localize(1, "{0} ({1})", t, k));\nconst b = localize2(2, \'More "Actions"...\');\nlocalize(3, someVariable);\n');
    mkdirSync(join(dir, 'monaco-vscode-other', 'no-sources'), { recursive: true }); // a package without vscode/src
    const byIndex = codingameMessages(dir);
    assert.deepEqual([...byIndex.entries()].sort((a, b) => a[0] - b[0]), [
      [1, { module: 'vs/base/browser/ui/x', en: '{0} ({1})' }],
      [2, { module: 'vs/base/browser/ui/x', en: 'More "Actions"...' }],
    ]);
  });

  describe("matching code-server's strings", () => {
    const byIndex = new Map([
      [1, { module: 'vs/a', en: 'Open' }],
      [2, { module: 'vs/b', en: 'Open' }],
      [3, { module: 'vs/c', en: 'Close' }],
      [4, { module: 'vs/d', en: 'Untranslated' }],
    ]);
    const zh = [undefined, '打开', '开启', '关闭', undefined];

    it('takes the translation of the same module and English text first', async () => {
      const { matchTranslations } = await load();
      const r = matchTranslations([['vs/a', ['open']], ['vs/b', ['open2']]], ['Open', 'Open'], byIndex, zh);
      assert.deepEqual(r.translations.contents, { 'vs/a': { open: '打开' }, 'vs/b': { open2: '开启' } });
    });

    it('else the English text alone, only when all its translations agree; the rest stays English', async () => {
      const { matchTranslations } = await load();
      const r = matchTranslations([['vs/moved', ['close', 'open', 'gone', 'untranslated']]], ['Close', 'Open', 'Gone', 'Untranslated'], byIndex, zh);
      // "Open" has two translations (打开, 开启): ambiguous, so none. "Untranslated" has none in the pack.
      assert.deepEqual(r.translations.contents, { 'vs/moved': { close: '关闭' } });
      assert.equal(r.translated, 1);
      assert.equal(r.total, 4);
      assert.equal(r.translations.version, '1.0.0');
    });
  });

  describe('languagepacks.json in the user data', () => {
    const pack = { id: 'pub.pack', version: '1.139.1', translations: { vscode: '/packs/main.i18n.json' } };

    it('is written as VS Code writes it: hash of id and version, the extension, its translations, the label', async () => {
      const { registerLanguagePack } = await load();
      writeFileSync(join(dir, 'languagepacks.json'), JSON.stringify({ fr: { hash: 'x', extensions: [], translations: {}, label: 'français' } }));
      registerLanguagePack(dir, pack);
      const packs = JSON.parse(readFileSync(join(dir, 'languagepacks.json'), 'utf8'));
      assert.deepEqual(packs['zh-cn'], {
        hash: createHash('md5').update('pub.pack').update('1.139.1').digest('hex'),
        extensions: [{ extensionIdentifier: { id: 'pub.pack' }, version: '1.139.1' }],
        translations: { vscode: '/packs/main.i18n.json' },
        label: '中文(简体)',
      });
      assert.equal(packs.fr.label, 'français', 'other languages are kept');
    });

    it('drops the translations code-server generated from an earlier pack, and replaces an unreadable file', async () => {
      const { registerLanguagePack } = await load();
      mkdirSync(join(dir, 'clp', 'old.zh-cn'), { recursive: true });
      writeFileSync(join(dir, 'languagepacks.json'), '{ not json');
      registerLanguagePack(dir, pack);
      assert.equal(existsSync(join(dir, 'clp')), false);
      assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, 'languagepacks.json'), 'utf8'))), ['zh-cn']);
    });
  });
});

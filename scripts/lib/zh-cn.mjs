// The Chinese (Simplified) UI of the cached code-server, offline: a VS Code language pack built
// from npm packages, and a CJK font for the headless Chromium's screenshots. Used by
// `npm run sandbox -- --locale zh-cn` and the E2E journey in the Chinese UI (test/e2e/chinese.e2e.ts).
//
// Why built, not downloaded: VS Code's own zh-cn language pack (MS-CEINTL.vscode-language-pack-zh-hans)
// comes from the Marketplace, which this project's machines cannot reach. npm has the same
// translations (vscode-loc's zh-hans of VS Code 1.108) in @codingame/monaco-vscode-language-pack-zh-hans,
// but as an array numbered by codingame's build (localize(N, "English") in its packages' JS). So:
// number -> English (from @codingame/monaco-vscode-api and a few service-override packages of the
// same version) -> Chinese, then matched to code-server's own strings (out/nls.keys.json +
// nls.messages.json: module, key, English), by module and English, else by English alone when it
// has a single translation. Strings new since 1.108, or in codingame packages not installed here
// (chat, terminal, debug...), stay English.
//
// Why languagepacks.json is written here: code-server reads <user-data-dir>/languagepacks.json when a
// window connects (server-main.js getNLSConfiguration) and builds clp/<hash>.zh-cn/ from the pack's
// main.i18n.json. VS Code's language pack service writes that file when it installs an extension
// with `contributes.localizations`, but `code-server --install-extension` runs the CLI, where that
// service is never created, and the server does not rescan at start: installing a pack from the
// command line leaves no languagepacks.json and the UI stays English. So it is written the way
// VS Code's LanguagePacksCache writes it (hash = md5 of each extension's id and version).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE, VERSIONS, CODE_SERVER_DIR, npm, stamp, stamped } from './vscode-env.mjs';

const T = join(CACHE, 'tools');
export const ZH_CN = {
  /** codingame's packages, all of one version (their numbering is per version). */
  codingame: '25.1.2',
  codingamePackages: ['language-pack-zh-hans', 'views-service-override', 'workbench-service-override',
    'explorer-service-override', 'keybindings-service-override'],
  /** Noto Sans SC (SIL OFL 1.1) as TTF files. */
  font: '@expo-google-fonts/noto-sans-sc@0.4.3',
  fontFiles: ['400Regular/NotoSansSC_400Regular.ttf', '700Bold/NotoSansSC_700Bold.ttf'],
};
/** The language pack extension's identity (as VS Code's Extensions view and languagepacks.json show it). */
export const PACK = { publisher: 'jira-auth-tools', name: 'code-server-language-pack-zh-cn', languageId: 'zh-cn', label: '中文(简体)' };
const PACK_BUILD = 1; // bump when the pack's build changes

function log(msg) { process.stderr.write(`[zh-cn] ${msg}\n`); }

function* jsFiles(dir) {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yield* jsFiles(p); else if (n.endsWith('.js')) yield p;
  }
}

/**
 * The JavaScript string literal starting at `s[i]` (a quote), or null when there is none there or
 * it is a template with `${...}` (not a fixed text).
 */
export function readStringLiteral(s, i) {
  const q = s[i];
  if (q !== '"' && q !== "'" && q !== '`') return null;
  const simple = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };
  let out = '';
  for (i++; i < s.length;) {
    const c = s[i];
    if (c === q) return out;
    if (c === '\n' && q !== '`') return null;
    if (q === '`' && c === '$' && s[i + 1] === '{') return null;
    if (c !== '\\') { out += c; i++; continue; }
    const d = s[i + 1];
    if (d === 'u' && s[i + 2] === '{') {
      const end = s.indexOf('}', i);
      out += String.fromCodePoint(parseInt(s.slice(i + 3, end), 16));
      i = end + 1;
    } else if (d === 'u') {
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (d === 'x') {
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (d === '\r' || d === '\n') {
      i += d === '\r' && s[i + 2] === '\n' ? 3 : 2; // line continuation
    } else {
      out += simple[d] ?? d;
      i += 2;
    }
  }
  return null;
}

/**
 * codingame's numbering: every `localize(N, "English", ...)` / `localize2(N, ...)` in the JS of
 * `root` (node_modules/@codingame), as N -> { module: 'vs/...', en }.
 */
export function codingameMessages(root) {
  const byIndex = new Map();
  const call = /\blocalize2?\(\s*(\d+)\s*,\s*/g;
  for (const pkgDir of readdirSync(root)) {
    const src = join(root, pkgDir, 'vscode', 'src');
    if (!existsSync(src)) continue;
    for (const file of jsFiles(src)) {
      const module = file.slice(src.length + 1, -'.js'.length);
      const text = readFileSync(file, 'utf8');
      for (let m; (m = call.exec(text));) {
        const en = readStringLiteral(text, call.lastIndex);
        if (en !== null) byIndex.set(Number(m[1]), { module, en });
      }
    }
  }
  return byIndex;
}

/**
 * VS Code's main.i18n.json for code-server: { contents: { module: { key: 中文 } } } for each of
 * code-server's strings (`keys`: [[module, [key...]]...], `english`: the messages in that order)
 * that codingame's pack translates. Matched by module and English text; else by the English text
 * alone when every translation of it is the same. Returns { translations, translated, total }.
 */
export function matchTranslations(keys, english, byIndex, zh) {
  const byModule = new Map();
  const byEnglish = new Map();
  for (const [i, { module, en }] of byIndex) {
    const t = zh[i];
    if (typeof t !== 'string' || t === '') continue;
    byModule.set(`${module}\0${en}`, t);
    if (!byEnglish.has(en)) byEnglish.set(en, new Set());
    byEnglish.get(en).add(t);
  }
  const contents = {};
  let n = 0, translated = 0;
  for (const [module, moduleKeys] of keys) {
    for (const key of moduleKeys) {
      const en = english[n++];
      const one = byEnglish.get(en);
      const t = byModule.get(`${module}\0${en}`) ?? (one?.size === 1 ? [...one][0] : undefined);
      if (t === undefined) continue;
      (contents[module] ??= {})[key] = t;
      translated++;
    }
  }
  return { translations: { version: '1.0.0', contents }, translated, total: n };
}

/**
 * Installs (once) codingame's packages and builds the language pack extension in the cache.
 * Returns { dir, id, version, translations: { id: absolute path } }.
 */
export async function ensureZhCnLanguagePack() {
  const src = join(T, 'zh-cn-src');
  const want = `${ZH_CN.codingame} ${ZH_CN.codingamePackages.join(',')}`;
  if (!stamped(src, want)) {
    mkdirSync(src, { recursive: true });
    log(`installing the zh-hans translations (@codingame/monaco-vscode-language-pack-zh-hans ${ZH_CN.codingame} and the packages that number them, ~60 MB)...`);
    npm(['install', '--prefix', src, '--ignore-scripts', ...ZH_CN.codingamePackages.map((p) => `@codingame/monaco-vscode-${p}@${ZH_CN.codingame}`)]);
    stamp(src, want);
  }
  const version = `${VERSIONS.codeServer.replace(/^4\./, '1.')}`;
  const dir = join(T, 'zh-cn-pack');
  const built = `${want} ${VERSIONS.codeServer} ${PACK_BUILD}`;
  const codingame = join(src, 'node_modules', '@codingame');
  const loc = join(codingame, 'monaco-vscode-language-pack-zh-hans', 'translations');
  const extensionFiles = readdirSync(join(loc, 'extensions')).filter((f) => f.endsWith('.i18n.json'));
  if (!stamped(dir, built)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'translations', 'extensions'), { recursive: true });
    const zh = (await import(pathToFileURL(join(loc, 'main.i18n.json.js')).href)).default;
    const out = join(CODE_SERVER_DIR, 'lib', 'vscode', 'out');
    const keys = JSON.parse(readFileSync(join(out, 'nls.keys.json'), 'utf8'));
    const english = JSON.parse(readFileSync(join(out, 'nls.messages.json'), 'utf8'));
    const { translations, translated, total } = matchTranslations(keys, english, codingameMessages(codingame), zh);
    writeFileSync(join(dir, 'translations', 'main.i18n.json'), JSON.stringify(translations));
    for (const f of extensionFiles) copyFileSync(join(loc, 'extensions', f), join(dir, 'translations', 'extensions', f));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: PACK.name, publisher: PACK.publisher, version, license: 'MIT',
      displayName: 'Chinese (Simplified) Language Pack for code-server (built for the Jira Auth tests)',
      description: `vscode-loc zh-hans (VS Code 1.108) from @codingame/monaco-vscode-language-pack-zh-hans ${ZH_CN.codingame}, matched to code-server ${VERSIONS.codeServer}`,
      engines: { vscode: `^${version}` }, categories: ['Language Packs'],
      contributes: { localizations: [{ languageId: PACK.languageId, languageName: 'Chinese Simplified', localizedLanguageName: PACK.label,
        translations: [{ id: 'vscode', path: './translations/main.i18n.json' },
          ...extensionFiles.map((f) => ({ id: f.replace(/\.i18n\.json$/, ''), path: `./translations/extensions/${f}` }))] }] },
    }, null, 2));
    stamp(dir, built);
    log(`language pack built: ${translated} of ${total} VS Code strings in Chinese`);
  }
  const translations = { vscode: join(dir, 'translations', 'main.i18n.json') };
  for (const f of extensionFiles) translations[f.replace(/\.i18n\.json$/, '')] = join(dir, 'translations', 'extensions', f);
  return { dir, id: `${PACK.publisher}.${PACK.name}`, version, translations };
}

/**
 * Makes code-server's `userDataDir` know the pack, as VS Code's LanguagePacksCache would after
 * installing it: <user-data-dir>/languagepacks.json. Drops the translations code-server generated
 * from an earlier pack (clp/), which it keys by that hash only.
 */
export function registerLanguagePack(userDataDir, pack) {
  const file = join(userDataDir, 'languagepacks.json');
  let packs = {};
  try { packs = JSON.parse(readFileSync(file, 'utf8')); } catch { /* none yet */ }
  packs[PACK.languageId] = {
    hash: createHash('md5').update(pack.id).update(pack.version).digest('hex'),
    extensions: [{ extensionIdentifier: { id: pack.id }, version: pack.version }],
    translations: pack.translations,
    label: PACK.label,
  };
  mkdirSync(userDataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(packs));
  rmSync(join(userDataDir, 'clp'), { recursive: true, force: true });
}

/**
 * A CJK font for the headless Chromium (once): Noto Sans SC from npm, regular and bold (~21 MB of
 * the 57 MB package are kept), and a fontconfig file that names only this font. Chromium finds it
 * through FONTCONFIG_FILE and sees none of the system's fonts: the screenshots look the same on
 * every machine, and each run shows that a machine without CJK fonts needs nothing else.
 * Returns that file's path.
 */
export function ensureCjkFont() {
  const dir = join(T, 'cjk-font');
  const conf = join(dir, 'fonts.conf');
  if (stamped(dir, `${ZH_CN.font} only`) && existsSync(conf)) return conf;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`installing a CJK font for the screenshots (${ZH_CN.font}, Noto Sans SC, 57 MB download, 21 MB kept)...`);
  npm(['pack', '--pack-destination', dir, ZH_CN.font]);
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['-xzf', tgz, '--strip-components=2', '--wildcards', ...ZH_CN.fontFiles.map((f) => `package/${f}`)], { cwd: dir });
  execFileSync('tar', ['-xzf', tgz, '--strip-components=1', 'package/LICENSE_FONT'], { cwd: dir });
  rmSync(join(dir, tgz));
  writeFileSync(conf, fontconfig(dir));
  stamp(dir, `${ZH_CN.font} only`);
  return conf;
}

/** A fontconfig file with the fonts in `dir` and no others. */
function fontconfig(dir) {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${dir}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
</fontconfig>
`;
}

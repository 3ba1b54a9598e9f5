// The VSIX as the Marketplace, Open VSX and VS Code's Extensions view get it: built with
// `npm run package` (offline) and unpacked here. Its page must be the user-facing one with every
// image and link resolving, and the manifest must be complete and acceptable to both galleries.
// See docs/publishing.md.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/**
 * The files of a zip archive, names in lower case (as VS Code and the galleries match them). A few
 * lines of Node instead of vsce's reader, which needs Node 20 (these tests also run on Node 16).
 */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'not a zip archive');
  const files = new Map<string, Buffer>();
  let at = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'damaged central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    files.set(name.toLowerCase(), method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

const REPO = 'https://github.com/jira-auth-project/vscode-jira-auth';

/** Every link and image of a Markdown page (Markdown syntax and HTML tags), as vsce reads them. */
export function references(markdown: string): Array<{ image: boolean; target: string }> {
  const out: Array<{ image: boolean; target: string }> = [];
  for (const m of markdown.matchAll(/(!?)\[(?:[^\][]*|!\[[^\][]*]\([^)]+\))\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ image: m[1] === '!', target: m[2] });
  for (const m of markdown.matchAll(/<img[^>]+src=["']([^"']+)["']/g)) out.push({ image: true, target: m[1] });
  for (const m of markdown.matchAll(/<a[^>]+href=["']([^"']+)["']/g)) out.push({ image: false, target: m[1] });
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Why a reference of a packaged page would be broken, or undefined when it resolves. */
export function brokenReason(ref: { image: boolean; target: string }, page: string): string | undefined {
  const { image, target } = ref;
  if (target.startsWith('#')) {
    const anchors = [...page.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]));
    return anchors.includes(target.slice(1)) ? undefined : 'no heading has this anchor';
  }
  if (!/^https:\/\//.test(target)) return 'not an https URL (vsce did not rewrite it, so it breaks on the Marketplace)';
  const file = new RegExp(`^${REPO}/(raw|blob)/HEAD/([^#?]+)`).exec(target);
  if (file) {
    if (image && file[1] !== 'raw') return 'an image must be a raw URL';
    if (!existsSync(join(ROOT, decodeURI(file[2])))) return `${file[2]} is not in the repository`;
    if (image && !/\.(png|jpe?g|gif)$/i.test(file[2])) return 'the galleries show only PNG, JPEG and GIF images';
    return undefined;
  }
  if (!image && (target === pkg.bugs.url || target === pkg.homepage)) return undefined;
  return 'points outside the repository: it cannot be checked offline';
}

type Walkthroughs = Array<{ steps: Array<{ media: { image?: string | Record<string, string>; markdown?: string } }> }>;

/** The media files of every walkthrough step, with `%key%` paths looked up in each language's package.nls. */
function walkthroughMedia(manifest: { contributes: { walkthroughs: Walkthroughs } }, languages: Array<Record<string, string>>): string[] {
  const paths = manifest.contributes.walkthroughs
    .flatMap((w) => w.steps.flatMap((s) => [s.media.image, s.media.markdown]))
    .flatMap((m) => (typeof m === 'object' ? Object.values(m) : m ? [m] : []));
  const resolved = paths.flatMap((p) => (/^%.+%$/.test(p) ? languages.map((nls) => nls[p.slice(1, -1)]) : [p]));
  assert.deepEqual(resolved.filter((p) => !p), [], 'a walkthrough image key is missing from a package.nls file');
  return [...new Set(resolved)];
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('the VSIX (npm run package)', function () {
  this.timeout(180000);
  let files: Map<string, Buffer>;
  const text = (name: string): string => {
    const data = files.get(name.toLowerCase());
    assert.ok(data, `${name} is not in the VSIX`);
    return data.toString('utf8');
  };

  before(() => {
    execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: 'pipe' });
    files = readZip(readFileSync(join(ROOT, 'jira-auth.vsix')));
  });

  it('shows the user-facing page, not the developer README', () => {
    const page = text('extension/readme.md');
    assert.match(page, /^# Jira Auth\n/);
    assert.doesNotMatch(page, /npm ci|npm run sandbox/, 'the developer commands belong to the repository README');
    assert.equal(page.includes('Getting started'), true);
  });

  for (const name of ['extension/readme.md', 'extension/changelog.md']) {
    it(`resolves every image and link of ${name.slice(10)}`, () => {
      const page = text(name);
      const refs = references(page);
      if (name.endsWith('readme.md')) assert.ok(refs.filter((r) => r.image).length >= 10, `only ${refs.length} references found: is the reader broken?`);
      const broken = refs.map((r) => ({ ...r, why: brokenReason(r, page) })).filter((r) => r.why);
      assert.deepEqual(broken, []);
    });
  }

  it('refuses what the galleries refuse: relative, http, SVG, missing and outside references', () => {
    const page = '# Title\n## Set up';
    const why = (target: string, image = true) => brokenReason({ image, target }, page);
    assert.match(why('docs/screenshots/views-my-issues.png')!, /not an https URL/);
    assert.match(why(`${REPO}/raw/HEAD/docs/missing.png`)!, /not in the repository/);
    assert.match(why(`${REPO}/raw/HEAD/media/jira.svg`)!, /only PNG/);
    assert.match(why(`${REPO}/blob/HEAD/docs/screenshots/views-my-issues.png`)!, /raw URL/);
    assert.match(why('https://example.com/a.png')!, /outside the repository/);
    assert.match(why('#nowhere', false)!, /no heading/);
    assert.equal(why('#set-up', false), undefined);
    assert.equal(why(`${REPO}/blob/HEAD/docs/troubleshooting.md`, false), undefined);
  });

  it('holds every file the manifest names: a 128x128 PNG icon, walkthrough media in each language, l10n bundles', () => {
    const manifest = JSON.parse(text('extension/package.json'));
    assert.deepEqual(pngSize(files.get(`extension/${manifest.icon}`.toLowerCase())!), [128, 128]);
    const media = walkthroughMedia(manifest, [JSON.parse(text('extension/package.nls.json')), JSON.parse(text('extension/package.nls.zh-cn.json'))]);
    assert.ok(media.length >= 10, `only ${media.length} walkthrough images`);
    for (const m of media.filter((p) => p.endsWith('.svg'))) assert.match(text(`extension/${m}`), /^<svg [^>]*width="\d+" height="\d+"/, `${m} is not an SVG with a size`);
    for (const path of [...media, `${manifest.l10n.slice(2)}/bundle.l10n.zh-cn.json`, 'package.nls.zh-cn.json', manifest.main.slice(2)]) {
      assert.ok(files.has(`extension/${path}`.toLowerCase()), `${path} is named by the manifest but not in the VSIX`);
    }
    assert.ok(![...files.keys()].some((f) => /^extension\/(src|test|docs|node_modules|out)\//.test(f)), 'sources or tests were packaged');
  });

  it('draws the Chinese walkthrough images without English words (names and code aside)', () => {
    const zh = JSON.parse(text('extension/package.nls.zh-cn.json')) as Record<string, string>;
    const images = Object.entries(zh).filter(([k]) => /^walkthrough\..+\.image$/.test(k)).map(([, v]) => v);
    assert.ok(images.length >= 7);
    const NAMES = /Visual Studio Code|VS Code|Jira|Atlassian|OAuth 2\.0|-----[A-Z ]+-----|\S*[:/.]\S*/g;
    for (const image of images) {
      assert.match(image, /\/zh-cn\//, `${image} is not a Chinese image`);
      const words = [...text(`extension/${image}`).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(NAMES, ''));
      assert.deepEqual(words.filter((w) => /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(w)), [], `${image} has English text`);
    }
  });

  it('has the manifest a published extension needs', () => {
    assert.equal(pkg.private, undefined, '"private" keeps it from being published');
    for (const url of [pkg.repository.url, pkg.bugs.url, pkg.homepage]) assert.ok(url.startsWith(REPO), `${url} is not the project's repository`);
    assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(pkg.categories.length > 0 && pkg.keywords.length >= 5 && pkg.keywords.length <= 30, 'categories and 5 to 30 keywords');
    assert.match(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}\\b`, 'm'), 'no changelog entry for this version');
  });

  it('passes `vsce ls` offline, listing the user-facing page', () => {
    const out = execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--readme-path', 'README.marketplace.md'], { cwd: ROOT, encoding: 'utf8' });
    const listed = out.split('\n').filter(Boolean);
    assert.ok(listed.includes('README.marketplace.md') && listed.includes('dist/extension.js'), out);
    assert.ok(!listed.includes('README.md'), 'the developer README is packaged');
  });

  it('is acceptable to Open VSX: namespace and name, a licence, no proposed APIs', () => {
    const manifest = JSON.parse(text('extension/package.json'));
    // Open VSX namespaces and names: letters, digits, '-', '+', '$', '~' (openvsx's NamingUtil).
    assert.match(manifest.publisher, /^[\w\-+$~]+$/);
    assert.match(manifest.name, /^[\w\-+$~]+$/);
    assert.notEqual(manifest.publisher, 'jira-auth', 'the placeholder publisher is back: see docs/publishing.md');
    assert.equal(manifest.license, 'MIT');
    assert.match(text('extension/LICENSE.txt'), /MIT License/);
    assert.equal(manifest.enabledApiProposals, undefined, 'proposed APIs cannot be published');
    assert.match(manifest.engines.vscode, /^\^1\.\d+\.\d+$/);
  });

  it('names the same redirect URI everywhere as the manifest: publisher.name', () => {
    const uri = `vscode://${pkg.publisher}.${pkg.name}/oauth2-callback`;
    for (const doc of ['README.md', 'README.marketplace.md', 'CHANGELOG.md', 'docs/publishing.md']) {
      const content = readFileSync(join(ROOT, doc), 'utf8');
      assert.ok(content.includes(uri), `${doc} does not name ${uri}`);
      assert.deepEqual(content.match(/vscode:\/\/[\w.-]+\/oauth2-callback/g)!.filter((u) => u !== uri), [], `${doc} names another redirect URI`);
    }
  });
});

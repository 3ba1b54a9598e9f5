// The guard of the E2E suite: no journey under test/e2e takes a path a user cannot take (see
// shortcuts.ts). The first tests prove each rule catches its shortcut, so that the last one,
// which scans the real journeys, can fail.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findShortcuts } from './shortcuts';

function e2eDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'test', 'e2e');
}

describe('E2E guard: journeys take no shortcut a user cannot take', () => {
  const caught: Array<[what: string, source: string]> = [
    ['the old direct(): goto to the un-forwarded address', "  if (m) await page.goto(`http://127.0.0.1:${m[1]}${m[2]}`);"],
    ['a regular expression that takes a forwarded address apart', '  const m = /^https?:\\/\\/[^/]+\\/(?:abs)?proxy\\/(\\d+)(\\/.*)$/.exec(page.url());'],
    ['goto to a page built by the test', "  await authorize.goto(wb.emulator.url + '/plugins/servlet/oauth/authorize?oauth_token=' + t);"],
    ['a stubbed page', "  await context.route('http://127.0.0.1:*/**', (r) => r.fulfill({ body: '<h1>ok</h1>' }));"],
    ['navigation by script', "  await page.evaluate(() => { location.href = '/plugins/servlet/oauth/authorize'; });"],
    ['a form posted outside the browser', "  await fetch(`${wb.emulator.url}/plugins/servlet/oauth/authorize`, { method: 'POST', body });"],
    ["Playwright's request API", '  await page.request.post(url, { form: { approve: "Allow" } });'],
    ['the application link created by the test instead of the administrator', '  wb.emulator.addLink({ consumerKey: KEY, publicKeyPem: pem });'],
    ['a token expired by a call', '  wb.emulator.oauth2.expireAccessTokens();'],
    ['an emulator started in the middle of a journey', '  const other = await startEmulator({ port: 0 });'],
  ];
  for (const [what, source] of caught) {
    it(`catches ${what}`, () => {
      const found = findShortcuts('x.e2e.ts', source);
      assert.equal(found.length, 1, JSON.stringify(found));
    });
  }

  it('lets a declared start or fixture through, with its reason (on the line above or at its end)', () => {
    const declared = [
      '  // e2e-guard: start: the user opens the VS Code URL the sandbox printed.',
      '  await page.goto(vscodeUrl);',
      '  wb.emulator.oauth2.expireAccessTokens(); // e2e-guard: fixture: the token\'s lifetime runs out.',
    ].join('\n');
    assert.deepEqual(findShortcuts('x.e2e.ts', declared), []);
    // A marker without a reason does not count; nor does one two lines above.
    assert.equal(findShortcuts('x.e2e.ts', '  // e2e-guard: fixture:\n  wb.emulator.addLink(l);').length, 1);
    assert.equal(findShortcuts('x.e2e.ts', '  // e2e-guard: fixture: seed\n  const a = 1;\n  wb.emulator.addLink(l);').length, 1);
  });

  it('lets observation through: reading the requests, stats and issued tokens, closing', () => {
    const reads = [
      "  assert.equal(wb.emulator.requests.filter((r) => r.status === 401).length, 1);",
      '  const before = wb.emulator.oauth2.stats.refreshes;',
      '  for (const v of emulator.issuedTokens()) out.push(v);',
      '  await emulator.close();',
      "  assert.equal(popup.url(), forwarded(wb, '/browse/DEMO-1'));",
    ].join('\n');
    assert.deepEqual(findShortcuts('x.e2e.ts', reads), []);
  });

  it('finds none in test/e2e', () => {
    const dir = e2eDir();
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 5, `the journeys are in ${dir}`);
    const found = files.flatMap((f) => findShortcuts(f, readFileSync(join(dir, f), 'utf8')));
    assert.deepEqual(found.map((s) => `${s.file}:${s.line}: ${s.rule}: ${s.text}`), []);
  });
});

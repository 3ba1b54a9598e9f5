import * as assert from 'node:assert/strict';
import { startEmulator, Emulator } from '../../emulator';
import { resolveInPage } from '../pageLinks';
import { formBody, formInputs, http } from './helpers';

// A Jira with a context path (/jira) serves every page under it, the personal-access-token page
// and OAuth 2.0 too, not only REST and OAuth 1.0a (oauth1.test.ts): the E2E journeys sign in to
// such a site with each method. Outside the context path there is nothing.
describe('emulator under the context path /jira: the PAT page and OAuth 2.0', () => {
  let emu: Emulator;
  let origin: string;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, contextPath: '/jira' });
    origin = new URL(emu.url).origin;
  });
  afterEach(async () => emu.close());

  it("creates a personal access token on the profile page under /jira; the token signs in to /jira's REST API only", async () => {
    const pageUrl = `${emu.url}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens`;
    const page = await http(pageUrl);
    assert.equal(page.status, 200);
    const action = /<form id="create-pat-form" method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const target = resolveInPage(pageUrl, page.body, action.replace(/&amp;/g, '&'));
    assert.ok(target.startsWith(`${emu.url}/secure/ViewProfile.jspa?`), target);
    const created = await http(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ ...formInputs(page.body, 'create-pat-form'), name: 'VS Code' }),
    });
    const token = /<code id="pat-token">([^<]+)<\/code>/.exec(created.body)?.[1] ?? '';
    assert.ok(token, created.body.slice(0, 300));
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await http(`${emu.url}/rest/api/2/myself`, { headers: bearer })).status, 200);
    assert.equal((await http(`${origin}/rest/api/2/myself`, { headers: bearer })).status, 404);
    assert.equal((await http(`${origin}/secure/ViewProfile.jspa`)).status, 404);
  });

  it("answers OAuth 2.0's authorize and token endpoints under /jira, and 404 outside it", async () => {
    const authorize = await http(`${emu.url}/rest/oauth2/latest/authorize?client_id=unknown&response_type=code`);
    assert.notEqual(authorize.status, 404);
    const token = await http(`${emu.url}/rest/oauth2/latest/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=x' });
    assert.notEqual(token.status, 404);
    assert.match(String(token.headers['content-type']), /json/);
    assert.equal((await http(`${origin}/rest/oauth2/latest/authorize?client_id=unknown&response_type=code`)).status, 404);
    assert.equal((await http(`${origin}/rest/oauth2/latest/token`, { method: 'POST', body: '' })).status, 404);
  });
});

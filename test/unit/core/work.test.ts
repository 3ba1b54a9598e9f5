// Working on an issue (src/core/work.ts) against the emulator, for every sign-in method of each
// deployment: the emulator checks each request's credentials (OAuth 1.0a: the RSA-SHA1 signature
// of the POST and PUT with a JSON body, which is not part of the base string) and applies the
// write, which the test then reads back.
import * as assert from 'node:assert/strict';
import {
  accessibleResources,
  buildAuthorizeUrl,
  CLOUD_AUTHORIZE_EXTRA,
  cloudApiBaseUrl,
  cloudEndpoints,
  createJiraClient,
  createPkce,
  dataCenterEndpoints,
  exchangeCode,
  generateKeyPair,
  JiraClient,
  KeyPair,
  parseRedirect,
  randomState,
} from '../../../src/core';
import { Deployment, jiraErrorMessages } from '../../../src/core/search';
import { addComment, assignIssue, firstInProgress, getTransitions, myself, searchAssignable, transitionIssue } from '../../../src/core/work';
import { transportFor } from '../../../src/views/session';
import { Emulator, startEmulator } from '../../emulator';
import { MESSAGES } from '../../emulator/workflow';
import { CONSUMER, signIn } from './oauth1.helpers';
import { consent } from './oauth2.helpers';

const PAT = 'work-pat';
const API_TOKEN = 'work-api-token';
const CLIENT = { clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret' };
const REDIRECT = 'http://127.0.0.1:53682/callback';

interface Method {
  auth: 'oauth1' | 'pat' | 'basic' | 'oauth2';
  /** keys: the application link's key pair (OAuth 1.0a). */
  client(emu: Emulator, keys: KeyPair): Promise<JiraClient>;
}

async function oauth2DataCenter(emu: Emulator): Promise<JiraClient> {
  const endpoints = dataCenterEndpoints(emu.url);
  const pkce = createPkce();
  const state = randomState();
  const location = await consent(buildAuthorizeUrl({ endpoints, clientId: CLIENT.clientId, redirectUri: REDIRECT, scopes: ['READ', 'WRITE'], state, pkce }));
  const { code } = parseRedirect(location, state);
  const t = await exchangeCode({ endpoints, ...CLIENT, code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
  return createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', accessToken: t.accessToken } });
}

async function oauth2Cloud(emu: Emulator): Promise<JiraClient> {
  const endpoints = cloudEndpoints(emu.cloudEndpoints);
  const state = randomState();
  const scopes = ['read:jira-work', 'write:jira-work', 'read:jira-user'];
  const location = await consent(buildAuthorizeUrl({ endpoints, clientId: CLIENT.clientId, redirectUri: REDIRECT, scopes, state, extra: { ...CLOUD_AUTHORIZE_EXTRA } }));
  const t = await exchangeCode({ endpoints, ...CLIENT, code: parseRedirect(location, state).code, redirectUri: REDIRECT });
  // The first site of the emulator's accessible resources is the site itself.
  const [site] = await accessibleResources({ endpoints, accessToken: t.accessToken });
  return createJiraClient({ baseUrl: cloudApiBaseUrl(endpoints, site.id), auth: { type: 'oauth2', accessToken: t.accessToken } });
}

function deploymentSuite(deployment: Deployment, methods: Method[]): void {
  describe(`core/work on ${deployment === 'Cloud' ? 'Jira Cloud' : 'Data Center'}`, function () {
    this.timeout(60_000);
    let emu: Emulator;
    let keys: KeyPair;
    let todo: string[];

    before(async () => {
      keys = await generateKeyPair();
      emu = await startEmulator({
        issueCount: 80,
        deploymentType: deployment,
        links: [{ consumerKey: CONSUMER, name: 'VS Code', publicKeyPem: keys.publicKeyPem }],
        pats: deployment === 'Cloud' ? {} : { [PAT]: 'admin' },
        apiTokens: deployment === 'Cloud' ? { [API_TOKEN]: 'admin' } : {},
      });
      // Issues in To Do, one per method, so that each test starts from the same state.
      const c = createJiraClient({ baseUrl: emu.url, auth: deployment === 'Cloud' ? { type: 'basic', username: 'admin@example.com', password: API_TOKEN } : { type: 'pat', token: PAT } });
      const path = deployment === 'Cloud' ? '/rest/api/3/search/jql' : '/rest/api/2/search';
      const found = await c.request<{ issues: Array<{ key: string }> }>('GET', path, { query: { jql: 'status = "To Do" ORDER BY key ASC', maxResults: 20, fields: 'summary' } });
      todo = found.body.issues.map((i) => i.key);
    });
    after(() => emu?.close());

    const fields = async (client: JiraClient, key: string) =>
      (await client.request<{ fields: { status: { name: string }; assignee: { displayName: string } | null; comment: { comments: Array<{ body: string }> } } }>('GET', `/rest/api/2/issue/${key}`, { query: { fields: 'status,assignee,comment' } })).body.fields;

    methods.forEach((m, i) => {
      it(`${m.auth}: transition, comment, assign to me and to a user found by search; each write sent once and accepted`, async () => {
        const client = await m.client(emu, keys);
        const t = transportFor(client);
        const key = todo[i];
        const from = emu.requests.length;

        const me = await myself(t, deployment);
        const start = firstInProgress(await getTransitions(t, key));
        assert.deepEqual([start?.id, start?.to.name], ['11', 'In Progress']);
        await transitionIssue(t, key, start!.id);
        await addComment(t, key, 'Started *work*\non it');
        await assignIssue(t, deployment, key, me.id);
        let f = await fields(client, key);
        assert.equal(f.status.name, 'In Progress');
        assert.equal(f.comment.comments[f.comment.comments.length - 1].body, 'Started *work*\non it');
        assert.equal(f.assignee?.displayName, 'Alice Admin');

        const [bob] = await searchAssignable(t, deployment, key, 'bob');
        assert.equal(bob.displayName, 'Bob Builder');
        await assignIssue(t, deployment, key, bob.id);
        f = await fields(client, key);
        assert.equal(f.assignee?.displayName, 'Bob Builder');

        const writes = emu.requests.slice(from).filter((r) => r.method !== 'GET');
        assert.deepEqual(writes.map((r) => [r.method, r.path.replace(/^.*\/rest\//, '/rest/'), r.status, r.auth]), [
          ['POST', `/rest/api/2/issue/${key}/transitions`, 204, m.auth],
          ['POST', `/rest/api/2/issue/${key}/comment`, 201, m.auth],
          ['PUT', `/rest/api/2/issue/${key}/assignee`, 204, m.auth],
          ['PUT', `/rest/api/2/issue/${key}/assignee`, 204, m.auth],
        ]);
        assert.ok(writes.every((r) => r.oauthProblem === undefined));
      });
    });

    it('a refused write rejects with Jira\'s own words and changes nothing', async () => {
      const client = await methods[0].client(emu, keys);
      const t = transportFor(client);
      const key = todo[methods.length];
      const refused = await getTransitions(t, key).then(() => transitionIssue(t, key, '41')).then(() => undefined, (e: unknown) => e);
      assert.deepEqual(jiraErrorMessages(refused), [MESSAGES.invalidTransition('41')]);
      const done = (await getTransitions(t, key)).find((x) => x.to.category === 'done')!;
      assert.deepEqual(done.required.map((r) => [r.id, r.allowedValues?.map((v) => v.name)]), [['resolution', ['Done', "Won't Do", 'Duplicate']]]);
      const noResolution = await transitionIssue(t, key, done.id).then(() => undefined, (e: unknown) => e);
      assert.deepEqual(jiraErrorMessages(noResolution), [MESSAGES.resolutionRequired]);
      assert.equal((await fields(client, key)).status.name, 'To Do');
    });
  });
}

deploymentSuite('Server', [
  { auth: 'oauth1', client: (emu, keys) => signIn(emu, keys) },
  { auth: 'pat', client: async (emu) => createJiraClient({ baseUrl: emu.url, auth: { type: 'pat', token: PAT } }) },
  { auth: 'basic', client: async (emu) => createJiraClient({ baseUrl: emu.url, auth: { type: 'basic', username: 'admin', password: 'admin' } }) },
  { auth: 'oauth2', client: oauth2DataCenter },
]);

deploymentSuite('Cloud', [
  { auth: 'basic', client: async (emu) => createJiraClient({ baseUrl: emu.url, auth: { type: 'basic', username: 'admin@example.com', password: API_TOKEN } }) },
  { auth: 'oauth1', client: (emu, keys) => signIn(emu, keys) },
  { auth: 'oauth2', client: oauth2Cloud },
]);

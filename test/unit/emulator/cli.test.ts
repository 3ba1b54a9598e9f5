// The CLI, spawned from the compiled JavaScript as the other test suites and the sandbox do.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dance, fullDance, http, json, restGet, rsaKeyPair } from './helpers';

const CLI = join(__dirname, '..', '..', 'emulator', 'cli.js');

function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; stdout: () => string; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        const first = out.slice(0, nl);
        const m = /^LISTENING (http:\/\/\S+)$/.exec(first);
        if (m) resolve({ child, url: m[1], stdout: () => out, stderr: () => err });
        else reject(new Error(`first stdout line was not LISTENING: ${first}`));
      }
    });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => reject(new Error(`cli exited with ${code}: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on('exit', (code) => resolve(code));
  });
}

describe('emulator CLI', () => {
  it('prints LISTENING <url> first, serves, logs requests without secrets, and exits 0 on SIGTERM', async () => {
    const keys = await rsaKeyPair();
    const dir = mkdtempSync(join(tmpdir(), 'jira-emu-cli-'));
    const pem = join(dir, 'public.pem');
    writeFileSync(pem, keys.publicPem);
    const cli = await startCli(['--port', '0', '--context-path', '/jira', '--issues', '42', '--link', `cli-key=${pem}:CLI App`, '--pat', 'pat-cli=bob', '--clock-skew', '0']);
    try {
      assert.match(cli.url, /^http:\/\/127\.0\.0\.1:\d+\/jira$/);
      const s = await http(`${cli.url}/rest/api/2/search?maxResults=0`, { headers: { Authorization: 'Bearer pat-cli' } });
      assert.equal(json(s).total, 42);
      const d: Dance = { base: cli.url, consumerKey: 'cli-key', privateKey: keys.privateKey };
      const at = await fullDance(d);
      assert.equal(json(await restGet(d, at.token, '/rest/api/2/myself')).name, 'admin');
      await http(`${cli.url}/plugins/servlet/oauth/access-token`, { method: 'POST', headers: { Authorization: 'OAuth oauth_token="x"' } });
      await new Promise((r) => setTimeout(r, 100));
      const log = cli.stderr();
      assert.match(log, /GET \/jira\/rest\/api\/2\/search 200/);
      assert.match(log, /POST \/jira\/plugins\/servlet\/oauth\/access-token 401 token_rejected/);
      assert.doesNotMatch(log, new RegExp(`${at.token}|${at.secret}|pat-cli|oauth_signature|Bearer|OAuth `));
      assert.doesNotMatch(log, /oauth_token=/);
      assert.match(cli.stdout(), /listApplicationLinks/);
    } finally {
      cli.child.kill('SIGTERM');
    }
    assert.equal(await exited(cli.child), 0);
  });

  it('SIGINT stops it too; bad flags exit non-zero', async () => {
    const cli = await startCli(['--port', '0']);
    cli.child.kill('SIGINT');
    assert.equal(await exited(cli.child), 0);
    const bad = spawn(process.execPath, [CLI, '--issues', 'many'], { stdio: 'ignore' });
    assert.notEqual(await exited(bad), 0);
  });
});

// `npm run sandbox`: the product, running. Starts the Jira emulator and a real VS Code (code-server)
// with this extension loaded from the working tree, prints both URLs and what to try, and stops
// everything on Ctrl+C.
//   npm run sandbox -- [--preset-link] [--context-path /jira] [--issues N] [--port PORT] [--locale zh-cn]
import { symlinkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, EXTENSION_ID, pkg, ensureCodeServer, startCodeServer, freshDir } from './lib/vscode-env.mjs';
import { startFixtureEmulator } from './lib/emulator-fixture.mjs';
import { ensureZhCnLanguagePack, registerLanguagePack, PACK } from './lib/zh-cn.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
if (flag('--help')) {
  console.log('npm run sandbox -- [--preset-link] [--context-path /jira] [--issues N] [--port PORT] [--locale zh-cn]');
  console.log('  --locale zh-cn  VS Code in Chinese (Simplified): builds a language pack from npm once (see the README)');
  process.exit(0);
}
const locale = value('--locale', 'en').toLowerCase();
if (locale !== 'en' && locale !== PACK.languageId) {
  console.error(`--locale ${locale}: the sandbox offers English (the default) and ${PACK.languageId} (Chinese, Simplified).`);
  process.exit(2);
}

async function main() {
  ensureCodeServer();
  const runDir = freshDir('sandbox');
  const { emulator, env } = await startFixtureEmulator(runDir, {
    noPresetLink: !flag('--preset-link'),
    emulator: { contextPath: value('--context-path', ''), issueCount: Number(value('--issues', '300')) },
  });
  const exts = join(runDir, 'exts');
  mkdirSync(exts, { recursive: true });
  symlinkSync(ROOT, join(exts, `${EXTENSION_ID}-${pkg.version}`));
  const localeArgs = [];
  if (locale === PACK.languageId) {
    // Installed beside the extension, and registered in the user data where code-server looks for it.
    const pack = await ensureZhCnLanguagePack();
    symlinkSync(pack.dir, join(exts, `${pack.id}-${pack.version}`));
    registerLanguagePack(join(runDir, 'data'), pack);
    localeArgs.push('--locale', locale);
  }
  // Outside the git clone (the cache is inside it), or VS Code offers to open the parent repository.
  const workspace = mkdtempSync(join(tmpdir(), 'jira-sandbox-workspace-'));
  writeFileSync(join(workspace, 'README.md'), `# Jira sandbox\n\nRun **Jira: Sign In** from the command palette (F1) and enter ${emulator.url}\n`);
  const port = value('--port', '0');
  const cs = await startCodeServer({ runDir, args: ['--link-protection-trusted-domains', new URL(emulator.url).origin, ...localeArgs, ...(port !== '0' ? ['--bind-addr', `127.0.0.1:${port}`] : [])] });
  const vscodeUrl = `${cs.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`
Jira emulator   ${emulator.url}
  application links admin: ${emulator.url}/plugins/servlet/applinks/listApplicationLinks
  users: admin / admin (logged in to the browser pages), bob / bob
${flag('--preset-link') ? `  preset application link: consumer key "${env.JIRA_EMULATOR_CONSUMER_KEY}", private key ${env.JIRA_EMULATOR_PRIVATE_KEY_FILE}\n` : ''}  personal access token for admin: ${env.JIRA_EMULATOR_PAT}  (a throwaway test token)
  OAuth 2.0 (incoming link): client id vscode-jira, client secret vscode-jira-secret

VS Code         ${vscodeUrl}${locale === PACK.languageId ? `
  display language: ${PACK.label} (zh-cn)` : ''}

Open the VS Code URL in a browser, press F1 and run "Jira: Sign In". Enter the emulator URL above as the
site, let the extension generate a key pair, create the application link on the admin page (the
walkthrough shows how), then click Allow: VS Code continues by itself.
Logs: ${cs.logFile}
Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return; stopping = true;
    console.log('\nstopping...');
    cs.stop();
    await emulator.close();
    rmSync(workspace, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  cs.child.on('exit', (code) => { if (!stopping) { console.error(`code-server exited (${code}); see ${cs.logFile}`); stop(); } });
}

main().catch((e) => { console.error(e.message ?? e); process.exit(1); });

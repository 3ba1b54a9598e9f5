// Runs the Jira emulator from a terminal:
//   node out/test/emulator/cli.js [--port 0] [--host 127.0.0.1] [--context-path /jira] [--base-url URL]
//     [--issues N] [--link consumerKey=path/to/public.pem[:Name]]... [--pat TOKEN=user]...
//     [--clock-skew SECONDS] [--legacy-errors] [--no-basic-auth] [--browser-user NAME]
//     [--request-token-ttl SECONDS] [--access-token-ttl SECONDS] [--deployment-type Server|DataCenter]
//     [--version X.Y.Z] [--server-title TITLE] [--cloud] [--oauth2-client ID:SECRET[:PREFIX,...]]...
//     [--oauth2-access-ttl S] [--oauth2-refresh-ttl S] [--no-oauth2-rotate] [--api-token TOKEN=user]...
//     [--basic-max-failures N] [--no-favourite-filters]
// The FIRST stdout line is `LISTENING <url>` (tests parse it); a short summary follows. One line
// per request goes to stderr (method, path, status, oauth problem: never a query, header or
// token). SIGINT / SIGTERM close the server and exit 0.
import { readFileSync } from 'node:fs';
import { startEmulator } from './server';
import type { EmulatorOptions, LinkInput, RequestLogEntry } from './types';

const USAGE = `Usage: node out/test/emulator/cli.js [options]
  --port N                 port (0 = a free one; default 0)
  --host HOST              interface (default 127.0.0.1)
  --context-path PATH      serve everything under PATH, e.g. /jira
  --base-url URL           the base URL Jira believes it has (default: the listening URL)
  --issues N               number of generated issues (default 300)
  --link KEY=PEM[:Name]    preset incoming application link (repeatable)
  --pat TOKEN=user         personal access token for a user (repeatable)
  --clock-skew SECONDS     the emulator's clock runs this far ahead
  --legacy-errors          answer 400 for timestamp_refused and parameter_* problems
  --no-basic-auth          refuse Basic authentication
  --no-favourite-filters   an older Jira without /rest/api/2/filter/favourite (404 "null for uri")
  --browser-user NAME      the user logged in to the browser pages (default admin)
  --request-token-ttl S    request token lifetime (default 600)
  --access-token-ttl S     access token lifetime (default 5 years)
  --deployment-type T      Server, DataCenter or Cloud
  --version X.Y.Z          the Jira version reported by serverInfo
  --server-title TITLE     serverInfo serverTitle
  --cloud                  Jira Cloud mode (same as --deployment-type Cloud): 3LO at /authorize,
                           /oauth/token, /oauth/token/accessible-resources, /.well-known/jwks.json,
                           REST also under /ex/jira/{cloudId}/rest/...
  --oauth2-client ID:SECRET[:PREFIX[,PREFIX...]]
                           OAuth 2.0 client (repeatable; replaces the default vscode-jira:vscode-jira-secret);
                           empty SECRET = public client (PKCE required); PREFIX = allowed redirect URI
                           prefix, ':*' = any port (default: http://127.0.0.1:*, http://localhost:*, vscode://...)
  --oauth2-access-ttl S    OAuth 2.0 access token lifetime (default 3600)
  --oauth2-refresh-ttl S   OAuth 2.0 refresh token lifetime (default 90 days)
  --no-oauth2-rotate       keep the refresh token on refresh (default: rotate; reuse revokes the family)
  --api-token TOKEN=user   Cloud API token for a user, Basic email:TOKEN (repeatable)
  --basic-max-failures N   wrong Basic passwords before the CAPTCHA lock-out (default 3; 0 = never)
  --read-only-user NAME    a user who may browse but not transition, assign or comment (repeatable)
  --tls-cert PEM           serve HTTPS with this certificate (needs --tls-key)
  --tls-key PEM            the certificate's private key
  --client-ca PEM          require client certificates issued by this CA (mutual TLS)`;

export function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = {};
  const links: LinkInput[] = [];
  const pats: Record<string, string> = {};
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} needs a number, got '${v ?? ''}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      case '--port': opts.port = num(flag, value()); break;
      case '--host': opts.host = value(); break;
      case '--context-path': opts.contextPath = value(); break;
      case '--base-url': opts.baseUrl = value(); break;
      case '--issues': opts.issueCount = num(flag, value()); break;
      case '--clock-skew': opts.clockSkewSeconds = num(flag, value()); break;
      case '--legacy-errors': opts.legacyErrorStatus = true; break;
      case '--no-basic-auth': opts.basicAuth = false; break;
      case '--no-favourite-filters': opts.favouriteFilters = false; break;
      case '--browser-user': opts.browserUser = value(); break;
      case '--request-token-ttl': opts.requestTokenTtlSeconds = num(flag, value()); break;
      case '--access-token-ttl': opts.accessTokenTtlSeconds = num(flag, value()); break;
      case '--version': opts.version = value(); break;
      case '--server-title': opts.serverTitle = value(); break;
      case '--tls-cert': opts.tls = { ...(opts.tls ?? { key: '' }), cert: readFileSync(value(), 'utf8') }; break;
      case '--tls-key': opts.tls = { ...(opts.tls ?? { cert: '' }), key: readFileSync(value(), 'utf8') }; break;
      case '--client-ca': opts.tls = { ...(opts.tls ?? { cert: '', key: '' }), ca: readFileSync(value(), 'utf8'), requestCert: true }; break;
      case '--deployment-type': {
        const t = value();
        if (t !== 'Server' && t !== 'DataCenter' && t !== 'Cloud') throw new Error(`--deployment-type must be Server, DataCenter or Cloud, got '${t}'`);
        opts.deploymentType = t;
        break;
      }
      case '--cloud': opts.deploymentType = 'Cloud'; break;
      case '--oauth2-client': {
        const v = value();
        const m = /^([^:]+):([^:]*)(?::(.+))?$/.exec(v);
        if (!m) throw new Error('--oauth2-client needs ID:SECRET[:PREFIX[,PREFIX...]] (SECRET may be empty for a public client)');
        (opts.oauth2Clients ??= []).push({ clientId: m[1], clientSecret: m[2] || undefined, redirectUris: m[3] ? m[3].split(',').filter(Boolean) : undefined });
        break;
      }
      case '--oauth2-access-ttl': opts.oauth2AccessTokenTtlSeconds = num(flag, value()); break;
      case '--oauth2-refresh-ttl': opts.oauth2RefreshTokenTtlSeconds = num(flag, value()); break;
      case '--no-oauth2-rotate': opts.oauth2RotateRefreshTokens = false; break;
      case '--basic-max-failures': opts.basicMaxFailures = num(flag, value()); break;
      case '--read-only-user': (opts.readOnlyUsers ??= []).push(value()); break;
      case '--api-token': {
        const v = value();
        const at = v.lastIndexOf('=');
        if (at <= 0 || at === v.length - 1) throw new Error('--api-token needs TOKEN=user');
        (opts.apiTokens ??= {})[v.slice(0, at)] = v.slice(at + 1);
        break;
      }
      case '--link': {
        // KEY=path/to/public.pem[:Name]; the name may not contain ':', '/' or '\'.
        const m = /^([^=]+)=(.+?)(?::([^:/\\]+))?$/.exec(value());
        if (!m) throw new Error('--link needs consumerKey=path/to/public.pem[:Name]');
        links.push({ consumerKey: m[1], publicKeyPem: readFileSync(m[2], 'utf8'), name: m[3] });
        break;
      }
      case '--pat': {
        const v = value();
        const at = v.lastIndexOf('=');
        if (at <= 0 || at === v.length - 1) throw new Error('--pat needs TOKEN=user');
        pats[v.slice(0, at)] = v.slice(at + 1);
        break;
      }
      default: throw new Error(`unknown option '${a}'\n${USAGE}`);
    }
  }
  if (links.length) opts.links = links;
  if (Object.keys(pats).length) opts.pats = pats;
  if (opts.tls && (!opts.tls.cert || !opts.tls.key)) throw new Error('--tls-cert and --tls-key go together (and --client-ca needs both)');
  return opts;
}

function logLine(e: RequestLogEntry): string {
  // Path only: queries carry oauth_token on the authorize page, headers carry credentials.
  return `${new Date(e.time).toISOString()} ${e.method} ${e.path} ${e.status}${e.oauthProblem ? ` ${e.oauthProblem}` : ''}${e.user ? ` user=${e.user}` : ''}`;
}

async function main(): Promise<void> {
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const emulator = await startEmulator({ ...opts, onRequest: (e) => process.stderr.write(`${logLine(e)}\n`) });
  // Handlers first: a test may signal as soon as it has read the LISTENING line.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`LISTENING ${emulator.url}\n`);
  const users = opts.users?.map((u) => u.name) ?? ['admin (password admin)', 'bob (password bob)'];
  process.stdout.write([
    `Jira emulator (Jira ${opts.version ?? '9.12.0'}, ${opts.deploymentType ?? 'Server'}) at ${emulator.url}`,
    opts.baseUrl ? `  configured base URL: ${opts.baseUrl}` : '',
    `  application links admin: ${emulator.url}/plugins/servlet/applinks/listApplicationLinks`,
    `  users: ${users.join(', ')}; logged in to the browser pages: ${opts.browserUser ?? 'admin'}`,
    `  preset links: ${opts.links?.map((l) => l.consumerKey).join(', ') || 'none'}; PATs: ${Object.keys(opts.pats ?? {}).length}`,
    `  issues: ${opts.issueCount ?? 300}`,
    `  OAuth 2.0 clients: ${(opts.oauth2Clients ?? [{ clientId: 'vscode-jira (secret vscode-jira-secret)' }]).map((c) => c.clientId).join(', ')}` +
      (opts.deploymentType === 'Cloud' ? `; 3LO authorize ${emulator.cloudEndpoints.authorize}, JWKS ${emulator.cloudEndpoints.jwks}` : `; authorize ${emulator.url}/rest/oauth2/latest/authorize`),
    '  Ctrl+C to stop.',
  ].filter(Boolean).join('\n') + '\n');
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error((e as Error)?.message ?? e);
    process.exit(1);
  });
}

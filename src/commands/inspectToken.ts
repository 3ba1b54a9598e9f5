/**
 * "Jira: Inspect Token": what the active account's credential is, for the user to read, as
 * Markdown: method, site, account, scopes, issued/expiry times and, for a JWT access token, its
 * decoded header and claims with an RS256 check against the issuer's JWKS. Never the token (or a
 * refresh token, secret or key) itself. Plain TypeScript (no vscode import).
 */
import type { Core } from '../coreLoader';
import { errorMessage, t } from '../l10n';
import type { AccountAuth, AccountMeta } from '../store/types';

export interface TokenReport {
  /** The Markdown document. */
  markdown: string;
  /** JWT: whether the signature holds (undefined: not a JWT, or no JWKS to check with). */
  verified?: boolean;
}

function methodName(account: AccountMeta, auth: AccountAuth): string {
  const cloud = account.site.deploymentType === 'Cloud';
  switch (auth.type) {
    case 'oauth1':
      return t('OAuth 1.0a (application link, RSA-SHA1)');
    case 'pat':
      return t('Personal access token (Bearer)');
    case 'basic':
      return cloud ? t('API token (Basic, e-mail and token)') : t('User name and password (Basic)');
    case 'oauth2':
      return cloud || account.cloudId ? t('OAuth 2.0 (Jira Cloud 3LO)') : t('OAuth 2.0 (Data Center application link, PKCE)');
  }
}

function when(ms: number | undefined, now: number): string {
  if (ms === undefined || !Number.isFinite(ms)) return t('not stated');
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const mins = Math.round((ms - now) / 60000);
  if (Math.abs(ms - now) < 60000) return `${iso} (${t('now')})`;
  return mins > 0 ? `${iso} (${t('in {0} minutes', String(mins))})` : `${iso} (${t('{0} minutes ago', String(-mins))})`;
}

/** `|` and newlines would break a table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function json(v: unknown): string {
  return '```json\n' + JSON.stringify(v, null, 2) + '\n```';
}

/** Claims that are times (seconds since the epoch), shown readable next to the JSON. */
const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time'];

export async function inspectToken(
  core: Pick<Core, 'decodeJwt' | 'verifyJwt' | 'fetchJwks'>,
  account: AccountMeta,
  auth: AccountAuth,
  options: { now?: number; signal?: AbortSignal } = {},
): Promise<TokenReport> {
  const now = options.now ?? Date.now();
  const rows: Array<[string, string]> = [
    [t('Method'), methodName(account, auth)],
    [t('Site'), `${account.site.title ? `${account.site.title} · ` : ''}${account.site.baseUrl}`],
    [t('Account'), `${account.displayName} (${account.userName}${account.email ? `, ${account.email}` : ''})`],
  ];
  if (account.cloudId) rows.push([t('Cloud id'), account.cloudId]);
  if (account.apiBaseUrl) rows.push([t('API base URL'), account.apiBaseUrl]);
  rows.push([t('Signed in'), when(account.createdAt, now)]);
  let jwtSection = '';
  let verified: boolean | undefined;
  switch (auth.type) {
    case 'oauth1':
      rows.push([t('Consumer key'), auth.consumerKey]);
      if (account.keyFingerprint) rows.push([t('Key fingerprint'), account.keyFingerprint]);
      rows.push([t('Expires'), when(auth.expiresAt, now)]);
      rows.push([t('Scopes'), t('the user\'s full access (OAuth 1.0a has no scopes)')]);
      break;
    case 'pat':
      rows.push([t('Scopes'), t('the user\'s full access (personal access tokens have no scopes)')]);
      rows.push([t('Expires'), t('set when the token was created (see Personal Access Tokens in your Jira profile)')]);
      break;
    case 'basic':
      rows.push([t('User'), auth.username]);
      rows.push([t('Scopes'), t('the user\'s full access')]);
      break;
    case 'oauth2': {
      rows.push([t('Client id'), auth.clientId ?? '']);
      rows.push([t('Scopes'), auth.scope || t('not stated')]);
      rows.push([t('Issued'), when(auth.obtainedAt, now)]);
      rows.push([t('Expires'), when(auth.expiresAt, now)]);
      rows.push([t('Refresh token'), auth.refreshToken ? t('stored (renewed automatically)') : t('none: sign in again when the access token expires')]);
      const jwt = core.decodeJwt(auth.accessToken);
      if (!jwt) {
        rows.push([t('Token format'), t('opaque (not a JWT): nothing more to decode')]);
        break;
      }
      rows.push([t('Token format'), t('JWT ({0})', String(jwt.header.alg ?? '?'))]);
      const times = TIME_CLAIMS.filter((c) => typeof jwt.payload[c] === 'number').map((c) => `- \`${c}\`: ${when((jwt.payload[c] as number) * 1000, now)}`);
      const parts = [`## ${t('JWT header')}`, json(jwt.header), `## ${t('JWT claims')}`, json(jwt.payload)];
      if (times.length) parts.push(times.join('\n'));
      parts.push(`## ${t('Signature')}`);
      const jwksUrl = auth.endpoints?.jwks;
      if (!jwksUrl) {
        parts.push(t('The issuer publishes no JWKS for this account, so the signature was not checked.'));
      } else {
        try {
          const jwks = await core.fetchJwks(jwksUrl, { signal: options.signal });
          const r = core.verifyJwt(auth.accessToken, jwks, { now });
          verified = r.valid;
          parts.push(
            r.valid
              ? t('The RS256 signature holds: verified with key {0} from {1}.', r.kid ?? '?', jwksUrl)
              : t('The signature does NOT hold ({0}); checked against {1}.', r.reason ?? '?', jwksUrl),
          );
        } catch (err) {
          parts.push(t('The JWKS at {0} could not be read, so the signature was not checked: {1}', jwksUrl, errorMessage(err)));
        }
      }
      jwtSection = parts.join('\n\n');
      break;
    }
  }
  const table = [`| | |`, `|---|---|`, ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)].join('\n');
  const markdown = [
    `# ${t('Jira token of {0}', account.displayName)}`,
    `_${t('The token itself is not shown: use "Jira: Copy Access Token" if you need it.')}_`,
    table,
    jwtSection,
  ]
    .filter(Boolean)
    .join('\n\n') + '\n';
  return { markdown, verified };
}

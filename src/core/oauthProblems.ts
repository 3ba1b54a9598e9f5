/**
 * Jira's oauth_problem codes (the OAuth Problem Reporting extension of OAuth 1.0a): one row per
 * code with what it means for a sign-in (its kind), what the user reads (the message template)
 * and, where the sign-in goes on by itself, what it says then (the advice). oauthlib keeps one
 * error class per code in the same way. Core builds JiraError.text from the row; the sign-in
 * (src/signin/oauthProblems.ts) acts on the kind and shows the advice.
 */
import type { ErrorContext, ParsedOAuthProblem } from './errors';
import { formatMessage, Message, msg, sentences, verbatim } from './messages';

/** What an oauth_problem means for an OAuth 1.0a sign-in. */
export type OAuthProblemKind =
  /** The application link is missing, not allowed to sign in, or holds another key: back to the application-link step. */
  | 'applicationLink'
  /** The user clicked Deny on Jira's authorize page. */
  | 'denied'
  /** The request token can no longer be exchanged: a new one, and Jira's page opened again. */
  | 'renew'
  /** The verification code was refused: ask for it again (after `renewAfter` refusals, renew instead). */
  | 'codeRefused'
  /** Access was not allowed yet: ask for the code again, not counted as a refusal. */
  | 'notAllowedYet'
  /** Nothing the sign-in can mend by itself (clock, proxy, revoked token...): the message says what to do. */
  | 'fail';

export interface OAuthProblemRow {
  readonly kind: OAuthProblemKind;
  /** What Jira's refusal means and what to do (JiraError.text). */
  message(p: ParsedOAuthProblem, ctx: ErrorContext): Message;
  /** What the sign-in says when it goes on after this code at the verification-code step. */
  readonly advice?: Message;
  /** codeRefused: after this many refusals the request token itself is renewed. */
  readonly renewAfter?: number;
}

const consumerKey = (ctx: ErrorContext): Message => (ctx.consumerKey ? verbatim(`"${ctx.consumerKey}"`) : msg('this consumer key'));
const unknownProblem = (p: ParsedOAuthProblem): Message =>
  msg('Jira refused the OAuth request (oauth_problem={0}). Sign in again; if it persists, check the application link.', p.problem ?? 'unknown');
const expiredAdvice = msg('The authorization expired (Jira allows 10 minutes), so a new Jira page was opened in your browser. Click Allow there and paste the new code.');
const refusedCodeAdvice = msg('Jira refused this verification code. Copy the code from the latest Jira page (after clicking Allow) and try again.');
const revoked = (): Message =>
  msg('Jira does not accept the OAuth token: it was revoked (by the user in Profile > Tools > View OAuth Access Tokens, or by an administrator), the application link was recreated, or it belongs to another Jira server. Sign in again.');
const deniedOnPage = (): Message => msg("Access was denied on Jira's authorize page. Start the sign-in again and click Allow.");
const keyRefused = (_p: ParsedOAuthProblem, ctx: ErrorContext): Message =>
  msg('Jira refused consumer key {0}: the application link exists but is not allowed to sign in (disabled, or restricted). Ask a Jira administrator to check the application link.', consumerKey(ctx));

/** What the sign-in says when Jira no longer accepts an authorization (token_used, or a code refused too often). */
export const NO_LONGER_ACCEPTED = msg('Jira no longer accepts that authorization, so a new Jira page was opened in your browser. Click Allow there and paste the new code.');

export const OAUTH_PROBLEMS: Readonly<Record<string, OAuthProblemRow>> = {
  consumer_key_unknown: {
    kind: 'applicationLink',
    message: (_p, ctx) =>
      msg('Jira has no application link with consumer key {0}. Ask a Jira administrator to create one (Administration > Applications > Application links, incoming authentication) with this consumer key and your public key, or check the consumer key you entered.', consumerKey(ctx)),
  },
  consumer_key_rejected: { kind: 'applicationLink', message: keyRefused },
  consumer_key_refused: { kind: 'applicationLink', message: keyRefused },
  signature_invalid: {
    kind: 'applicationLink',
    message: (p, ctx) => {
      const signed = ctx.signedUrl ?? ctx.url;
      const serverUri = uriOfBaseString(p.serverBaseString);
      return sentences(
        msg('Jira rejected the signature for {0}.', signed),
        serverUri && serverUri !== signed ? msg('Jira computed it for {0} instead: use that base URL.', serverUri) : undefined,
        msg("Usually Jira's base URL differs from the URL you entered (reverse proxy, missing context path such as /jira, http vs https, host name case, default port). Use the exact base URL from Jira's Administration > System > General configuration, and check that the public key in the application link for consumer key {0} matches your private key.", consumerKey(ctx)),
      );
    },
  },
  signature_method_rejected: {
    kind: 'applicationLink',
    message: (_p, ctx) => msg('Jira does not accept RSA-SHA1 signatures for consumer key {0}. The application link\'s incoming authentication must be configured with your public key (not a shared secret).', consumerKey(ctx)),
  },
  permission_denied: { kind: 'denied', message: deniedOnPage },
  user_refused: { kind: 'denied', message: deniedOnPage },
  token_expired: {
    kind: 'renew',
    message: () => msg('The OAuth token has expired. Sign in again. (A request token is only valid for 10 minutes: open the authorize page, approve, and paste the verification code within that time.)'),
    advice: expiredAdvice,
  },
  token_used: {
    kind: 'renew',
    message: () => msg('This request token has already been exchanged for an access token. Start the sign-in again.'),
    advice: NO_LONGER_ACCEPTED,
  },
  token_rejected: { kind: 'codeRefused', message: revoked, advice: refusedCodeAdvice, renewAfter: 2 },
  parameter_rejected: {
    kind: 'codeRefused',
    message: (p) => {
      const which = p.parametersRejected?.length ? verbatim(` (oauth_parameters_rejected: ${p.parametersRejected.join(', ')})`) : verbatim('');
      return msg('Jira rejected OAuth parameters of the request{0}. Sign in again; if it persists, report it with the log.', which);
    },
    advice: refusedCodeAdvice,
  },
  verifier_invalid: { kind: 'codeRefused', message: unknownProblem, advice: refusedCodeAdvice },
  permission_unknown: {
    kind: 'notAllowedYet',
    message: () => msg('The request token has not been authorized yet. Open the authorize URL in your browser, click Allow, then enter the verification code Jira shows.'),
    advice: msg('Jira says access was not allowed yet. Click Allow on the Jira page first, then paste the code it shows.'),
  },
  token_revoked: { kind: 'fail', message: revoked },
  timestamp_refused: {
    kind: 'fail',
    message: (p, ctx) =>
      sentences(
        msg("Jira refused the request's timestamp: this computer's clock and the Jira server's clock differ by more than Jira allows."),
        ctx.clockOffsetSeconds ? msg('(an offset of {0} s was already applied)', Math.round(ctx.clockOffsetSeconds)) : undefined,
        p.acceptableTimestamps ? msg('Jira accepts timestamps {0}.', p.acceptableTimestamps) : undefined,
        msg("Set the date, time and time zone to update automatically (NTP) on this computer (or ask the Jira administrator to fix the server's clock), then try again."),
      ),
  },
  nonce_used: {
    kind: 'fail',
    message: () => msg("Jira has already seen this request's nonce (a replayed or duplicated request). Try again; if it keeps happening, a proxy between you and Jira may be retrying requests."),
  },
  parameter_absent: {
    kind: 'fail',
    message: (p) => {
      const which = p.parametersAbsent?.length ? verbatim(` (oauth_parameters_absent: ${p.parametersAbsent.join(', ')})`) : verbatim('');
      return msg('Jira says OAuth parameters are missing from the request{0}. A proxy between you and Jira may be removing the Authorization header; check the proxy configuration.', which);
    },
  },
  version_rejected: {
    kind: 'fail',
    message: () => msg('Jira rejected the OAuth version of the request. This client speaks OAuth 1.0a; check the server is Jira.'),
  },
  additional_authorization_required: {
    kind: 'fail',
    message: () => msg('Jira requires additional authorization for this request: sign in again and approve access.'),
  },
};

/** The row of a code Jira sent; undefined for codes not in the table (and names such as "toString"). */
export function oauthProblemRow(problem: string | undefined): OAuthProblemRow | undefined {
  return problem !== undefined && Object.prototype.hasOwnProperty.call(OAUTH_PROBLEMS, problem) ? OAUTH_PROBLEMS[problem] : undefined;
}

/** What each oauth_problem means and what to do about it, as a template and arguments. */
export function oauthProblemText(p: ParsedOAuthProblem, ctx: ErrorContext): Message {
  return (oauthProblemRow(p.problem)?.message ?? unknownProblem)(p, ctx);
}

/** oauthProblemText in English. */
export function oauthProblemMessage(p: ParsedOAuthProblem, ctx: ErrorContext): string {
  return formatMessage(oauthProblemText(p, ctx));
}

/** The URL part of a signature base string (`METHOD&URI&PARAMS`), decoded. */
function uriOfBaseString(base: string | undefined): string | undefined {
  const parts = base?.split('&') ?? [];
  if (parts.length < 2) return undefined;
  try {
    return decodeURIComponent(parts[1]);
  } catch {
    return parts[1];
  }
}

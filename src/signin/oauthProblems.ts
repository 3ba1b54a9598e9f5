import { t } from '../l10n';

/**
 * What the sign-in does when Jira answers with an oauth_problem (the OAuth Problem Reporting
 * extension): one row per code, as oauthlib keeps one error class per code. The words for codes
 * that end the sign-in are core's (src/core/errors.ts); these rows say how the sign-in goes on.
 */
export type ProblemRow =
  /** The application link is missing or has another key: back to the application-link step, and an "Open Application Links" button. */
  | { readonly then: 'applicationLink' }
  /** The user clicked Deny. */
  | { readonly then: 'denied' }
  /** The request token can no longer be exchanged: get a new one and open Jira's page again. */
  | { readonly then: 'renew'; why(): string }
  /** Ask for the verification code again; after `renewAfter` refusals the request token itself is renewed. */
  | { readonly then: 'askAgain'; why(): string; readonly refusal: boolean; readonly renewAfter?: number };

export const expiredMessage = (): string =>
  t('The authorization expired (Jira allows 10 minutes), so a new Jira page was opened in your browser. Click Allow there and paste the new code.');
export const noLongerAcceptedMessage = (): string =>
  t('Jira no longer accepts that authorization, so a new Jira page was opened in your browser. Click Allow there and paste the new code.');
const refusedCode = (): string => t('Jira refused this verification code. Copy the code from the latest Jira page (after clicking Allow) and try again.');

export const OAUTH_PROBLEMS: Readonly<Record<string, ProblemRow>> = {
  consumer_key_unknown: { then: 'applicationLink' },
  consumer_key_rejected: { then: 'applicationLink' },
  consumer_key_refused: { then: 'applicationLink' },
  signature_invalid: { then: 'applicationLink' },
  signature_method_rejected: { then: 'applicationLink' },
  permission_denied: { then: 'denied' },
  user_refused: { then: 'denied' },
  token_expired: { then: 'renew', why: expiredMessage },
  token_used: { then: 'renew', why: noLongerAcceptedMessage },
  token_rejected: { then: 'askAgain', why: refusedCode, refusal: true, renewAfter: 2 },
  parameter_rejected: { then: 'askAgain', why: refusedCode, refusal: true },
  verifier_invalid: { then: 'askAgain', why: refusedCode, refusal: true },
  permission_unknown: { then: 'askAgain', why: () => t('Jira says access was not allowed yet. Click Allow on the Jira page first, then paste the code it shows.'), refusal: false },
};

/** oauth_problem values that mean the application link is missing or does not match our key. */
export const APPLINK_PROBLEMS = Object.keys(OAUTH_PROBLEMS).filter((p) => OAUTH_PROBLEMS[p].then === 'applicationLink');

export function oauthProblemOf(err: unknown): string | undefined {
  const p = (err as { oauthProblem?: unknown })?.oauthProblem;
  return typeof p === 'string' ? p : undefined;
}

/** The row of the error's oauth_problem; undefined for other errors and unknown codes. */
export function problemRow(err: unknown): ProblemRow | undefined {
  const p = oauthProblemOf(err);
  return p && Object.prototype.hasOwnProperty.call(OAUTH_PROBLEMS, p) ? OAUTH_PROBLEMS[p] : undefined;
}

export function isApplinkProblem(err: unknown): boolean {
  return problemRow(err)?.then === 'applicationLink';
}

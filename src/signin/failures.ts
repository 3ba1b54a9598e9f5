import { errorMessage, t } from '../l10n';
import { isCancellation, SignInError, SignInErrorCode } from './errors';
import { isApplinkProblem } from './oauthProblems';

/** A button on a failure notification; the controller runs it. */
export type ErrorAction = 'tryAgain' | 'openApplicationLinks' | 'copyPublicKey' | 'showLog' | 'signIn' | 'openSite' | 'usePat' | 'otherMethod' | 'newConsumerKey';

/** What went wrong, said for the user, with the buttons that help. */
export interface Failure {
  severity: 'warning' | 'error';
  message: string;
  actions: ErrorAction[];
}

/** The buttons' words (localised on use). */
export const ACTION_LABELS: Readonly<Record<ErrorAction, () => string>> = {
  tryAgain: () => t('Try Again'),
  openApplicationLinks: () => t('Open Application Links'),
  copyPublicKey: () => t('Copy Public Key'),
  showLog: () => t('Show Log'),
  signIn: () => t('Sign In'),
  openSite: () => t('Open Jira in Browser'),
  usePat: () => t('Use a Personal Access Token'),
  otherMethod: () => t('Choose Another Method'),
  newConsumerKey: () => t('New Consumer Key'),
};

type Row = Omit<Failure, 'message'>;

/** SignInError codes: severity and buttons. Codes not listed get DEFAULT_ROW. */
const SIGN_IN_ERRORS: Partial<Record<SignInErrorCode, Row>> = {
  denied: { severity: 'warning', actions: ['tryAgain'] },
  pending_lost: { severity: 'warning', actions: ['signIn'] },
  captcha: { severity: 'error', actions: ['openSite', 'usePat', 'tryAgain'] },
  basic_disabled: { severity: 'error', actions: ['otherMethod'] },
  key_mismatch: { severity: 'error', actions: ['copyPublicKey', 'openApplicationLinks', 'newConsumerKey', 'tryAgain'] },
};
const DEFAULT_ROW: Row = { severity: 'error', actions: ['tryAgain', 'showLog'] };

/** Errors from core and the OAuth 1.0a flow, tried in order after SignInError. */
const OTHER_ERRORS: ReadonlyArray<{ when(err: unknown): boolean } & Row> = [
  { when: isApplinkProblem, severity: 'error', actions: ['openApplicationLinks', 'tryAgain', 'showLog'] },
  { when: (err) => (err as { name?: string })?.name === 'KeyError', severity: 'error', actions: ['tryAgain'] },
  { when: (err) => (err as { name?: string })?.name === 'JiraError', ...DEFAULT_ROW },
];

/** The notification for a failed sign-in step; undefined when the user cancelled. */
export function describeFailure(err: unknown): Failure | undefined {
  if (isCancellation(err)) return undefined;
  const message = errorMessage(err) || String(err);
  if (err instanceof SignInError) return { message, ...(SIGN_IN_ERRORS[err.code] ?? DEFAULT_ROW) };
  const row = OTHER_ERRORS.find((r) => r.when(err));
  if (row) return { message, severity: row.severity, actions: row.actions };
  return { severity: 'error', message: t('Unexpected error: {0}', message), actions: ['showLog'] };
}

/** Sign-in outcomes that are not a JiraError or KeyError from core. */
export type SignInErrorCode =
  /** The user dismissed a step or cancelled a progress notification. */
  | 'cancelled'
  /** The user clicked Deny on Jira's authorize page. */
  | 'denied'
  /** The URL is not https (and not a loopback address). */
  | 'https_required'
  /** The server answered, but it is not Jira. */
  | 'not_jira'
  /** No sign-in method works for this site in this window. */
  | 'no_flow'
  /** The loopback callback listener could not be used; another flow should take over. */
  | 'fallback'
  /** The pending sign-in's private key is no longer in SecretStorage. */
  | 'pending_lost'
  /** A sign-in argument (from a command or the API) is not valid. */
  | 'invalid_argument';

export class SignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

export function cancelled(): SignInError {
  return new SignInError('cancelled', 'Sign-in was cancelled.');
}

/** The user cancelled: a dismissed step, a cancelled progress, or an aborted request. */
export function isCancellation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; name?: unknown };
  if (e instanceof SignInError) return e.code === 'cancelled';
  return e.code === 'aborted' || e.name === 'AbortError' || e.code === 'ABORT_ERR';
}

/** Throws the cancellation error when the user dismissed a pick or an input box. */
export function answered<T>(value: T | undefined): T {
  if (value === undefined) throw cancelled();
  return value;
}

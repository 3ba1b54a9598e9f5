/** Sign-in outcomes that are not a JiraError or KeyError from core. */
export type SignInErrorCode =
  /** The user dismissed a step or cancelled a progress notification. */
  | 'cancelled'
  /** The user clicked Deny on Jira's authorize page. */
  | 'denied'
  /** signature_invalid with a new key pair where the application link is known to hold an earlier one. */
  | 'key_mismatch'
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
  | 'invalid_argument'
  /** Jira refused the token or password (HTTP 401). */
  | 'bad_credentials'
  /** Too many failed logins: Jira wants a CAPTCHA solved in the browser (X-Authentication-Denied-Reason). */
  | 'captcha'
  /** Basic authentication is disabled on the site (Jira 11 default, SSO sites): use another method. */
  | 'basic_disabled'
  /** OAuth 2.0: the authorization server refused (access_denied, invalid_client, invalid_grant...). */
  | 'oauth2'
  /** OAuth 2.0 Cloud: the app has no access to any Jira site. */
  | 'no_site';

export class SignInError extends Error {
  /** The site the error is about (for buttons such as "Open Jira in Browser"). */
  baseUrl?: string;
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

/** Rejects with cancelled() when the signal aborts (for work that cannot itself be cancelled, like key generation). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
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

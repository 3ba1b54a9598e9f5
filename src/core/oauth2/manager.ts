import { JiraError } from '../errors';
import { msg } from '../messages';
import type { Transport } from '../http';
import { SingleFlight } from '../singleFlight';
import type { OAuth2Endpoints } from './endpoints';
import { oauth2Error, OAuth2Tokens, refreshAccessToken } from './tokens';

/** Where a manager keeps an account's tokens (VS Code: SecretStorage). */
export interface TokenStoreLike {
  load(): Promise<OAuth2Tokens | undefined>;
  /** Must persist atomically BEFORE resolving: a rotated refresh token must never be lost. */
  save(t: OAuth2Tokens): Promise<void>;
  /**
   * Optional cross-process lock (several windows, each with its own store object over the same
   * secret): runs `fn` while no other holder of the lock runs it. The manager wraps each refresh
   * (re-read, token request, save) in it, so a second window waits and then finds the new tokens.
   */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
}

export interface OAuth2TokenManagerOptions {
  endpoints: OAuth2Endpoints;
  clientId: string;
  clientSecret?: string;
  store: TokenStoreLike;
  transport?: Transport;
  now?: () => number;
  /** Refresh this long before expiry. Default 60000. */
  skewMs?: number;
  timeoutMs?: number;
  /** Called once per failure that needs a new sign-in (invalid_grant, invalid_client, no refresh token, store failure). The error is thrown to callers too. */
  onDidFail?: (err: JiraError) => void;
}

/** Errors after which refreshing again cannot help: the account must sign in again. */
export const PERMANENT_OAUTH2_ERRORS: ReadonlySet<string> = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'no_refresh_token', 'not_signed_in', 'store_failed']);

/** Managers sharing one store object (one process) share one refresh. */
const flights = new WeakMap<TokenStoreLike, SingleFlight<string, OAuth2Tokens>>();

function raceSignal<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new JiraError('aborted', msg('The request was cancelled.')));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new JiraError('aborted', msg('The request was cancelled.')));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/**
 * Hands out valid access tokens for one account: refreshes before expiry and after a 401, one
 * refresh at a time (single-flight, shared by every manager using the same store object), saves
 * the new pair before anyone uses it, and picks up tokens another window stored instead of
 * reusing a rotated refresh token. A refresh, once started, is not cancelled by a caller's signal
 * (cancelling mid-way could lose a rotated refresh token); the caller just stops waiting.
 */
export class OAuth2TokenManager {
  private readonly o: OAuth2TokenManagerOptions;
  private readonly flight: SingleFlight<string, OAuth2Tokens>;
  private readonly now: () => number;
  private readonly skewMs: number;
  /** Refresh calls this manager made to the token endpoint. */
  refreshCount = 0;

  constructor(o: OAuth2TokenManagerOptions) {
    if (!o || !o.store) throw new JiraError('invalid_request', msg('OAuth2TokenManager needs a token store.'));
    this.o = o;
    this.now = o.now ?? Date.now;
    this.skewMs = o.skewMs ?? 60000;
    let f = flights.get(o.store);
    if (!f) {
      f = new SingleFlight<string, OAuth2Tokens>();
      flights.set(o.store, f);
    }
    this.flight = f;
  }

  /** Is this token expired or within skewMs of expiring? */
  isExpiring(t: OAuth2Tokens): boolean {
    return t.expiresAt !== undefined && this.now() >= t.expiresAt - this.skewMs;
  }

  private async loadOrFail(): Promise<OAuth2Tokens> {
    const t = await this.o.store.load();
    if (!t || !t.accessToken) throw this.fail(oauth2Error('not_signed_in', undefined, 'refresh'));
    return t;
  }

  private fail(err: JiraError): JiraError {
    if (err.code === 'oauth2_error' && err.oauth2Error && PERMANENT_OAUTH2_ERRORS.has(err.oauth2Error)) {
      try {
        this.o.onDidFail?.(err);
      } catch {
        // a listener must not change the outcome
      }
    }
    return err;
  }

  /** A valid access token: refreshes first if expired or near expiry; concurrent callers share one refresh. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const t = await this.loadOrFail();
    if (!this.isExpiring(t)) return t.accessToken;
    return (await raceSignal(this.refresh(t.accessToken, false), signal)).accessToken;
  }

  /**
   * After a 401 with `rejected`: refreshes once (single-flight) unless the store already holds a
   * different token (another window refreshed), and returns the token to retry with.
   */
  async refreshAfter(rejected: string, signal?: AbortSignal): Promise<string> {
    const t = await this.loadOrFail();
    if (t.accessToken !== rejected && !this.isExpiring(t)) return t.accessToken;
    let next = await raceSignal(this.refresh(rejected, true), signal);
    // Joined a refresh that found the same token still fresh: refresh for real, once.
    if (next.accessToken === rejected) next = await raceSignal(this.refresh(rejected, true), signal);
    return next.accessToken;
  }

  /** Refresh now unless the stored token already differs from `stale` (and is fresh). */
  private refresh(stale: string, force: boolean): Promise<OAuth2Tokens> {
    return this.flight.run('refresh', () => (this.o.store.exclusive ? this.o.store.exclusive(() => this.refreshNow(stale, force)) : this.refreshNow(stale, force)));
  }

  private async refreshNow(stale: string, force: boolean): Promise<OAuth2Tokens> {
    const cur = await this.loadOrFail();
    if (cur.accessToken !== stale && !this.isExpiring(cur)) return cur;
    if (!force && !this.isExpiring(cur)) return cur;
    if (!cur.refreshToken) throw this.fail(oauth2Error('no_refresh_token', undefined, 'refresh'));
    let next: OAuth2Tokens;
    try {
      this.refreshCount++;
      next = await refreshAccessToken({
        endpoints: this.o.endpoints,
        clientId: this.o.clientId,
        clientSecret: this.o.clientSecret,
        refreshToken: cur.refreshToken,
        transport: this.o.transport,
        now: this.now,
        timeoutMs: this.o.timeoutMs,
      });
    } catch (e) {
      if (e instanceof JiraError && e.oauth2Error === 'invalid_grant') {
        // Another process may have rotated the refresh token meanwhile: use what it stored.
        const after = await this.o.store.load();
        if (after && after.refreshToken !== cur.refreshToken && after.accessToken && !this.isExpiring(after)) return after;
      }
      throw e instanceof JiraError ? this.fail(e) : e;
    }
    try {
      await this.o.store.save(next);
    } catch (e) {
      throw this.fail(
        new JiraError('oauth2_error', msg('The renewed OAuth 2.0 tokens could not be saved ({0}), so they were not used: sign in again.', (e as Error)?.message ?? String(e)), {
          oauth2Error: 'store_failed',
          cause: e,
        }),
      );
    }
    return next;
  }
}

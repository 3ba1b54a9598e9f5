import { Emitter, Event } from '../util/event';
import type { MementoLike, PendingRequestToken, PendingSecrets, PendingSignIn, SecretStorageLike } from './types';

export const PENDING_KEY = 'jira.pendingSignIn';
export const PENDING_SECRET_KEY = 'jira.pendingSignIn';

/** A request token is valid for 10 minutes in Jira; renew it a little earlier. */
export const REQUEST_TOKEN_MAX_AGE_MS = 9 * 60 * 1000;

function isPending(v: unknown): v is PendingSignIn {
  const p = v as PendingSignIn;
  return !!p && typeof p === 'object' && typeof p.id === 'string' && p.method === 'oauth1' && !!p.site &&
    typeof p.site.baseUrl === 'string' && typeof p.consumerKey === 'string' && (p.step === 'applink' || p.step === 'authorize');
}

/**
 * The OAuth 1.0a sign-in in progress, so that it continues where it stopped (the user went to
 * create the application link in Jira, the window reloaded...). Site, consumer key, public key and
 * step in globalState; the private key and the request token secret in SecretStorage. One at a time.
 */
export class PendingStore {
  private readonly emitter = new Emitter<PendingSignIn | undefined>();
  readonly onDidChange: Event<PendingSignIn | undefined> = this.emitter.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly secrets: SecretStorageLike, private readonly memento: MementoLike) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === PENDING_SECRET_KEY) this.emitter.fire(this.get());
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  get(): PendingSignIn | undefined {
    const v = this.memento.get<unknown>(PENDING_KEY);
    return isPending(v) ? v : undefined;
  }

  /** The private key (and request token) of the pending sign-in; undefined if they are gone. */
  async getSecrets(): Promise<PendingSecrets | undefined> {
    const p = this.get();
    if (!p) return undefined;
    const json = await this.secrets.get(PENDING_SECRET_KEY);
    if (!json) return undefined;
    try {
      const s = JSON.parse(json) as PendingSecrets;
      return s && s.id === p.id && typeof s.privateKeyPem === 'string' ? s : undefined;
    } catch {
      return undefined;
    }
  }

  /** Starts (or replaces) the pending sign-in: the private key first, then the metadata. */
  async start(meta: PendingSignIn, privateKeyPem: string): Promise<void> {
    const secrets: PendingSecrets = { id: meta.id, privateKeyPem };
    await this.secrets.store(PENDING_SECRET_KEY, JSON.stringify(secrets));
    try {
      await this.memento.update(PENDING_KEY, meta);
    } catch (err) {
      await this.secrets.delete(PENDING_SECRET_KEY);
      throw err;
    }
    this.emitter.fire(meta);
  }

  async update(changes: Partial<Omit<PendingSignIn, 'id' | 'method'>>): Promise<PendingSignIn | undefined> {
    const p = this.get();
    if (!p) return undefined;
    const next: PendingSignIn = { ...p, ...changes, updatedAt: Date.now() };
    await this.memento.update(PENDING_KEY, next);
    this.emitter.fire(next);
    return next;
  }

  /** Remembers (or forgets) the request token, in SecretStorage with the private key. */
  async setRequestToken(request: PendingRequestToken | undefined): Promise<void> {
    const s = await this.getSecrets();
    if (!s) throw new Error('No sign-in in progress.');
    const next: PendingSecrets = { id: s.id, privateKeyPem: s.privateKeyPem, ...(request ? { request } : {}) };
    await this.secrets.store(PENDING_SECRET_KEY, JSON.stringify(next));
  }

  /** Forgets the pending sign-in entirely (metadata first, so nothing points at a missing key). */
  async clear(): Promise<void> {
    const had = !!this.memento.get(PENDING_KEY);
    await this.memento.update(PENDING_KEY, undefined);
    await this.secrets.delete(PENDING_SECRET_KEY);
    if (had) this.emitter.fire(undefined);
  }
}

/** Is this request token still usable for the given callback? */
export function requestTokenFresh(r: PendingRequestToken | undefined, callback: string, now = Date.now()): r is PendingRequestToken {
  return !!r && r.callback === callback && now - r.createdAt < REQUEST_TOKEN_MAX_AGE_MS;
}

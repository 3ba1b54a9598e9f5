import type { Logger } from '../log';
import type { SecretStorageLike } from './types';

/** The key of an account's refresh lease in SecretStorage (not an account key: windows ignore it). */
export const REFRESH_LEASE_PREFIX = 'jira.oauth2.refreshLease/';

export interface RefreshLeaseOptions {
  /** A holder whose lease has not changed for this long (local time) has crashed. Default 15 s. */
  ttlMs?: number;
  /** Wait after writing the lease before reading it back (another window's write lands meanwhile). Default 300 ms. */
  settleMs?: number;
  /** How often a waiting window looks again. Default 200 ms. */
  pollMs?: number;
  log?: Logger;
}

interface Lease {
  owner: string;
  beat: number;
}

function parse(raw: string | undefined): Lease | undefined {
  try {
    const v = raw ? (JSON.parse(raw) as Lease) : undefined;
    return v && typeof v.owner === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One OAuth 2.0 refresh per account across every window of the machine (and remote windows, which
 * share the local SecretStorage but not a file system): a lease kept in SecretStorage next to the
 * tokens. SecretStorage has no compare-and-set, so a window writes its lease, waits `settleMs`, and
 * holds it only if its own lease is still there (of two windows writing at once, the last write
 * wins and the other backs off). The holder renews it (`beat`) every ttl/3 while it refreshes; a
 * lease that stops changing for `ttlMs`, measured on the waiting window's own clock (remote
 * machines' clocks may differ), belonged to a crashed window and is taken over.
 */
export class RefreshLease {
  private readonly ttlMs: number;
  private readonly settleMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly secrets: Pick<SecretStorageLike, 'get' | 'store' | 'delete'>,
    private readonly key: string,
    private readonly o: RefreshLeaseOptions = {},
  ) {
    this.ttlMs = o.ttlMs ?? 15_000;
    this.settleMs = o.settleMs ?? 300;
    this.pollMs = o.pollMs ?? 200;
  }

  /** Runs `fn` while this window holds the lease. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const me = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    await this.acquire(me);
    let beat = 0;
    const timer = setInterval(() => void this.write(me, ++beat).catch(() => undefined), Math.max(1, Math.floor(this.ttlMs / 3)));
    (timer as { unref?: () => void }).unref?.();
    try {
      return await fn();
    } finally {
      clearInterval(timer);
      await this.release(me);
    }
  }

  private write(owner: string, beat: number): Promise<void> {
    return Promise.resolve(this.secrets.store(this.key, JSON.stringify({ owner, beat } satisfies Lease)));
  }

  private async acquire(me: string): Promise<void> {
    let seen: { raw: string; since: number } | undefined;
    for (;;) {
      const raw = await this.secrets.get(this.key);
      const cur = parse(raw);
      if (cur && cur.owner !== me) {
        if (!seen || seen.raw !== raw) seen = { raw: raw!, since: Date.now() };
        if (Date.now() - seen.since < this.ttlMs) {
          await sleep(this.pollMs);
          continue;
        }
        this.o.log?.warn(`taking over the OAuth 2.0 refresh lease ${this.key}: not renewed for ${this.ttlMs} ms (its window has closed or crashed)`);
      }
      await this.write(me, 0);
      await sleep(this.settleMs);
      if (parse(await this.secrets.get(this.key))?.owner === me) return;
      seen = undefined; // another window wrote after us: it holds the lease now
    }
  }

  private async release(me: string): Promise<void> {
    try {
      if (parse(await this.secrets.get(this.key))?.owner === me) await this.secrets.delete(this.key);
    } catch {
      // a lease left behind expires by itself
    }
  }
}

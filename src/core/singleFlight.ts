/**
 * Coalesces concurrent calls per key: while a call for `key` is running, every other caller with
 * the same key gets the same promise instead of starting its own. Once it settles (either way),
 * the next call starts afresh. Used for OAuth 2.0 refreshes: 100 concurrent requests on an
 * expired token make exactly one refresh call.
 */
export class SingleFlight<K, V> {
  private readonly running = new Map<K, Promise<V>>();

  run(key: K, fn: () => Promise<V>): Promise<V> {
    const existing = this.running.get(key);
    if (existing) return existing;
    let p: Promise<V>;
    try {
      p = Promise.resolve(fn());
    } catch (e) {
      p = Promise.reject(e);
    }
    const tracked = p.finally(() => {
      if (this.running.get(key) === tracked) this.running.delete(key);
    });
    this.running.set(key, tracked);
    return tracked;
  }

  /** Is a call for `key` running now? */
  has(key: K): boolean {
    return this.running.has(key);
  }
}

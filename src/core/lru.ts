/**
 * A Map of at most `max` entries that forgets the least recently used first: get() and set() make
 * an entry the most recent, set() drops the oldest beyond `max` (onEvict is told which). Kept
 * state-free at module level, so any part of the extension may bundle it (the core's TLS contexts
 * and connection pools, the extension's cache of setting files).
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(
    private readonly max: number,
    private readonly onEvict?: (value: V, key: K) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** The value, without making it more recent. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    for (const [k, v] of this.map) {
      if (this.map.size <= this.max) break;
      this.map.delete(k);
      this.onEvict?.(v, k);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  clear(): void {
    this.map.clear();
  }
}

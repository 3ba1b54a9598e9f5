import * as assert from 'node:assert/strict';
import { LruMap } from '../../../src/core/lru';

describe('LruMap (bounded caches: TLS contexts, connection pools, setting files)', () => {
  it('drops the least recently used beyond max and says which; get() makes an entry recent, peek() does not', () => {
    const evicted: Array<[string, number]> = [];
    const m = new LruMap<string, number>(2, (v, k) => evicted.push([k, v]));
    m.set('a', 1);
    m.set('b', 2);
    assert.equal(m.get('a'), 1); // a is now the most recent
    m.set('c', 3);
    assert.deepEqual(evicted, [['b', 2]]);
    assert.equal(m.peek('a'), 1); // a stays the oldest
    m.set('d', 4);
    assert.deepEqual(evicted, [['b', 2], ['a', 1]]);
    assert.deepEqual([...m.values()], [3, 4]);
    assert.equal(m.size, 2);
  });

  it('setting an existing key replaces it without evicting; delete and clear forget', () => {
    const evicted: string[] = [];
    const m = new LruMap<string, number>(2, (_v, k) => evicted.push(k));
    m.set('a', 1);
    m.set('b', 2);
    m.set('a', 10);
    assert.deepEqual(evicted, []);
    assert.deepEqual([...m.values()], [2, 10]);
    assert.equal(m.delete('b'), true);
    assert.equal(m.get('b'), undefined);
    m.clear();
    assert.equal(m.size, 0);
    assert.deepEqual(evicted, [], 'delete and clear are not evictions');
  });
});

import { describe, expect, it } from 'vitest';
import { ShortMemo } from './short-memo.js';

describe('ShortMemo', () => {
  function counting() {
    let reads = 0;
    let value = 'a';
    return {
      read: async () => {
        reads++;
        return value;
      },
      set: (v: string) => void (value = v),
      reads: () => reads,
    };
  }

  it('reads once within its time, again after it', async () => {
    let now = 0;
    const memo = new ShortMemo<string>({ ttlMs: 1_000, maxEntries: 10, now: () => now });
    const src = counting();
    expect(await memo.get('k', src.read)).toBe('a');
    src.set('b');
    now = 999;
    expect(await memo.get('k', src.read)).toBe('a');
    expect(src.reads()).toBe(1);
    now = 1_000;
    expect(await memo.get('k', src.read)).toBe('b');
    expect(src.reads()).toBe(2);
  });

  it('shares one read among concurrent misses', async () => {
    const memo = new ShortMemo<string>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    const src = counting();
    const all = await Promise.all([memo.get('k', src.read), memo.get('k', src.read), memo.get('k', src.read)]);
    expect(all).toEqual(['a', 'a', 'a']);
    expect(src.reads()).toBe(1);
  });

  it('reads again at once after forget (one key) and clear (all keys)', async () => {
    const memo = new ShortMemo<string>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    const src = counting();
    await memo.get('k', src.read);
    await memo.get('j', src.read);
    src.set('b');
    memo.forget('k');
    expect(await memo.get('k', src.read)).toBe('b');
    expect(await memo.get('j', src.read)).toBe('a');
    memo.clear();
    expect(await memo.get('j', src.read)).toBe('b');
  });

  it('keeps no failed read', async () => {
    const memo = new ShortMemo<string>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    await expect(memo.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await memo.get('k', async () => 'up')).toBe('up');
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const memo = new ShortMemo<string>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    const src = counting();
    await memo.get('a', src.read);
    await memo.get('b', src.read);
    await memo.get('c', src.read);
    expect(src.reads()).toBe(3);
    await memo.get('c', src.read);
    await memo.get('b', src.read);
    expect(src.reads()).toBe(3);
    await memo.get('a', src.read);
    expect(src.reads()).toBe(4);
  });

  it('with a generation, keeps values while the token holds, asking the token at most once per ttl', async () => {
    let now = 0;
    let token = 'g1';
    let asked = 0;
    const memo = new ShortMemo<string>({ ttlMs: 1_000, now: () => now, generation: async () => (asked++, token) });
    const src = counting();
    expect(await memo.get('k', src.read)).toBe('a');
    src.set('b');
    now = 60_000; // long past the ttl: the token is asked again, and holds
    expect(await memo.get('k', src.read)).toBe('a');
    now = 60_500;
    token = 'g2'; // changed, but not asked again within the ttl
    expect(await memo.get('k', src.read)).toBe('a');
    expect([src.reads(), asked]).toEqual([1, 2]);
    now = 61_000;
    expect(await memo.get('k', src.read)).toBe('b');
    expect([src.reads(), asked]).toEqual([2, 3]);
  });

  it('asks a failed generation again', async () => {
    let fail = true;
    const memo = new ShortMemo<string>({ now: () => 0, generation: async () => (fail ? Promise.reject(new Error('down')) : 'g') });
    await expect(memo.get('k', async () => 'v')).rejects.toThrow('down');
    fail = false;
    expect(await memo.get('k', async () => 'v')).toBe('v');
  });
});

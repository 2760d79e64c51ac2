import { describe, expect, it } from 'vitest';
import { accepted, matches } from './http-cache.js';
import { Lru } from '../../core/lru.js';

describe('response cache helpers', () => {
  it('matches If-None-Match weakly, in lists, and *', () => {
    expect(matches('W/"abc"', 'W/"abc"')).toBe(true);
    expect(matches('"abc"', 'W/"abc"')).toBe(true);
    expect(matches('"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(matches('*', 'W/"abc"')).toBe(true);
    expect(matches('W/"abd"', 'W/"abc"')).toBe(false);
    expect(matches(undefined, 'W/"abc"')).toBe(false);
  });

  it('picks Brotli, then gzip, honouring q=0', () => {
    expect(accepted('gzip, deflate, br')).toBe('br');
    expect(accepted('br;q=0, gzip')).toBe('gzip');
    expect(accepted('br;q=0.5')).toBe('br');
    expect(accepted('gzip;q=0')).toBeNull();
    expect(accepted('brotli, identity')).toBeNull();
    expect(accepted(undefined)).toBeNull();
  });

  it('evicts the least recently used entry, by count and by size', () => {
    const lru = new Lru<string, string>(2, 10, (s) => s.length);
    lru.set('a', '1234');
    lru.set('b', '1234');
    lru.get('a'); // b is now the oldest
    lru.set('c', '12');
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual(['1234', undefined, '12']);
    lru.set('d', '123456789'); // 4 + 2 + 9 > 10: the oldest go until it fits
    expect(lru.get('d')).toBe('123456789');
    expect(lru.size).toBe(1);
    lru.set('huge', 'x'.repeat(11)); // larger than the whole cache: not kept, nothing evicted
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.get('d')).toBe('123456789');
  });
});

import { describe, expect, it } from 'vitest';
import { mediumDay } from './format.js';

describe('mediumDay', () => {
  it('writes every day of 1990–2040 as Intl does ("Jun 30, 2026")', () => {
    const intl = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
    for (let t = Date.UTC(1990, 0, 1); t <= Date.UTC(2040, 11, 31); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      expect(mediumDay(day), day).toBe(intl.format(new Date(t)));
    }
    expect(mediumDay('2026-06-30')).toBe('Jun 30, 2026');
  });

  it('leaves odd dates to Intl, which rolls them over or refuses them', () => {
    expect(mediumDay('0999-01-05')).toBe(new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date('0999-01-05T00:00:00Z')));
    expect(() => mediumDay('not a day')).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { bm25, byRelevance, idf, informativeUnits, rankKey, weightedFrequency } from './bm25.js';

describe('BM25 as FTS5 computes it', () => {
  it('floors the idf of units in half the papers or more', () => {
    expect(idf(100, 1)).toBeCloseTo(Math.log(99.5 / 1.5), 12);
    expect(idf(100, 50)).toBe(1e-6);
    expect(idf(100, 90)).toBe(1e-6);
  });

  it('scores one unit by the textbook formula, k1 = 1.2, b = 0.75', () => {
    const f = 3;
    const expected = idf(1000, 10) * ((f * 2.2) / (f + 1.2 * (0.25 + (0.75 * 150) / 100)));
    expect(bm25([f], [idf(1000, 10)], 150, 100)).toBeCloseTo(expected, 12);
    expect(bm25([0, f], [5, idf(1000, 10)], 150, 100)).toBeCloseTo(expected, 12);
  });

  it('saturates term frequency and favours short papers', () => {
    const s = (f: number, len: number) => bm25([f], [1], len, 100);
    expect(s(2, 100)).toBeGreaterThan(s(1, 100));
    expect(s(20, 100)).toBeLessThan(2.2);
    expect(s(1, 50)).toBeGreaterThan(s(1, 200));
  });

  it('weights fields', () => {
    expect(weightedFrequency({ title: 3, abstract: 1, authors: 1 }, 1, 2, 0)).toBe(5);
  });

  it('drops units in half the papers when anything rarer is asked for', () => {
    const df: Record<string, number> = { model: 800, language: 300, quokka: 0 };
    expect(informativeUnits(['model', 'language'], 1000, (u) => df[u]!)).toEqual(['language']);
    expect(informativeUnits(['model'], 1000, (u) => df[u]!)).toEqual(['model']);
    // a word found nowhere doesn't count as rarer: the common one still matches
    expect(informativeUnits(['model', 'quokka'], 1000, (u) => df[u]!)).toEqual(['model', 'quokka']);
  });

  it('orders best first, equal scores (to ~7 digits) by id', () => {
    const hits = [
      { id: 'b', score: 1.00000001 },
      { id: 'a', score: 1 },
      { id: 'c', score: 2 },
    ];
    expect(hits.sort(byRelevance).map((h) => h.id)).toEqual(['c', 'a', 'b']);
    expect(rankKey(1.23456789012345)).toBe(Math.fround(1.2345679));
    expect(rankKey(1e-6 * 1.5)).toBeGreaterThan(rankKey(1e-6 * 1.4));
  });
});

import { describe, expect, it } from 'vitest';
import {
  bm25,
  byRelevance,
  estimatedMatches,
  idf,
  informativeUnits,
  maxContribution,
  rankKey,
  viablePatterns,
  weightedFrequency,
} from './bm25.js';

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
    expect(informativeUnits(['model', 'quokka'], 1000, (u) => df[u]!)).toEqual(['model']);
    expect(informativeUnits(['quokka'], 1000, (u) => df[u]!)).toEqual(['quokka']);
  });

  it('searches only the rarest of a query of common words, not every paper for all of them', () => {
    const df: Record<string, number> = { the: 990, of: 980, and: 985, learning: 600 };
    expect(informativeUnits(['the', 'of', 'and', 'learning'], 1000, (u) => df[u]!)).toEqual(['learning']);
    expect(informativeUnits(['the', 'and'], 1000, (u) => df[u]!)).toEqual(['and']);
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

describe('scoring only papers that can reach the page', () => {
  it('bounds what one unit can add, however often a paper holds it', () => {
    const bound = maxContribution(1000, 10);
    for (const f of [1, 10, 1000, 1e6]) for (const len of [1, 100, 10_000]) expect(bm25([f], [idf(1000, 10)], len, 100)).toBeLessThan(bound);
  });

  it('lists the least sets of units whose bounds reach the bar', () => {
    // units 0, 1, 2 bounded by 5, 3 and 1
    expect(viablePatterns([5, 3, 1], 5.5)).toEqual([0b011, 0b101]);
    expect(viablePatterns([5, 3, 1], 4)).toEqual([0b001, 0b110]);
  });

  it('needs every unit when only all of them reach the bar, none when nothing can', () => {
    expect(viablePatterns([2, 2, 2], 6)).toEqual([0b111]);
    expect(viablePatterns([2, 2], 4.1)).toEqual([]);
  });

  it('keeps a paper whose bound is the bar to within rounding', () => {
    expect(viablePatterns([1, 2], 3 + 1e-9)).toEqual([0b11]);
    expect(viablePatterns([0.1, 0.2], 0.30000000000000004)).toEqual([0b11]);
  });
});

describe('estimated counts', () => {
  it('assumes independent units, two significant digits, within what is certain', () => {
    expect(estimatedMatches(1000, [500, 500])).toBe(750);
    expect(estimatedMatches(74_728, [25_450, 6_733])).toBe(30_000);
    expect(estimatedMatches(1000, [990, 5])).toBe(990);
    expect(estimatedMatches(1000, [])).toBe(0);
    expect(estimatedMatches(100_000, [3, 4])).toBe(7);
  });
});

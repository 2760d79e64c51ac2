import { describe, expect, it } from 'vitest';
import { fuseHybrid, KEYWORD_WEIGHT, minMaxNormalise } from './fusion.js';

describe('min-max normalisation', () => {
  it('maps the best hit to 1 and the worst to 0, linearly between', () => {
    expect(minMaxNormalise([{ id: 'a', score: 12 }, { id: 'b', score: 7 }, { id: 'c', score: 2 }])).toEqual([
      { id: 'a', score: 1 },
      { id: 'b', score: 0.5 },
      { id: 'c', score: 0 },
    ]);
  });
  it('gives every hit 1 when all scores are equal (one hit, or ties)', () => {
    expect(minMaxNormalise([{ id: 'a', score: 3 }])).toEqual([{ id: 'a', score: 1 }]);
    expect(minMaxNormalise([{ id: 'a', score: -0.2 }, { id: 'b', score: -0.2 }]).map((h) => h.score)).toEqual([1, 1]);
  });
  it('refuses a score that is not a finite number, naming the hit', () => {
    expect(() => minMaxNormalise([{ id: 'x1', score: NaN }])).toThrow(/"x1"/);
  });
});

describe('hybrid fusion', () => {
  it('combines normalised scores convexly with the keyword weight', () => {
    const fused = fuseHybrid(
      [{ id: 'a', score: 20 }, { id: 'b', score: 10 }, { id: 'c', score: 0 }],
      [{ id: 'c', score: 0.9 }, { id: 'b', score: 0.5 }, { id: 'a', score: 0.1 }],
      { keywordWeight: 0.75 },
    );
    // a: 0.75·1 + 0.25·0 ; b: 0.75·0.5 + 0.25·0.5 ; c: 0.75·0 + 0.25·1
    expect(fused.map((h) => h.id)).toEqual(['a', 'b', 'c']);
    expect(fused[0]!.score).toBeCloseTo(0.75, 12);
    expect(fused[1]!.score).toBeCloseTo(0.5, 12);
    expect(fused[2]!.score).toBeCloseTo(0.25, 12);
  });

  it('lets a strong semantic hit overtake keyword hits when the semantic weight is large enough', () => {
    const kw = [{ id: 'k1', score: 9 }, { id: 'k2', score: 8 }, { id: 'k3', score: 1 }];
    const sem = [{ id: 's1', score: 0.8 }, { id: 'k3', score: 0.2 }];
    expect(fuseHybrid(kw, sem, { keywordWeight: 1 })[0]!.id).toBe('k1');
    expect(fuseHybrid(kw, sem, { keywordWeight: 0 })[0]!.id).toBe('s1');
    // at 0.5: k1 = 0.5, s1 = 0.5, k2 = 0.5·7/8: k1 and s1 tie and fall to the id order
    expect(fuseHybrid(kw, sem, { keywordWeight: 0.5 }).slice(0, 2).map((h) => h.id)).toEqual(['k1', 's1']);
  });

  it('counts a paper missing from one list as that list\'s zero, and keeps every paper once', () => {
    const fused = fuseHybrid([{ id: 'a', score: 5 }, { id: 'b', score: 1 }], [{ id: 'c', score: 0.7 }, { id: 'a', score: 0.3 }]);
    expect(fused.map((h) => h.id).sort()).toEqual(['a', 'b', 'c']);
    const c = fused.find((h) => h.id === 'c')!;
    expect(c.score).toBeCloseTo(1 - KEYWORD_WEIGHT, 12);
    expect(fused.find((h) => h.id === 'b')!.score).toBe(0);
  });

  it('keeps an id listed twice in one list once, with its best score', () => {
    const fused = fuseHybrid([{ id: 'a', score: 1 }, { id: 'b', score: 3 }, { id: 'a', score: 3 }], [], { keywordWeight: 1 });
    expect(fused).toHaveLength(2);
    expect(fused.map((h) => h.score)).toEqual([1, 1]);
  });

  it('works with one list empty, cuts at the limit, and orders ties by id', () => {
    expect(fuseHybrid([], [])).toEqual([]);
    const only = fuseHybrid([], [{ id: 'z', score: 0.4 }, { id: 'y', score: 0.4 }, { id: 'x', score: 0.1 }], { limit: 2 });
    expect(only.map((h) => h.id)).toEqual(['y', 'z']);
  });

  it('refuses a weight outside [0, 1]', () => {
    expect(() => fuseHybrid([], [], { keywordWeight: 1.5 })).toThrow(/keywordWeight/);
    expect(() => fuseHybrid([], [], { keywordWeight: NaN })).toThrow(/keywordWeight/);
  });
});

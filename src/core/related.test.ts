import { describe, expect, it } from 'vitest';
import { RelatedGraph, signature, SIGNATURE_MAX_PAPERS, type Signature, type TermStats } from './related.js';
import { stem } from './tokenize.js';

const stats = (papers: number, df: Record<string, number>): TermStats => ({
  papers,
  df: new Map(Object.entries(df).map(([w, n]) => [stem(w), n])),
});

describe('signature', () => {
  const s = stats(10_000, { quokka: 3, marsupial: 40, island: 200, census: 90, model: 6000, unique: 1 });

  it('keeps the telling words: not in one paper only, not too common; rarer and title words first', () => {
    const sig = signature('Quokka census', 'A quokka census on an island: a model of marsupial numbers. Unique.', s);
    expect(sig.stems).toEqual([stem('quokka'), stem('census'), stem('marsupial'), stem('island')]);
    expect(sig.stems).not.toContain(stem('model')); // in 60% of papers
    expect(sig.stems).not.toContain(stem('unique')); // in no other paper
  });

  it('is normalised to length 1, heaviest first', () => {
    const sig = signature('Quokka census', 'island marsupial', s);
    expect(sig.weights.reduce((a, w) => a + w * w, 0)).toBeCloseTo(1, 12);
    expect([...sig.weights].sort((a, b) => b - a)).toEqual(sig.weights);
  });

  it('keeps at most `max` words, and none for a paper without telling words', () => {
    expect(signature('Quokka census', 'island marsupial', s, 2).stems).toHaveLength(2);
    expect(signature(null, null, s)).toEqual({ stems: [], weights: [] });
    expect(signature('A model', 'of models', s)).toEqual({ stems: [], weights: [] });
  });

  it('leaves out words in more papers than the absolute cap, whatever the archive size', () => {
    const big = stats(10_000_000, { transformer: SIGNATURE_MAX_PAPERS + 1, quokka: 50 });
    expect(signature('Transformer quokka', null, big).stems).toEqual([stem('quokka')]);
  });
});

describe('RelatedGraph', () => {
  const sig = (pairs: [string, number][]): Signature => {
    const norm = Math.hypot(...pairs.map(([, w]) => w));
    return { stems: pairs.map(([t]) => t), weights: pairs.map(([, w]) => w / norm) };
  };
  const graph = (papers: [string, Signature][]) => {
    const g = new RelatedGraph();
    for (const [id, s] of papers) g.add(id, s);
    g.seal();
    return g;
  };
  const nearestIds = (g: RelatedGraph, id: string, limit?: number) => {
    const index = [...Array(g.size).keys()].find((i) => g.id(i) === id)!;
    return g.nearest(index, limit).map((n) => g.id(n.index));
  };

  it('lists papers by cosine similarity of their signatures, best first, never the paper itself', () => {
    const g = graph([
      ['a', sig([['quokka', 2], ['island', 1]])],
      ['b', sig([['quokka', 2], ['island', 1]])], // the same words: cosine 1
      ['c', sig([['quokka', 1], ['genome', 3]])],
      ['d', sig([['island', 1], ['ferry', 1]])],
      ['e', sig([['galaxy', 1]])], // nothing in common with a
    ]);
    // a·d = (1/√5)(1/√2) ≈ 0.316 beats a·c = (2/√5)(1/√10) ≈ 0.283
    expect(nearestIds(g, 'a')).toEqual(['b', 'd', 'c']);
    const scores = g.nearest(0).map((n) => n.score);
    expect(scores[0]).toBeCloseTo(1, 6);
    expect(scores[1]).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(scores[2]).toBeCloseTo((2 / Math.sqrt(5)) * (1 / Math.sqrt(10)), 6);
    expect(nearestIds(g, 'e')).toEqual([]);
  });

  it('keeps the best `limit`, equal scores by id', () => {
    const same = sig([['x', 1]]);
    const g = graph(['p5', 'p3', 'p1', 'p4', 'p2', 'p0'].map((id) => [id, same] as [string, Signature]));
    expect(nearestIds(g, 'p0', 3)).toEqual(['p1', 'p2', 'p3']);
    expect(nearestIds(g, 'p3', 10)).toEqual(['p0', 'p1', 'p2', 'p4', 'p5']);
    expect(nearestIds(g, 'p3', 0)).toEqual([]);
  });

  it('answers each paper alike however many are asked before it (its scratch space is cleared)', () => {
    const g = graph([
      ['a', sig([['x', 1], ['y', 1]])],
      ['b', sig([['x', 1]])],
      ['c', sig([['y', 1]])],
      ['d', sig([['x', 1], ['y', 3]])],
    ]);
    const first = [...Array(g.size).keys()].map((i) => g.nearest(i));
    const again = [...Array(g.size).keys()].reverse().map((i) => g.nearest(i)).reverse();
    expect(again).toEqual(first);
  });

  it('refuses to be used out of order', () => {
    const g = new RelatedGraph();
    expect(() => g.nearest(0)).toThrow(/before seal/);
    g.seal();
    expect(() => g.add('a', sig([['x', 1]]))).toThrow(/after seal/);
  });
});

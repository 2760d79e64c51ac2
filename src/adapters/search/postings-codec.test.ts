import { describe, expect, it } from 'vitest';
import { decodePositions, decodePostings, encodePostings, mergeEncoded, type Posting } from './postings-codec.js';

describe('postings codec', () => {
  it('round-trips docs, lengths, per-field frequencies and positions', () => {
    const list: Posting[] = [
      { doc: 1, tokens: 12, positions: [[0, 5], [], [2]] },
      { doc: 300, tokens: 200_000, positions: [[], [1, 2, 3, 40_000], []] },
      { doc: 2 ** 30, tokens: 1, positions: [[0], [], []] },
    ];
    const { data, pos } = encodePostings(list);
    const decoded = decodePostings(data);
    expect([...decoded.docs]).toEqual([1, 300, 2 ** 30]);
    expect([...decoded.tokens]).toEqual([12, 200_000, 1]);
    expect(decoded.tf.map((f) => [...f])).toEqual([[2, 0, 1], [0, 4, 0], [1, 0, 0]]);
    expect(decodePositions(decoded, pos)).toEqual(list.map((p) => p.positions));
  });

  it('refuses truncated data instead of reading garbage', () => {
    const { data } = encodePostings([{ doc: 1000, tokens: 5, positions: [[1], [], []] }]);
    expect(() => decodePostings(data.slice(0, 1))).toThrow(/truncated/);
  });
});

describe('merging rows', () => {
  const row = (list: Posting[]) => ({ n: list.length, ...encodePostings(list) });
  const p = (doc: number, positions: Posting['positions']): Posting => ({ doc, tokens: doc * 10, positions });

  it('interleaves rows in doc order, keeps positions, drops dead docs', () => {
    const a = row([p(1, [[0], [], []]), p(7, [[], [3, 9], []])]);
    const b = row([p(4, [[], [], [1, 2]]), p(9, [[5], [6], [7]])]);
    const merged = mergeEncoded([b, a], new Set([9]))!;
    const list = decodePostings(merged.data, merged.n);
    expect([...list.docs]).toEqual([1, 4, 7]);
    expect([...list.tokens]).toEqual([10, 40, 70]);
    expect(decodePositions(list, merged.pos)).toEqual([[[0], [], []], [[], [], [1, 2]], [[], [3, 9], []]]);
    expect(mergeEncoded([row([p(9, [[0], [], []])])], new Set([9]))).toBeNull();
  });
});

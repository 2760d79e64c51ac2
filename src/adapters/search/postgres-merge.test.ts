import { describe, expect, it } from 'vitest';
import { pickMerge } from './postgres-merge.js';

describe('segment merge policy', () => {
  it('merges the smallest tier that holds 8 segments, and nothing before', () => {
    const small = Array.from({ length: 7 }, (_, i) => ({ seg: i + 1, docs: 300 }));
    expect(pickMerge(small)).toBeNull();
    expect(pickMerge([...small, { seg: 8, docs: 400 }])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const big = Array.from({ length: 8 }, (_, i) => ({ seg: 20 + i, docs: 4000 }));
    expect(pickMerge([...big, ...small])).toEqual(big.map((s) => s.seg));
    expect(pickMerge([{ seg: 1, docs: 0 }])).toBeNull();
  });
});

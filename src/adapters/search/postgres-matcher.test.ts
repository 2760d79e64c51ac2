import { describe, expect, it } from 'vitest';
import { kthLargest } from './postgres-matcher.js';

/** What sorting gives: the k-th largest. */
const bySorting = (values: Float64Array, k: number) => Float64Array.from(values).sort()[values.length - k]!;

describe('kthLargest', () => {
  it('agrees with sorting on random values, with many ties, and on sorted and reversed input', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const cases: Float64Array[] = [
      Float64Array.from({ length: 1000 }, random),
      Float64Array.from({ length: 1000 }, () => Math.floor(random() * 5)), // ties everywhere
      Float64Array.from({ length: 1000 }, (_, i) => i),
      Float64Array.from({ length: 1000 }, (_, i) => -i),
      Float64Array.from({ length: 7 }, () => 3),
      Float64Array.of(-Infinity, 2, Infinity, 0),
    ];
    for (const values of cases)
      for (const k of [1, 2, 10, Math.ceil(values.length / 2), values.length - 1, values.length].filter((x) => x >= 1 && x <= values.length))
        expect(kthLargest(Float64Array.from(values), k), `k=${k} of ${values.length}`).toBe(bySorting(values, k));
  });

  it('refuses a k outside the values', () => {
    expect(() => kthLargest(Float64Array.of(1, 2), 0)).toThrow(/outside 1\.\.2/);
    expect(() => kthLargest(Float64Array.of(1, 2), 3)).toThrow(/outside 1\.\.2/);
  });

  it('stays linear on sorted input of the size a common word reaches', () => {
    // quadratic would be 10^10 steps here: the test would not end
    const values = Float64Array.from({ length: 100_000 }, (_, i) => i);
    expect(kthLargest(values, 20)).toBe(99_980);
  });
});

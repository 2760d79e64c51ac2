import { describe, expect, it } from 'vitest';
import { adversarial, growth, MAX_GROWTH } from '../../test/support/linear.js';
import { sentences } from './sentences.js';

describe('sentences', () => {
  it('cuts at sentence ends, not inside math or before lower case', () => {
    expect(sentences('We study $a. B$ here. Results hold for 3 cases! Why? because.')).toEqual([
      'We study $a. B$ here.',
      'Results hold for 3 cases!',
      'Why? because.',
    ]);
    expect(sentences('')).toEqual([]);
    expect(sentences(null)).toEqual([]);
    expect(sentences('No end')).toEqual(['No end']);
    expect(sentences('A. B. C. D.', 2)).toEqual(['A.', 'B.']);
  });

  it('is linear on adversarial input', () => {
    for (const pattern of ['. ', '.  a', '$. B', '?\t\t\t']) {
      const g = growth((s) => sentences(s), (n) => adversarial(pattern, n), 200_000);
      expect(g.ratio, pattern).toBeLessThan(MAX_GROWTH);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { mayHoldMath, splitTex, unescapeTexText } from './tex.js';

const kinds = (s: string) => splitTex(s).map((g) => (g.kind === 'math' ? `[${g.display ? 'D' : 'I'}:${g.tex}]` : g.text)).join('');

describe('splitTex', () => {
  it('finds inline and display math in all four spellings', () => {
    expect(kinds('a $x^2$ b')).toBe('a [I:x^2] b');
    expect(kinds('a \\(x\\) b')).toBe('a [I:x] b');
    expect(kinds('a $$\\sum_i x_i$$ b')).toBe('a [D:\\sum_i x_i] b');
    expect(kinds('a \\[y\\] b')).toBe('a [D:y] b');
    expect(splitTex('$O(n)$')[0]).toMatchObject({ kind: 'math', source: '$O(n)$' });
  });

  it('leaves money alone', () => {
    for (const money of ['It costs $5 and $10.', 'between $5 and $10 per hour', 'prices of $3,$4 each', 'a $ sign', 'only $20'])
      expect(kinds(money), money).toBe(money);
    expect(kinds('costs \\$5 and $x$')).toBe('costs $5 and [I:x]');
  });

  it('needs a closing delimiter and refuses empty or huge math', () => {
    expect(kinds('unclosed \\(x and $y')).toBe('unclosed \\(x and $y');
    expect(kinds('$ $ and $$ $$')).toBe('$ $ and $$ $$');
    const huge = `$${'x'.repeat(1200)}$`;
    expect(kinds(huge)).toBe(huge);
  });

  it('knows cheaply when there is nothing to split', () => {
    expect(mayHoldMath('plain words')).toBe(false);
    expect(mayHoldMath('a $x$')).toBe(true);
    expect(unescapeTexText('50\\% of R\\&D')).toBe('50% of R&D');
  });
});

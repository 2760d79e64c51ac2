import { describe, expect, it } from 'vitest';
import { MAX_MATH, mayHoldMath, splitTex, unescapeTexText, type TexSegment } from './tex.js';

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

  it('splits as a character-by-character reading does, on many random strings', () => {
    // the plain reading of the rules: look for math at every position, else take one character
    const reference = (src: string): TexSegment[] => {
      const out: TexSegment[] = [];
      let text = '';
      for (let i = 0; i < src.length; ) {
        const m = splitTex(src.slice(i)).at(0);
        if (m?.kind === 'math' && m.start === 0) {
          if (text) out.push({ kind: 'text', text });
          text = '';
          out.push({ ...m, start: m.start + i, end: m.end + i });
          i += m.end;
        } else if (src.startsWith('\\$', i)) {
          text += '$';
          i += 2;
        } else text += src[i++];
      }
      if (text) out.push({ kind: 'text', text });
      return out;
    };
    const pieces = ['$', '$$', '\\', '\\(', '\\)', '\\[', '\\]', '\\$', 'a', ' ', '1', 'x^2', '{', '}', '\n'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 3000; k++) {
      const s = Array.from({ length: Math.floor(next() * 14) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      expect(splitTex(s), JSON.stringify(s)).toEqual(reference(s));
    }
    const long = `${'word '.repeat(300)}$x$ ${'\\$ '.repeat(50)}$${'y'.repeat(MAX_MATH)}$`;
    expect(splitTex(long)).toEqual(reference(long));
  });

  it('knows cheaply when there is nothing to split', () => {
    expect(mayHoldMath('plain words')).toBe(false);
    expect(mayHoldMath('a $x$')).toBe(true);
    expect(unescapeTexText('50\\% of R\\&D')).toBe('50% of R&D');
  });
});

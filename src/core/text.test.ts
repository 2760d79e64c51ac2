import { describe, expect, it } from 'vitest';
import { cleanAbstract, cleanLine, oneLinePrefix, splitAuthors, toDay, toIsoTimestamp } from './text.js';

describe('text normalisation', () => {
  it('unwraps hard-wrapped abstracts and keeps paragraphs', () => {
    const raw = '  We describe a new algorithm, the $(k,\\ell)$-pebble game with colors, and use\nit obtain a result.\n  A second paragraph\nstarts indented.\n';
    expect(cleanAbstract(raw)).toBe(
      'We describe a new algorithm, the $(k,\\ell)$-pebble game with colors, and use it obtain a result.\n\nA second paragraph starts indented.',
    );
    expect(cleanAbstract('one\n\n\ntwo')).toBe('one\n\ntwo');
    expect(cleanAbstract('   \n ')).toBeNull();
  });

  it('collapses whitespace in lines', () => {
    expect(cleanLine('Density dependence of the symmetry energy and the nuclear equation of\n  state')).toBe(
      'Density dependence of the symmetry energy and the nuclear equation of state',
    );
    expect(cleanLine('  ')).toBeNull();
    expect(cleanLine('nul\u0000 and bell\u0007 gone')).toBe('nul and bell gone');
    expect(cleanAbstract('a\u0000b\n\nc')).toBe('ab\n\nc');
  });

  it('splits arXiv author strings, dropping affiliations', () => {
    expect(splitAuthors('D.V. Shetty, S.J. Yennello, and G.A. Souliotis')).toEqual(['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis']);
    expect(splitAuthors('Ileana Streinu and Louis Theran')).toEqual(['Ileana Streinu', 'Louis Theran']);
    expect(splitAuthors('A. One (MIT, Cambridge), B. Two (ETH)')).toEqual(['A. One', 'B. Two']);
    expect(splitAuthors('Solo Author')).toEqual(['Solo Author']);
  });

  it('reads RFC 2822 and ISO dates', () => {
    expect(toIsoTimestamp('Tue, 3 Apr 2007 22:04:11 GMT')).toBe('2007-04-03T22:04:11.000Z');
    expect(toIsoTimestamp('2024-05-27T00:00:00.000Z')).toBe('2024-05-27T00:00:00.000Z');
    expect(toIsoTimestamp('not a date')).toBeNull();
    expect(toDay('2024-05-27')).toBe('2024-05-27');
    expect(toDay('Sat, 31 Mar 2007 02:26:18 GMT')).toBe('2007-03-31');
  });

  it('takes a one-line prefix exactly as collapsing the whole text and slicing would', () => {
    const pieces = ['a', 'bc ', ' ', '\n', '\t', '   ', '\n\n', 'word', ' '.repeat(700)];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 2000; k++) {
      const s = Array.from({ length: Math.floor(next() * 60) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      for (const max of [0, 1, 5, 40, 200]) expect(oneLinePrefix(s, max), JSON.stringify(s)).toBe(s.replace(/\s+/g, ' ').slice(0, max));
    }
  });
});

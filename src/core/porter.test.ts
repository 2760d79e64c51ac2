import { describe, expect, it } from 'vitest';
import { porterStem } from './porter.js';

describe('porterStem (FTS5 porter)', () => {
  // from Porter's 1980 paper and SQLite's own porter tests
  it.each([
    ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'ti'], ['cats', 'cat'], ['feed', 'feed'], ['agreed', 'agre'],
    ['plastered', 'plaster'], ['motoring', 'motor'], ['conflated', 'conflat'], ['troubled', 'troubl'], ['sized', 'size'],
    ['hopping', 'hop'], ['falling', 'fall'], ['filing', 'file'], ['happy', 'happi'], ['relational', 'relat'],
    ['generalization', 'gener'], ['hopeful', 'hope'], ['triplicate', 'triplic'], ['adjustment', 'adjust'],
    ['adoption', 'adopt'], ['controll', 'control'], ['roll', 'roll'], ['transformers', 'transform'],
    ['models', 'model'], ['modeling', 'model'], ['language', 'languag'], ['archaeology', 'archaeolog'],
  ])('%s → %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it('passes through tokens under 3 or over 64 bytes, and stems the ASCII suffix of others', () => {
    expect(porterStem('is')).toBe('is');
    expect(porterStem('x'.repeat(65) + 'ing')).toBe('x'.repeat(65) + 'ing');
    expect(porterStem('straße')).toBe('straß');
    expect(porterStem('中文模型')).toBe('中文模型');
  });

  // core/highlight.ts stems only the tokens starting as a query stem does, relying on this
  it('keeps the first character of every word, even words that are all suffix', () => {
    const words = ['ies', 'sses', 'eed', 'ing', 'ed', 'yes', 'ying', 'ational', 'izing', 'éies', 'ésses', 'ñing', 'ümodels', 'ys', 'aies'];
    for (let n = 3; n <= 8; n++) for (const c of 'aeiouysnt') words.push(c.repeat(n), `${c}${'ing'.repeat(n)}`);
    for (const w of words) expect({ w, first: porterStem(w)[0] }).toEqual({ w, first: w[0] });
  });
});

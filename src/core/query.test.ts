import { describe, expect, it } from 'vitest';
import { dateRange, day, isEmptyQuery, LIMITS, parseQuery, parseWords, queryUnits } from './query.js';

describe('parseQuery', () => {
  it('reads words, folded, stop words dropped, duplicates once', () => {
    const q = parseQuery('The  Évolution of LANGUAGE models, language');
    expect(q.terms).toEqual(['evolution', 'language', 'models']);
    expect(q.ignored).toEqual([]);
  });

  it('keeps stop words when nothing else is left', () => {
    expect(parseQuery('to be or not to be').terms).toEqual(['to', 'be', 'or', 'not']);
    expect(parseQuery('the who').terms).toEqual(['who']);
  });

  it('reads quoted phrases, and words held together by - . / as phrases', () => {
    const q = parseQuery('"KV cache" eviction kv-cache GPT-4 2405.15738 “smart quotes”');
    expect(q.phrases).toEqual([['kv', 'cache'], ['gpt', '4'], ['2405', '15738'], ['smart', 'quotes']]);
    expect(q.terms).toEqual(['eviction']);
  });

  it('splits at brackets, colons and other operators instead', () => {
    expect(parseQuery('NEAR(quokka island) {title}:x a,b').terms).toEqual(['near', 'quokka', 'island', 'title', 'x', 'b']);
  });

  it('keeps stop words inside phrases', () => {
    expect(parseQuery('"state of the art"').phrases).toEqual([['state', 'of', 'the', 'art']]);
  });

  it('closes an unclosed quote at the end, and says so', () => {
    const q = parseQuery('"kv cache eviction');
    expect(q.phrases).toEqual([['kv', 'cache', 'eviction']]);
    expect(q.ignored[0]!.reason).toMatch(/closing quote was missing/);
  });

  it('reads prefixes of at least 3 letters', () => {
    expect(parseQuery('transform* ab* *').prefixes).toEqual(['transform']);
    const q = parseQuery('ab*');
    expect(q.terms).toEqual(['ab']);
    expect(q.ignored.map((i) => i.text)).toEqual(['ab*']);
  });

  it('reads exclusions: -word, -"phrase", -prefix*, NOT word', () => {
    const q = parseQuery('diffusion -image -"text to" -vid* NOT audio');
    expect(q.terms).toEqual(['diffusion']);
    expect(q.exclude).toEqual({ terms: ['image', 'audio'], phrases: [['text', 'to']], prefixes: ['vid'] });
  });

  it('ignores OR and AND, which it applies anyway', () => {
    const q = parseQuery('cats OR dogs AND birds');
    expect(q.terms).toEqual(['cats', 'dogs', 'birds']);
    expect(q.ignored.map((i) => i.text)).toEqual(['OR', 'AND']);
  });

  it('reads author, category and date filters', () => {
    const q = parseQuery('author:hinton au:"Yann LeCun" cat:cs.CL category:HEP-TH year:2025 from:2025-03 to:2025-06-15');
    expect(q.filters).toEqual({
      authors: [['hinton'], ['yann', 'lecun']],
      categories: ['cs.cl', 'hep-th'],
      from: '2025-03-01',
      to: '2025-06-15',
    });
    expect(isEmptyQuery(q)).toBe(false);
    expect(queryUnits(q)).toEqual([]);
  });

  it('narrows several date filters to their overlap', () => {
    const q = parseQuery('date:2025-03-01..2025-03-31 year:2025 from:2025-03-10');
    expect([q.filters.from, q.filters.to]).toEqual(['2025-03-10', '2025-03-31']);
  });

  it('ignores bad filter values, telling the syntax', () => {
    const q = parseQuery('year:25 from:2025-02-30 date:2025-01..2025-13 cat:c$ author: -cat:cs.CL');
    expect(q.filters).toEqual({ authors: [], categories: [], from: null, to: null });
    expect(q.ignored).toHaveLength(6);
    expect(q.ignored[0]!.reason).toMatch(/YYYY-MM-DD.*date:2025-03-01\.\.2025-03-31/);
    expect(q.ignored.at(-1)!.reason).toMatch(/can’t be negated/);
    // "author:" with nothing after it is a filter without a value, not the word "author"
    expect(q.ignored[4]).toEqual({ text: 'author:', reason: 'author: needs a name, e.g. author:hinton' });
    expect(q.terms).toEqual([]);
  });

  it('reads "field: value" with a space as readers type it', () => {
    const q = parseQuery('author: hinton cat:  cs.CL year: 2025 attention: yes author: cat:cs.LG');
    expect(q.filters).toMatchObject({ authors: [['hinton']], categories: ['cs.cl', 'cs.lg'], from: '2025-01-01', to: '2025-12-31' });
    expect(q.ignored.map((x) => x.text)).toEqual(['author:']);
    expect(q.terms).toEqual(['attention', 'yes']); // not a field: words
  });

  it('caps what a huge query searches for, and says so once', () => {
    const q = parseQuery(Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ') + ' ' + '-x'.repeat(10));
    expect(q.terms).toHaveLength(LIMITS.units);
    expect(q.ignored.filter((i) => /at most 32/.test(i.reason))).toHaveLength(1);
    expect(parseQuery('"' + 'a '.repeat(50) + '"').phrases[0]).toHaveLength(LIMITS.phraseTokens);
    expect(parseQuery('x'.repeat(10_000)).terms).toEqual([]);
  });

  it('treats NUL bytes and control characters as spaces, emoji as nothing, any script as words', () => {
    expect(parseQuery('quo\u0000kka\u0007 🦘 מחקר مرحبا').terms).toEqual(['quo', 'kka', 'מחקר', 'مرحبا']);
    expect(isEmptyQuery(parseQuery('🦘🦘'))).toBe(true);
    // full-width Latin (an East Asian input method's) as the papers spell it
    expect(parseQuery('ＶＩＤＥＯ ａｕｔｈｏｒ：ｈｉｎｔｏｎ ＂ｋｖ　ｃａｃｈｅ＂')).toMatchObject({ terms: ['video'], phrases: [['kv', 'cache']], filters: { authors: [['hinton']] } });
    expect(isEmptyQuery(parseQuery(''))).toBe(true);
  });
});

describe('parseWords', () => {
  it('reads a sentence as a bag of words, operators and all', () => {
    const q = parseWords('0-dimensional "biomaterials" show -inductive properties: NOT OR*');
    expect(q.terms).toEqual(['0', 'dimensional', 'biomaterials', 'show', 'inductive', 'properties']);
    expect(q.phrases).toEqual([]);
    expect(q.exclude.terms).toEqual([]);
  });
});

describe('dates', () => {
  it('expands years and months to their first and last days', () => {
    expect(day('2024-02', 'end')).toBe('2024-02-29');
    expect(day('2025', 'start')).toBe('2025-01-01');
    expect(day('2025-2-3', 'start')).toBe('2025-02-03');
    expect(day('2025-02-29', 'start')).toBeNull();
    expect(dateRange('date', '..2025-03')).toEqual({ from: null, to: '2025-03-31' });
    expect(dateRange('year', '2023..2025')).toEqual({ from: '2023-01-01', to: '2025-12-31' });
    expect(dateRange('date', '..')).toBeNull();
  });
});

describe('bounds on costly parts', () => {
  it('searches at most 4 word beginnings, and says which were ignored', () => {
    const q = parseQuery('con* pre* tra* int* com* rep* -mod* learning');
    expect(q.prefixes).toEqual(['con', 'pre', 'tra', 'int']);
    expect(q.exclude.prefixes).toEqual([]);
    expect(q.terms).toEqual(['learning']);
    expect(q.ignored.map((i) => i.text)).toEqual(['com*', 'rep*', 'mod*']);
    expect(q.ignored[0]!.reason).toContain('at most 4 word beginnings');
    // the same prefix twice counts once
    expect(parseQuery('con* con* pre* tra* int*').prefixes).toEqual(['con', 'pre', 'tra', 'int']);
  });
});

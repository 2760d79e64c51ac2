import { describe, expect, it } from 'vitest';
import { escapeHtml, highlightHtml, highlightSpec, snippetHtml } from './highlight.js';
import { parseQuery } from './query.js';

const spec = (q: string) => highlightSpec(parseQuery(q));

describe('highlighting', () => {
  it('escapes every special character', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    expect(highlightHtml('<script>alert(1)</script> Models', spec('model'))).toBe('&#60;script&#62;alert(1)&#60;/script&#62; <mark>Models</mark>');
  });

  it('marks words by their stem and prefix, phrases only where adjacent, runs as one mark', () => {
    expect(highlightHtml('Modeling the KV cache; a cache of KV pairs', spec('model "kv cache"'))).toBe(
      '<mark>Modeling</mark> the <mark>KV cache</mark>; a cache of KV pairs',
    );
    expect(highlightHtml('Transformers transform', spec('transf*'))).toBe('<mark>Transformers transform</mark>');
    expect(highlightHtml('Ünïcödé', spec('unicode'))).toBe('<mark>Ünïcödé</mark>');
    expect(highlightHtml(null, spec('x'))).toBe('');
  });

  it('picks the ~30-word window with the most different matched words, … where cut', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    words[10] = 'alpha';
    words[70] = 'alpha';
    words[75] = 'beta';
    const s = snippetHtml(words.join(' '), spec('alpha beta'));
    expect(s.startsWith('… w67 w68 w69 <mark>alpha</mark>')).toBe(true);
    expect(s).toContain('<mark>beta</mark>');
    expect(s.endsWith(' …')).toBe(true);
    expect(s.split(' ').filter((w) => w !== '…')).toHaveLength(30);
  });

  it('starts at the beginning when nothing matches, and keeps short text whole', () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(snippetHtml(long, spec('zzz'))).toMatch(/^w0 w1 .* w29 …$/);
    expect(snippetHtml('Short   text\n\nhere.', spec('text'))).toBe('Short <mark>text</mark> here.');
  });
});

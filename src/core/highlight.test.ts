import { describe, expect, it } from 'vitest';
import { escapeHtml, highlightHtml, highlightParts, highlightSpec, SNIPPET_MATH_CHARS, snippetHtml, snippetParts, type HighlightPart } from './highlight.js';
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

describe('highlighting around math', () => {
  const maths = (parts: HighlightPart[]) => parts.filter((p) => p.kind === 'math').map((p) => p.math.source);
  /** the parts' text with the formulas' source: what a plain rendering shows */
  const plain = (parts: HighlightPart[]) => parts.map((p) => (p.kind === 'text' ? p.text : p.source.map((s) => s.text).join(''))).join('');

  it('keeps each formula one part, marking the words around it', () => {
    expect(highlightParts('SP$^3$: Spherical Priors', spec('spherical'))).toEqual([
      { kind: 'text', text: 'SP', marked: false },
      { kind: 'math', math: expect.objectContaining({ tex: '^3', source: '$^3$', display: false }), marked: false, source: [{ kind: 'text', text: '$^3$', marked: false }] },
      { kind: 'text', text: ': ', marked: false },
      { kind: 'text', text: 'Spherical', marked: true },
      { kind: 'text', text: ' Priors', marked: false },
    ]);
    expect(maths(highlightParts('Display $$\\sum_i x_i$$ and \\(y\\) and \\[z\\]', spec('x')))).toEqual(['$$\\sum_i x_i$$', '\\(y\\)', '\\[z\\]']);
  });

  it('marks a formula holding a matched word whole, and the word inside its source for plain renderings', () => {
    const parts = highlightParts('$\\mathrm{Attention}(Q)$ is all', spec('attention'));
    expect(parts[0]).toMatchObject({ kind: 'math', marked: true, source: [{ text: '$\\mathrm{', marked: false }, { text: 'Attention', marked: true }, { text: '}(Q)$', marked: false }] });
    expect(parts.slice(1)).toEqual([{ kind: 'text', text: ' is all', marked: false }]);
    // the API's string is what it was before parts: the formula's source, the word marked in it
    expect(highlightHtml('$\\mathrm{Attention}(Q)$ is all', spec('attention'))).toBe('$\\mathrm{<mark>Attention</mark>}(Q)$ is all');
  });

  it('finds math as the listings do: not across paragraphs, not in money, not after \\$', () => {
    expect(maths(highlightParts('a $x\n\ny$ b', spec('x')))).toEqual([]);
    expect(maths(highlightParts('from $5 to $10', spec('x')))).toEqual([]);
    const parts = highlightParts('costs \\$5 and $x$', spec('costs'));
    expect(maths(parts)).toEqual(['$x$']);
    expect(parts[0]).toEqual({ kind: 'text', text: 'costs', marked: true });
    expect(parts[1]).toEqual({ kind: 'text', text: ' \\$5 and ', marked: false }); // as written: the page unescapes, the API shows it
  });

  it('carries text as written and escapes it only in the HTML renderings, inside formulas and out', () => {
    const title = `<img src=x onerror=alert(1)> Model $<script>alert(2)</script>$ and $\\href{javascript:alert(3)}{x}$`;
    const parts = highlightParts(title, spec('model javascript'));
    expect(plain(parts)).toBe(title);
    expect(maths(parts)).toEqual(['$<script>alert(2)</script>$', '$\\href{javascript:alert(3)}{x}$']);
    const out = highlightHtml(title, spec('model javascript'));
    expect(out).toBe(
      '&#60;img src=x onerror=alert(1)&#62; <mark>Model</mark> $&#60;script&#62;alert(2)&#60;/script&#62;$ and $\\href{<mark>javascript</mark>:alert(3)}{x}$',
    );
    expect(out).not.toMatch(/<(?!\/?mark>)/);
  });

  it('never cuts a snippet inside a formula: it ends before one that does not fit, and starts at one', () => {
    const formula = '$\\mathcal{O}(n \\log n)$';
    for (let at = 0; at < 80; at += 3)
      for (const q of ['alpha', 'omega', 'zzz', 'log']) {
        const words = Array.from({ length: 80 }, (_, i) => `w${i}`);
        // every other one glued to the word before it, as in "size$n$"
        words[at] = at % 2 ? `${words[at]}${formula}` : formula;
        words[40] = 'alpha';
        words[75] = 'omega';
        const parts = snippetParts(words.join(' '), spec(q));
        expect(maths(parts), `${at} ${q}`).toEqual(plain(parts).includes('$') ? [formula] : []);
        for (const p of parts) if (p.kind === 'text') expect(p.text).not.toContain('$');
        const count = plain(parts).split(' ').filter((w) => w !== '…').length;
        expect(count).toBeLessThanOrEqual(30);
      }
  });

  it('counts a formula as the words inside it, and shows a long one as text that may be cut', () => {
    const long = `$${Array.from({ length: 40 }, (_, i) => `x_{${i}}`).join(' + ')}$`;
    expect(long.length).toBeGreaterThan(SNIPPET_MATH_CHARS);
    const text = `We study the sum ${long} of many terms, among other things.`;
    const parts = snippetParts(text, spec('study'));
    expect(maths(parts)).toEqual([]);
    expect(plain(parts)).toMatch(/^We study the sum \$x_\{0\} \+ x_\{1\} .* …$/);
    expect(plain(parts).length).toBeLessThan(160);
    // whole in a title
    expect(maths(highlightParts(text, spec('study')))).toEqual([long]);
  });

  it('handles a 10 kB abstract of text, math and markup quickly, with a bounded snippet', () => {
    const chunk = 'We bound the error by $\\epsilon^2 < \\delta$ <img src=x onerror=alert(1)> for models of size \\(n\\); ';
    const abstract = `${chunk.repeat(Math.ceil(10_240 / chunk.length))}Finally, a quokka $q_k$ appears.`;
    expect(abstract.length).toBeGreaterThan(10_240);
    const started = performance.now();
    const parts = snippetParts(abstract, spec('quokka delta'));
    const title = highlightParts(abstract, spec('model'));
    expect(performance.now() - started).toBeLessThan(500);
    expect(plain(title)).toBe(abstract.replace(/\s+/g, ' ').trim());
    expect(title.filter((p) => p.kind === 'math')).toHaveLength(2 * Math.ceil(10_240 / chunk.length) + 1);
    expect(parts.some((p) => p.kind === 'text' && p.marked && p.text === 'quokka')).toBe(true);
    expect(plain(parts).length).toBeLessThan(400);
    expect(plain(parts).startsWith('… ')).toBe(true);
    for (const p of parts) if (p.kind === 'math') expect(p.math.source).toMatch(/^(\$[^$]+\$|\\\(n\\\))$/);
    const html = snippetHtml(abstract, spec('quokka delta'));
    expect(html).not.toMatch(/<(?!\/?mark>)/);
    expect(html).toContain('<mark>quokka</mark>');
  });

  it('marks the words text commands show, without the commands', () => {
    expect(highlightHtml('We propose \\textbf{Quokka}, see \\href{https://q.org}{its page} (50\\% faster).', spec('quokka page'))).toBe(
      'We propose <mark>Quokka</mark>, see its <mark>page</mark> (50% faster).',
    );
  });
});


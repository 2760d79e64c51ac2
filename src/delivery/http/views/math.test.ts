import { describe, expect, it } from 'vitest';
import { highlightParts, highlightSpec, snippetParts } from '../../../core/highlight.js';
import { parseQuery } from '../../../core/query.js';
import { esc, html, safeUrl, trusted } from './html.js';
import { KATEX_BOUNDS, splitAbstract, texHighlight, texLine, texParagraphs, texProse } from './math.js';

describe('html', () => {
  it('escapes every interpolated value unless it is Html already', () => {
    const evil = `<img src=x onerror="alert('1')">&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>',
    );
    expect(html`<ul>${['<a>', html`<li>ok</li>`, null, false, 3]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>ok</li>3</ul>');
    expect(html`${trusted('<mark>x</mark>')}`.value).toBe('<mark>x</mark>');
    expect(esc(null)).toBe('');
  });

  it('lets only http(s) URLs into links', () => {
    expect(safeUrl('https://github.com/a/b')).toBe('https://github.com/a/b');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', '//evil.example', 'not a url', null]) expect(safeUrl(bad), String(bad)).toBeNull();
  });
});

describe('texLine', () => {
  it('renders inline and display math with KaTeX, escaping the text around it', () => {
    const out = texLine('A <b> and $x^2$ then $$\\sum_i i$$').value;
    expect(out).toMatch(/^A &lt;b&gt; and <span class="katex"><span class="katex-mathml"><math/);
    expect(out).toContain('<span class="katex-display">');
    expect(out).not.toContain('<b>');
  });

  it('falls back to the escaped source for LaTeX KaTeX refuses, and keeps money as text', () => {
    expect(texLine('bad $\\frac{<i>$ here').value).toBe('bad <code class="tex" title="LaTeX that could not be rendered">$\\frac{&lt;i&gt;$</code> here');
    expect(texLine('from $5 to $10').value).toBe('from $5 to $10');
    expect(texLine('50\\% of R\\&D').value).toBe('50% of R&amp;D');
  });

  it('keeps markup inside math escaped, and refuses KaTeX commands that could link or style', () => {
    const out = texLine('$<script>alert(1)</script>$ and $\\href{javascript:alert(1)}{x}$ and $\\htmlClass{a}{b}$').value;
    expect(out).not.toMatch(/<script|href="javascript|class="a"/);
    expect(out).toContain('&lt;');
    // refused, each is shown as its source, never as KaTeX's red error text
    expect(out).toContain('<code class="tex" title="LaTeX that could not be rendered">$\\href{javascript:alert(1)}{x}$</code>');
    expect(out).toContain('<code class="tex" title="LaTeX that could not be rendered">$\\htmlClass{a}{b}$</code>');
    expect(texLine('$\\includegraphics{https://example.org/x.png}$ $\\url{ftp://example.org/x}$').value).not.toMatch(/cc0000|<img|<a /);
  });

  it('shows text commands as styles everywhere, and links only in prose', () => {
    const s = 'We release \\textbf{Foo} at https://github.com/x/foo\\_bar and \\href{https://foo.org}{its \\emph{page}}.';
    expect(texLine(s).value).toBe('We release <strong>Foo</strong> at https://github.com/x/foo_bar and its <em>page</em>.');
    expect(texProse(s).value).toBe(
      'We release <strong>Foo</strong> at <a href="https://github.com/x/foo_bar" rel="nofollow ugc noopener">https://github.com/x/foo_bar</a> and ' +
        '<a href="https://foo.org" rel="nofollow ugc noopener">its <em>page</em></a>.',
    );
    // beside math, and escaped
    expect(texProse('$x$ <b> \\textsc{Ab&c} https://a.org/?q=1&r=2').value).toMatch(/<\/span> &lt;b&gt; <span class="smallcaps">Ab&amp;c<\/span> <a href="https:\/\/a.org\/\?q=1&amp;r=2" rel="nofollow ugc noopener">https:\/\/a.org\/\?q=1&amp;r=2<\/a>$/);
    expect(texParagraphs(['see https://a.org']).value).toContain('<a href="https://a.org"');
  });

  it('keeps the links authors put in formulas when they go to http(s) addresses', () => {
    const out = texLine('Code is available via the $\\href{https://github.com/x/y}{\\text{repository}}$ and $\\url{http://example.org/data}$.').value;
    expect(out).toContain('<a href="https://github.com/x/y">');
    expect(out).toContain('<a href="http://example.org/data">');
    expect(out).not.toMatch(/cc0000|class="tex"/);
  });
});

describe('splitAbstract', () => {
  const sentence = (n: number) => `Sentence number ${n} says something about language models and their training data.`;

  it('keeps a short abstract whole', () => {
    expect(splitAbstract('Short. Abstract.')).toEqual({ teaser: ['Short. Abstract.'], rest: [] });
    expect(splitAbstract(null)).toEqual({ teaser: [], rest: [] });
  });

  it('cuts a long one at a sentence end, never inside math, losing nothing', () => {
    const long = [sentence(1), sentence(2), `We bound it by $a. B$ and more.`, sentence(4), sentence(5), sentence(6)].join(' ');
    const { teaser, rest } = splitAbstract(long);
    expect(teaser).toHaveLength(1);
    expect(teaser[0]).toMatch(/\.$/);
    expect(teaser[0]!.length).toBeGreaterThanOrEqual(180);
    expect(`${teaser[0]} ${rest.join(' ')}`).toBe(long);
    expect(teaser[0]!.split('$').length % 2).toBe(1); // an even number of $: no formula cut in two
    // nor a command's argument: the cut moves before \textbf{…} rather than into it
    const bold = `${sentence(1)} ${sentence(2)} We call it \\textbf{${'a very long bold name '.repeat(30)}} and go on. ${sentence(4)}`;
    const cut = splitAbstract(bold);
    expect(`${cut.teaser[0]} ${cut.rest.join(' ')}`).toBe(bold);
    expect(cut.teaser[0]!.split('{').length).toBe(cut.teaser[0]!.split('}').length);
  });

  it('puts later paragraphs behind "more"', () => {
    const p1 = 'First paragraph, short.';
    const p2 = sentence(1).repeat(8);
    expect(splitAbstract(`${p1}\n\n${p2}`)).toEqual({ teaser: [p1], rest: [p2] });
  });
});

describe('texHighlight', () => {
  const spec = (q: string) => highlightSpec(parseQuery(q));

  it('typesets the math of a highlighted title as texLine does, with the matched words in <mark>', () => {
    const title = 'SP$^3$: Spherical Priors';
    const out = texHighlight(highlightParts(title, spec('spherical'))).value;
    expect(out).toBe(`SP${texLine('$^3$').value}: <mark>Spherical</mark> Priors`);
    expect(out).toContain('<span class="katex">');
    expect(out).not.toContain('$');
  });

  it('marks a formula holding a matched word whole, never inside KaTeX markup', () => {
    const out = texHighlight(highlightParts('Fast $\\mathrm{Attention}$ kernels', spec('attention'))).value;
    expect(out).toMatch(/^Fast <mark><span class="katex">.*<\/span><\/mark> kernels$/);
    expect(out.match(/<mark>/g)).toHaveLength(1);
  });

  it('escapes markup outside and inside math, and refuses KaTeX commands that could link or style', () => {
    const title = `<img src=x onerror=alert(1)> Model $<script>alert(2)</script>$ $\\href{javascript:alert(3)}{x}$ $\\htmlClass{a}{b}$ "q" & 50\\% \\$5`;
    const out = texHighlight(highlightParts(title, spec('model javascript alert'))).value;
    expect(out).not.toMatch(/<script|<img|href="javascript|class="a"/);
    expect(out).toContain('&lt;img src=x onerror=<mark>alert</mark>(1)&gt; <mark>Model</mark> <mark><span class="katex">');
    expect(out).toContain('&quot;q&quot; &amp; 50% $5');
    // no tag of any kind carries an event handler, and none is one that runs or links
    expect(out).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    expect(out).not.toMatch(/<(script|img|iframe|a|object|embed)\b/i);
  });

  it('shows a snippet cut from the abstract with whole formulas only', () => {
    const abstract = `${'Some words before. '.repeat(20)}We prove a rate of $O(1/\\sqrt{T})$ for convex losses. ${'More words after. '.repeat(20)}`;
    const out = texHighlight(snippetParts(abstract, spec('convex'))).value;
    expect(out).toMatch(/^… of <span class="katex">.*<\/span> for <mark>convex<\/mark> losses\. .* …$/s);
    expect(out).not.toContain('$');
  });
});

describe('KaTeX works within bounds per field', () => {
  const rendered = (h: { value: string }) => h.value.split('class="katex"').length - 1;
  const asSource = (h: { value: string }) => h.value.split('too much of it to render').length - 1;

  it('renders the first formulas of a field and shows the rest as their escaped source', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `$a_{${i}}$`).join(' ');
    const out = texProse(many);
    expect(rendered(out)).toBe(KATEX_BOUNDS.formulas);
    expect(asSource(out)).toBe(2000 - KATEX_BOUNDS.formulas);
    expect(out.value).toContain('<code class="tex" title="LaTeX shown as written: too much of it to render">$a_{1999}$</code>');
    // paragraphs of one abstract share the budget: a blank line does not reset it
    expect(rendered(texParagraphs(many.split(' ')))).toBe(KATEX_BOUNDS.formulas);
  });

  it('shows a formula nested too deep or with too many cells as its source', () => {
    const deep = `$${'{'.repeat(KATEX_BOUNDS.depth + 1)}x${'}'.repeat(KATEX_BOUNDS.depth + 1)}$`;
    expect(asSource(texLine(deep))).toBe(1);
    const matrix = `$\\begin{matrix}${'a&'.repeat(KATEX_BOUNDS.cells + 1)}\\end{matrix}$`;
    expect(asSource(texLine(matrix))).toBe(1);
    expect(rendered(texLine('$\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$ and ${{{x}}}$'))).toBe(2);
  });

  it('keeps the markup of a 20,000-character abstract of formulas bounded', () => {
    const abstract = Array.from({ length: 2500 }, (_, i) => `$x^{${i}}$`).join(' ').slice(0, 20_000);
    // 100 rendered formulas of ~1 kB of KaTeX markup, the rest as source: far below the 2 MB of rendering them all
    expect(texProse(abstract).value.length).toBeLessThan(400_000);
  });
});

/**
 * Search results typeset their math as the listings do, on the real search service over the demo
 * papers: a title such as "SP$^3$: …" shows KaTeX markup and no dollar signs, the query's words
 * stay in <mark>, snippets hold whole formulas only, and markup in a title's math stays text.
 * The API's titleHtml and snippetHtml keep their contract: escaped text, <mark> the only tag.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sqliteHarness } from '../support/sqlite-harness.js';
import { useSite, type Site } from './site.js';

/** The result item of paper `id` on a search page. */
const result = (page: string, id: string) => page.split('<li class="paper-item">').find((li) => li.includes(`<a href="/papers/${id}">`)) ?? '';
const titleOf = (li: string) => /<h2 class="paper-title"[^>]*><a [^>]*>(.*?)<\/a><\/h2>/s.exec(li)?.[1] ?? '';
const snippetOf = (li: string) => /<p class="snippet">(.*?)<\/p>/s.exec(li)?.[1] ?? '';
/** What the reader sees: the markup without tags, and without KaTeX's MathML copy of each formula. */
const visible = (markup: string) => markup.replace(/<span class="katex-mathml">.*?<\/math><\/span>/gs, '').replace(/<[^>]+>/g, '');

describe('search results with math', () => {
  const theSite = useSite(sqliteHarness);
  let site: Site;
  beforeEach(() => {
    site = theSite();
  });

  it('typesets "SP$^3$" in a title and keeps the matched words marked', async () => {
    const res = await site.get('/search?q=spherical+priors');
    expect(res.statusCode).toBe(200);
    const li = result(res.body, '2606.16396');
    const title = titleOf(li);
    expect(title).toMatch(/^SP<span class="katex">.*<\/span>: <mark>Spherical Priors<\/mark> for Plug-and-Play Restoration$/s);
    expect(title).not.toContain('$');
    expect(visible(title)).toBe('SP3: Spherical Priors for Plug-and-Play Restoration');
    const snippet = snippetOf(li);
    expect(snippet).toContain('class="katex"');
    expect(snippet).toContain('<mark>Spherical</mark>');
    expect(snippet).not.toContain('$');
  });

  it('marks a word next to math in a snippet, and never shows half a formula', async () => {
    const li = result((await site.get('/search?q=faster+restoration')).body, '2606.16396');
    const snippet = snippetOf(li);
    expect(snippet).toMatch(/<span class="katex">.*<\/span>-<span class="katex">.*<\/span> <mark>faster<\/mark>\.$/s);
    expect(visible(snippet)).toMatch(/ 3-630× faster\.$/);
    expect(snippet).not.toContain('$');
  });

  it('keeps markup in a title and its math as text, and KaTeX from linking', async () => {
    const res = await site.get('/search?q=attack');
    const li = result(res.body, '2606.90001');
    expect(li).not.toBe('');
    expect(titleOf(li)).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; <mark>Attack</mark> &lt;img src=x onerror=alert(1)&gt; ');
    expect(li).not.toMatch(/<(script|img|iframe|svg)\b|href="javascript/i);
    expect(li).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    const abstract = result((await site.get('/search?q=ampersands')).body, '2606.90001');
    expect(snippetOf(abstract)).toContain('<mark>ampersands</mark>');
    expect(abstract).not.toMatch(/<(script|img|iframe|svg)\b|href="javascript/i);
    expect(abstract).not.toMatch(/<[a-z][^>]*\son\w+=/i);
  });

  it('leaves the API as it was: escaped text, the formula as its source, <mark> the only tag', async () => {
    const res = await site.get('/api/v1/search?q=spherical+priors');
    expect(res.statusCode).toBe(200);
    const hits = (res.json() as { hits: { paper: { id: string }; titleHtml: string; snippetHtml: string }[] }).hits;
    const hit = hits.find((h) => h.paper.id === '2606.16396');
    expect(hit?.titleHtml).toBe('SP$^3$: <mark>Spherical Priors</mark> for Plug-and-Play Restoration');
    for (const h of hits) expect(h.titleHtml + h.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
  });
});

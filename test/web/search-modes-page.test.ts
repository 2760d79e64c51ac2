/**
 * The search page's modes on the real search service, with embeddings (a hashed bag-of-stems
 * embedder over every stored paper) and without: the switch, results found by meaning said so
 * with their closest sentence, the mode kept in page links, feeds and the alert form, hostile
 * input escaped, and the fallback said on the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedStore } from '../support/semantic.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import { buildSite, openSiteStore, type Site } from './site.js';

describe('the search page with search modes', () => {
  let site: Site;
  let plain: Site;
  beforeAll(async () => {
    const { opened, ingest } = await openSiteStore(sqliteHarness);
    site = await buildSite(opened, ingest, { semantic: await embedStore(opened) });
    plain = await buildSite(opened, ingest);
  }, 60_000);
  afterAll(async () => {
    await site.close();
    await plain.close();
    await site.opened.store.close();
  });

  it('shows a mode switch, hybrid by default, that works without JavaScript', async () => {
    const res = await site.get('/search?q=video+editing');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<form class="search-form"[^>]*action="\/search" method="get">[\s\S]*<fieldset class="search-modes">\s*<legend>Search by<\/legend>/);
    expect(res.body).toContain('<input type="radio" name="mode" value="hybrid" checked> Words and meaning');
    expect(res.body).toContain('<input type="radio" name="mode" value="keyword"> Words');
    expect(res.body).not.toContain('search-fallback');
    // the default is left out of links
    expect(res.body).toContain('href="/feeds/search.rss?q=video+editing"');
  });

  it('says which results matched by meaning, with the closest sentence, and keeps the mode in every link', async () => {
    const res = await site.get('/search?q=video+editing&mode=semantic');
    expect(res.body).toContain('<input type="radio" name="mode" value="semantic" checked> Meaning');
    expect(res.body).toMatch(/<span class="match-note">Similar in meaning:<\/span> \S/);
    expect(res.body).toContain('href="/search?q=video+editing&amp;mode=semantic&amp;page=2" rel="next"');
    expect(res.body).toContain('<a href="/feeds/search.atom?q=video+editing&amp;mode=semantic">Atom</a>');
    expect(res.body).toContain('href="/feeds/search.rss?q=video+editing&amp;mode=semantic"');
    const keyword = await site.get('/search?q=video+editing&mode=keyword');
    expect(keyword.body).not.toContain('Similar in meaning');
    expect(keyword.body).toContain('href="/search?q=video+editing&amp;mode=keyword&amp;page=2" rel="next"');
  });

  it('escapes a hostile query and ignores a hostile mode', async () => {
    const q = `"><script>alert(1)</script> video`;
    for (const mode of ['semantic', `"><script>alert(2)</script>`]) {
      const res = await site.app.inject({ method: 'GET', url: '/search', query: { q, mode } });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/<script>alert/);
      expect(res.body).toContain(mode === 'semantic' ? 'value="semantic" checked' : 'value="hybrid" checked');
    }
  });

  it('without embeddings: keyword results, said so, for hybrid and for semantic', async () => {
    for (const mode of ['hybrid', 'semantic']) {
      const res = await plain.get(`/search?q=video+editing&mode=${mode}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<p class="notice search-fallback" role="status">Searched by keywords only:');
      expect(res.body).toContain('<mark>');
      expect(res.body).toContain(`value="${mode}" checked`);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { samplePaper } from '../../../../test/support/papers.js';
import { searchMain, type SearchPageData } from './search.view.js';

const data = (o: Partial<SearchPageData>): SearchPageData => ({
  q: 'video editing',
  mode: 'semantic',
  fallback: null,
  sort: 'relevance',
  page: 1,
  pageSize: 20,
  total: 1,
  totalIsEstimate: false,
  hits: [],
  notice: null,
  problem: null,
  ...o,
});

describe('the search page view', () => {
  it('sends the mode with the alert form', () => {
    const page = String(searchMain(data({}), true));
    expect(page).toMatch(/<form class="subscribe"[\s\S]*<input type="hidden" name="mode" value="semantic">[\s\S]*<\/form>/);
  });

  it('says a hit found by meaning is one, with its closest sentence escaped, or the abstract when none is known', () => {
    const paper = samplePaper('2606.00001', { title: 'T', abstract: 'First <b>one</b>. Second.' });
    const page = String(searchMain(data({ hits: [{ paper, match: 'semantic', closestSentence: 'Second <i>x</i>.' }] }), false));
    expect(page).toContain('<span class="match-note">Similar in meaning:</span> Second &lt;i&gt;x&lt;/i&gt;.');
    const none = String(searchMain(data({ hits: [{ paper, match: 'semantic', closestSentence: null }] }), false));
    expect(none).toContain('<span class="match-note">Similar in meaning</span> First &lt;b&gt;one&lt;/b&gt;. Second.');
  });
});

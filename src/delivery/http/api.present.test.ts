import { describe, expect, it } from 'vitest';
import { samplePaper } from '../../../test/support/papers.js';
import type { PeriodListing } from '../../services/listing.service.js';
import { presentListing, presentPaper, presentSearch } from './api.present.js';
import type { SearchQuery } from './api.params.js';

const BASE = 'https://example.org/prefix/';
const API = 'https://example.org/prefix/api/v1/papers/date/2024-05-28';

function listing(total: number, page: number, pageSize: number): PeriodListing {
  return {
    period: { kind: 'day', key: '2024-05-28' },
    from: '2024-05-28',
    to: '2024-05-28',
    order: 'trending',
    scope: 'curated',
    page,
    pageSize,
    total,
    allTotal: total,
    curated: total,
    filled: false,
    votes: {},
    submittedBy: {},
    papers: [],
    previous: { kind: 'day', key: '2024-05-27' },
    next: null,
    lastDay: null,
  };
}

describe('presentPaper', () => {
  it('keeps the public fields, drops provenance, keeps local votes apart from Hugging Face upvotes, links on the public URL', () => {
    const p = presentPaper(samplePaper('hep-th/9901001'), BASE);
    expect(p).not.toHaveProperty('provenance');
    expect(p).toMatchObject({ id: 'hep-th/9901001', version: 2, votes: 0, day: '2024-05-28', categories: ['cs.LG', 'stat.ML'] });
    expect(presentPaper(samplePaper('hep-th/9901001'), BASE, 3)).toMatchObject({ votes: 3, hf: { upvotes: 12 } });
    expect(p.links).toEqual({
      html: 'https://example.org/prefix/papers/hep-th/9901001',
      api: 'https://example.org/prefix/api/v1/papers/hep-th/9901001',
      abs: 'https://arxiv.org/abs/hep-th/9901001',
      pdf: 'https://arxiv.org/pdf/hep-th/9901001',
      code: 'https://github.com/example/repo',
      project: null,
    });
    expect(p.hf).toEqual({ upvotes: 12, comments: 3, githubStars: 40, aiKeywords: ['natural gradient', 'thermodynamic computing'], aiSummary: 'A summary.', featuredOn: '2024-05-28' });
  });

  it('turns missing lists into empty ones', () => {
    const p = presentPaper(samplePaper('2405.15738', { authors: null, categories: null, hf: { ...samplePaper('x').hf, aiKeywords: null } }), BASE);
    expect([p.authors, p.categories, p.hf.aiKeywords]).toEqual([[], [], []]);
  });
});

describe('presentListing links', () => {
  const q = (page: number, pageSize = 10) => ({ order: 'trending' as const, page, pageSize });
  const at = (page: number, size = 10) => `${API}?order=trending&page=${page}&pageSize=${size}`;

  it('has no prev on the first page and no next on the last', () => {
    expect(presentListing(listing(25, 1, 10), q(1), BASE).links).toMatchObject({ self: at(1), first: at(1), last: at(3), prev: null, next: at(2) });
    expect(presentListing(listing(25, 3, 10), q(3), BASE).links).toMatchObject({ prev: at(2), next: null, last: at(3) });
    expect(presentListing(listing(30, 3, 10), q(3), BASE).links).toMatchObject({ next: null, last: at(3) });
  });

  it('points a page past the end back to the last page, and an empty period to page 1', () => {
    expect(presentListing(listing(25, 9, 10), q(9), BASE).links).toMatchObject({ prev: at(3), next: null });
    expect(presentListing(listing(0, 1, 10), q(1), BASE).links).toMatchObject({ last: at(1), prev: null, next: null });
  });

  it('names the neighbouring periods and the feeds', () => {
    const l = presentListing(listing(5, 1, 50), q(1, 50), BASE);
    expect(l.period).toEqual({
      kind: 'day',
      key: '2024-05-28',
      from: '2024-05-28',
      to: '2024-05-28',
      previous: { kind: 'day', key: '2024-05-27', href: 'https://example.org/prefix/api/v1/papers/date/2024-05-27' },
      next: null,
    });
    expect(l.links.feeds.json).toBe('https://example.org/prefix/feeds/date/2024-05-28.json');
  });
});

describe('presentSearch links', () => {
  const q: SearchQuery = { q: 'kv cache & "eviction"', mode: 'keyword', sort: 'relevance', limit: 20, offset: 20 };
  const r = (total: number) => ({ q: q.q, total, limit: 20, offset: 20, hits: [], notice: null });

  it('pages by offset, encoding the query', () => {
    const links = presentSearch(r(45), q, BASE).links;
    expect(links.prev).toBe('https://example.org/prefix/api/v1/search?q=kv+cache+%26+%22eviction%22&mode=keyword&sort=relevance&limit=20&offset=0');
    expect(links.next).toContain('&offset=40');
    expect(presentSearch(r(40), q, BASE).links.next).toBeNull();
    expect(links.feeds.rss).toBe('https://example.org/prefix/feeds/search.rss?q=kv+cache+%26+%22eviction%22&mode=keyword');
  });

  it('says when the total is an estimate, and ends at a short page whatever the estimate says', () => {
    expect(presentSearch(r(45), q, BASE).totalIsEstimate).toBe(false);
    const short = { ...r(12_000), totalIsEstimate: true, hits: [] };
    expect(presentSearch(short, q, BASE)).toMatchObject({ total: 12_000, totalIsEstimate: true, links: { next: null } });
  });

  it('sends an offset past the end back to the last page', () => {
    expect(presentSearch(r(30), { ...q, offset: 200 }, BASE).links.prev).toContain('&offset=10');
  });
});

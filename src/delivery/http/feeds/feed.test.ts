import { describe, expect, it } from 'vitest';
import { samplePaper } from '../../../../test/support/papers.js';
import { buildFeed, type FeedSpec } from './feed.js';

const spec: FeedSpec = {
  title: 'T',
  description: 'D',
  homePath: '/papers/date/2024-05-28',
  feedPath: (f) => `/feeds/date/2024-05-28.${f}`,
  emptyDate: '2024-05-28',
};

describe('buildFeed', () => {
  it('names items by their arXiv abstract URL and links them on the public URL', () => {
    const doc = buildFeed(spec, [samplePaper('hep-th/9901001')], 'https://example.org/pb');
    expect(doc.feedUrls.atom).toBe('https://example.org/pb/feeds/date/2024-05-28.atom');
    expect(doc.entries[0]).toMatchObject({
      id: 'https://arxiv.org/abs/hep-th/9901001',
      url: 'https://example.org/pb/papers/hep-th/9901001',
      pdfUrl: 'https://arxiv.org/pdf/hep-th/9901001',
      // featured on 2024-05-28 (listed 05-27, submitted 05-24): the day its listing shows it
      published: '2024-05-28T00:00:00.000Z',
      updated: '2024-06-01T09:00:00.000Z',
    });
  });

  it('dates an item by its listing day, never updated before it, and titles it in plain text', () => {
    const p = samplePaper('2405.00004', { title: 'M$^3$Eval: \\textbf{Multi}-modal $\\alpha$', updatedAt: '2024-05-25T00:00:00.000Z', hf: { ...samplePaper('x').hf, featuredOn: null } });
    expect(buildFeed(spec, [p], 'https://x.org').entries[0]).toMatchObject({
      title: 'M³Eval: Multi-modal α',
      published: '2024-05-27T00:00:00.000Z',
      updated: '2024-05-27T00:00:00.000Z',
    });
  });

  it('dates the feed by its newest item, not by the clock, so an unchanged feed is the same bytes', () => {
    const a = samplePaper('2405.00001', { updatedAt: '2024-06-03T00:00:00.000Z' });
    const b = samplePaper('2405.00002', { updatedAt: '2024-06-09T12:00:00.000Z' });
    expect(buildFeed(spec, [a, b], 'https://x.org').updated).toBe('2024-06-09T12:00:00.000Z');
    expect(buildFeed(spec, [], 'https://x.org').updated).toBe('2024-05-28T00:00:00.000Z');
  });

  it('falls back to the listed day when dates are missing or unreadable, and to the id without a title', () => {
    const p = samplePaper('2405.00003', { title: null, submittedAt: null, updatedAt: 'not a date', abstract: null, listedOn: null, hf: { ...samplePaper('x').hf, featuredOn: null } });
    const e = buildFeed(spec, [p], 'https://x.org').entries[0]!;
    expect(e).toMatchObject({ title: '2405.00003', abstract: '', published: '2024-05-28T00:00:00.000Z', updated: '2024-05-28T00:00:00.000Z' });
  });
});

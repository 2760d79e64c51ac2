import { describe, expect, it } from 'vitest';
import { mergeRecord, samePaper } from './merge.js';
import type { Paper, PaperRecord } from './paper.js';
import { paperDay } from './paper.js';

const arxiv = (over: Partial<PaperRecord> = {}): PaperRecord => ({
  id: '2405.15738',
  version: 1,
  source: 'kaggle',
  title: 'arXiv title',
  abstract: 'arXiv abstract',
  authors: ['A One', 'B Two'],
  categories: ['cs.LG', 'stat.ML'],
  submittedAt: '2024-05-24T17:59:02.000Z',
  updatedAt: '2024-05-24T17:59:02.000Z',
  versions: [{ version: 1, submittedAt: '2024-05-24T17:59:02.000Z', size: null }],
  ...over,
});
const hf = (over: Partial<PaperRecord> = {}): PaperRecord => ({
  id: '2405.15738',
  version: null,
  source: 'hf-daily',
  title: 'HF title',
  abstract: 'HF abstract',
  authors: ['A One'],
  codeUrl: 'https://github.com/x/y',
  hf: { upvotes: 10, comments: 1, githubStars: 3, aiKeywords: ['k'], aiSummary: 's', featuredOn: '2024-05-28' },
  ...over,
});

describe('mergeRecord', () => {
  it('creates a paper from a first record, with provenance', () => {
    const p = mergeRecord(null, arxiv())!;
    expect(p.title).toBe('arXiv title');
    expect(p.latestVersion).toBe(1);
    expect(p.provenance.title).toBe('kaggle');
  });

  it('lets arXiv metadata win over Hugging Face, whichever comes first, and keeps both sets of fields', () => {
    const a = mergeRecord(mergeRecord(null, hf())!, arxiv())!;
    const b = mergeRecord(mergeRecord(null, arxiv())!, hf())!;
    for (const p of [a, b]) {
      expect(p.title).toBe('arXiv title');
      expect(p.authors).toEqual(['A One', 'B Two']);
      expect(p.hf.upvotes).toBe(10);
      expect(p.codeUrl).toBe('https://github.com/x/y');
      expect(p.provenance).toMatchObject({ title: 'kaggle', codeUrl: 'hf-daily', hf: 'hf-daily' });
    }
    expect(JSON.stringify(a.hf)).toBe(JSON.stringify(b.hf));
  });

  it('shows the newest version’s metadata and keeps the history', () => {
    const v2 = arxiv({
      version: 2,
      source: 'oai-pmh',
      title: 'v2 title',
      updatedAt: '2024-06-01T00:00:00.000Z',
      versions: [
        { version: 1, submittedAt: '2024-05-24T17:59:02.000Z', size: '100kb' },
        { version: 2, submittedAt: '2024-06-01T00:00:00.000Z', size: '120kb' },
      ],
    });
    const p = mergeRecord(mergeRecord(null, v2)!, arxiv({ title: 'v1 title', comments: 'only in v1' }))!;
    expect(p.title).toBe('v2 title');
    expect(p.comments).toBe('only in v1'); // an older record still fills gaps
    expect(p.latestVersion).toBe(2);
    expect(p.versions.map((v) => [v.version, v.size])).toEqual([
      [1, '100kb'],
      [2, '120kb'],
    ]);
  });

  it('keeps the highest upvotes and the earliest featured day, whatever the order', () => {
    const early = hf({ hf: { upvotes: 5, featuredOn: '2024-05-28' } });
    const late = hf({ hf: { upvotes: 30, featuredOn: '2024-05-29' } });
    const x = mergeRecord(mergeRecord(null, early)!, late)!;
    const y = mergeRecord(mergeRecord(null, late)!, early)!;
    expect(x.hf.upvotes).toBe(30);
    expect(x.hf.featuredOn).toBe('2024-05-28');
    expect(samePaper(x, y)).toBe(true);
    expect(paperDay(x)).toBe('2024-05-28');
  });

  it('takes what Hugging Face says from its latest day, the same in every order of the days', () => {
    const days = [
      hf({ projectUrl: 'https://a.example/', codeUrl: null, hf: { upvotes: 2, comments: 1, aiSummary: 'first', featuredOn: '2026-04-10' } }),
      hf({ projectUrl: 'https://b.example/', hf: { upvotes: 42, comments: 3, githubStars: 2, aiSummary: 'second', featuredOn: '2026-04-16' } }),
      hf({ projectUrl: null, codeUrl: null, hf: { upvotes: 40, aiKeywords: ['x'], featuredOn: '2026-05-01' } }),
    ];
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    const merged = orders.map((o) => o.reduce<Paper | null>((p, i) => mergeRecord(p, days[i]!), null)!);
    for (const p of merged) expect(JSON.stringify(p)).toBe(JSON.stringify(merged[0]));
    const p = merged[0]!;
    // the latest day's record, its gaps included; the counters' maxima; the earliest day
    expect(p.projectUrl).toBeNull();
    expect(p.codeUrl).toBeNull();
    expect(p.hf).toMatchObject({ upvotes: 42, comments: 3, githubStars: 2, aiSummary: null, aiKeywords: ['x'] });
    expect(p.hf).toMatchObject({ featuredOn: '2026-04-10', lastFeaturedOn: '2026-05-01' });
    expect(paperDay(p)).toBe('2026-04-10');
    // and any day again changes nothing
    for (const d of days) expect(samePaper(p, mergeRecord(p, d)!)).toBe(true);
  });

  it('joins two different records of the same day field by field, in either order', () => {
    const a = hf({ projectUrl: 'https://a.example/', hf: { upvotes: 5, aiSummary: null, featuredOn: '2026-04-10' } });
    const b = hf({ projectUrl: 'https://b.example/', codeUrl: null, hf: { upvotes: 7, aiSummary: 's', featuredOn: '2026-04-10' } });
    const x = mergeRecord(mergeRecord(null, a)!, b)!;
    const y = mergeRecord(mergeRecord(null, b)!, a)!;
    expect(JSON.stringify(x)).toBe(JSON.stringify(y));
    expect(x).toMatchObject({ projectUrl: 'https://b.example/', codeUrl: 'https://github.com/x/y' });
    expect(x.hf).toMatchObject({ upvotes: 7, aiSummary: 's' });
  });

  it('is idempotent: the same record twice changes nothing', () => {
    const once = mergeRecord(mergeRecord(null, arxiv())!, hf())!;
    expect(samePaper(once, mergeRecord(once, hf())!)).toBe(true);
    expect(samePaper(once, mergeRecord(once, arxiv())!)).toBe(true);
  });

  it('marks OAI deletions and ignores the deletion of a paper never seen', () => {
    expect(mergeRecord(null, { id: '2405.15738', version: null, source: 'oai-pmh', deleted: true })).toBeNull();
    const p = mergeRecord(mergeRecord(null, arxiv())!, { id: '2405.15738', version: null, source: 'oai-pmh', deleted: true })!;
    expect(p.deleted).toBe(true);
    expect(p.title).toBe('arXiv title');
    expect(mergeRecord(p, arxiv({ source: 'oai-pmh', version: 2 }))!.deleted).toBe(false);
  });

  it('falls back to the submission day when a paper was neither featured nor listed', () => {
    expect(paperDay(mergeRecord(null, arxiv())!)).toBe('2024-05-24');
  });
});

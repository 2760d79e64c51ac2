import { describe, expect, it } from 'vitest';
import { CURATED, curatedSelection, isCurated, type CurationSignal } from './curated.js';

const END = new Date('2026-07-02T00:00:00Z');
const paper = (id: string, o: Partial<CurationSignal> = {}): CurationSignal => ({
  id,
  day: '2026-07-01',
  votes: 0,
  submittedAt: `2026-07-01T10:00:00.000Z`,
  featured: false,
  localVotes: 0,
  submittedHere: false,
  ...o,
});

describe('the curated day', () => {
  it('counts a paper as curated when submitted here, upvoted here or featured on Hugging Face', () => {
    expect(isCurated(paper('a'))).toBe(false);
    expect(isCurated(paper('a', { submittedHere: true }))).toBe(true);
    expect(isCurated(paper('a', { localVotes: 1 }))).toBe(true);
    expect(isCurated(paper('a', { featured: true }))).toBe(true); // even at 0 upvotes there
  });

  it('leads with the curated papers only, ranked, when there are enough of them', () => {
    const curated = Array.from({ length: 12 }, (_, i) => paper(`c${String(i).padStart(2, '0')}`, { featured: true, votes: i }));
    const firehose = Array.from({ length: 300 }, (_, i) => paper(`n${i}`));
    const s = curatedSelection([...firehose, ...curated], 'trending', END);
    expect(s.filled).toBe(false);
    expect(s.curated).toBe(12);
    expect(s.papers.map((p) => p.id)).toEqual(curated.map((p) => p.id).reverse()); // most votes first
  });

  it(`fills a quiet day up to ${CURATED.MIN_PAPERS} papers with the best of the rest by trending, and says so`, () => {
    const picked = [paper('liked', { localVotes: 1, votes: 2 }), paper('hf', { featured: true })];
    const rest = Array.from({ length: 20 }, (_, i) => paper(`n${String(i).padStart(2, '0')}`, { submittedAt: `2026-07-01T${String(i).padStart(2, '0')}:00:00.000Z` }));
    const s = curatedSelection([...rest, ...picked], 'trending', END);
    expect(s).toMatchObject({ curated: 2, filled: true });
    expect(s.papers).toHaveLength(CURATED.MIN_PAPERS);
    expect(s.papers[0]!.id).toBe('liked');
    // the fill is the newest of the zero-vote papers (trending ties break newest first)
    expect(s.papers.map((p) => p.id)).toContain('n19');
    expect(s.papers.map((p) => p.id)).not.toContain('n00');
  });

  it('shows a small day whole, not "filled", and honours the order asked for', () => {
    const few = [paper('a', { featured: true, votes: 1 }), paper('b', { submittedAt: '2026-07-01T23:00:00.000Z' })];
    const s = curatedSelection(few, 'newest', END);
    expect(s).toMatchObject({ curated: 1, filled: true });
    expect(s.papers.map((p) => p.id)).toEqual(['b', 'a']);
    expect(curatedSelection([paper('a', { featured: true })], 'trending', END)).toMatchObject({ curated: 1, filled: false });
  });
});

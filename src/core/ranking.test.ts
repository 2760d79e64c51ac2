import { describe, expect, it } from 'vitest';
import { samplePaper } from '../../test/support/papers.js';
import { ageHours, blendedVotes, rankPapers, signalOf, TRENDING, trendingScore, votesNeededRatio, type RankingSignal } from './ranking.js';

const END_OF_WEEK = new Date('2026-07-06T00:00:00Z'); // end of 2026-W27 (Mon 29 June … Sun 5 July)
const s = (id: string, day: string, votes: number, submittedAt: string | null = `${day}T10:00:00.000Z`): RankingSignal => ({ id, day, votes, submittedAt });

describe('trending score', () => {
  it('grows with votes and decays with age', () => {
    expect(trendingScore(10, 24)).toBeGreaterThan(trendingScore(9, 24));
    expect(trendingScore(10, 24)).toBeGreaterThan(trendingScore(10, 48));
    expect(trendingScore(0, 24)).toBeGreaterThan(0); // the prior keeps zero-vote papers ordered
    expect(trendingScore(-5, 24)).toBe(trendingScore(0, 24)); // negative counts are no votes
  });

  it('is the documented formula with the documented constants', () => {
    const { VOTE_PRIOR, AGE_OFFSET_HOURS, GRAVITY } = TRENDING;
    expect(trendingScore(7, 30)).toBeCloseTo((7 + VOTE_PRIOR) / Math.pow(30 + AGE_OFFSET_HOURS, GRAVITY), 12);
    // what the ranking page promises readers: ~3x the votes a week back, ~9x a month back
    expect(votesNeededRatio(7 * 24, 24)).toBeCloseTo(3.03, 2);
    expect(votesNeededRatio(30 * 24, 24)).toBeCloseTo(8.96, 2);
  });

  it('measures age from the start of the paper’s day to the reference time', () => {
    expect(ageHours('2026-07-05', END_OF_WEEK)).toBe(24);
    expect(ageHours('2026-06-29', END_OF_WEEK)).toBe(168);
    expect(ageHours('2026-07-07', END_OF_WEEK)).toBe(0);
  });
});

describe('rankPapers', () => {
  const week = [s('a', '2026-06-29', 20), s('b', '2026-07-05', 8), s('c', '2026-07-05', 0), s('d', '2026-07-01', 0), s('e', '2026-06-29', 90)];

  it('orders a day by votes alone under trending, since every paper has the same age', () => {
    const day = [s('x', '2026-06-30', 3), s('y', '2026-06-30', 40), s('z', '2026-06-30', 12)];
    expect(rankPapers(day, 'trending', new Date('2026-07-01T00:00:00Z')).map((p) => p.id)).toEqual(['y', 'z', 'x']);
  });

  it('lets a fresh paper beat an older one with more votes, but not with far more', () => {
    const ids = rankPapers(week, 'trending', END_OF_WEEK).map((p) => p.id);
    expect(ids.indexOf('b')).toBeLessThan(ids.indexOf('a')); // 8 votes on Sunday beat 20 on Monday
    expect(ids[0]).toBe('e'); // 90 votes on Monday beat 8 on Sunday
    expect(ids.indexOf('c')).toBeLessThan(ids.indexOf('d')); // no votes: newer first
  });

  it('orders newest by day, then submission time, then id; upvoted by votes then newest', () => {
    const list = [s('2606.00001', '2026-06-30', 5, '2026-06-29T08:00:00.000Z'), s('2606.00002', '2026-06-30', 5, '2026-06-29T09:00:00.000Z'), s('2606.00003', '2026-07-01', 1, null)];
    expect(rankPapers(list, 'newest', END_OF_WEEK).map((p) => p.id)).toEqual(['2606.00003', '2606.00002', '2606.00001']);
    expect(rankPapers(list, 'upvoted', END_OF_WEEK).map((p) => p.id)).toEqual(['2606.00002', '2606.00001', '2606.00003']);
  });

  it('is a pure function: same input in any order gives the same output, input untouched', () => {
    const copy = [...week];
    const once = rankPapers(week, 'trending', END_OF_WEEK);
    expect(rankPapers([...week].reverse(), 'trending', END_OF_WEEK)).toEqual(once);
    expect(week).toEqual(copy);
  });

  it('ranks loaded papers through their signals', () => {
    const p = samplePaper('2405.15738');
    expect(signalOf(p)).toMatchObject({ id: '2405.15738', day: '2024-05-28', votes: 12 });
    expect(signalOf(p, 3000)).toMatchObject({ votes: 12 + 3 * TRENDING.LOCAL_VOTE_WEIGHT });
  });
});

describe('the blend of Hugging Face upvotes and local votes', () => {
  it('adds LOCAL_VOTE_WEIGHT Hugging Face upvotes per full local vote, its damped share for a damped one', () => {
    expect(TRENDING.LOCAL_VOTE_WEIGHT).toBe(2);
    expect(blendedVotes(10, 0)).toBe(10);
    expect(blendedVotes(null, 3000)).toBe(6);
    expect(blendedVotes(10, 250)).toBe(10.5); // one vote damped to a quarter
    expect(blendedVotes(-4, -1000)).toBe(0);
  });

  it('lets a few local readers lift a paper Hugging Face never featured past one with a few upvotes there', () => {
    const day = [s('hf', '2026-06-30', blendedVotes(5, 0)), s('local', '2026-06-30', blendedVotes(null, 3000)), s('burst', '2026-06-30', blendedVotes(null, 20 * 63))];
    expect(rankPapers(day, 'trending', new Date('2026-07-01T00:00:00Z')).map((p) => p.id)).toEqual(['local', 'hf', 'burst']);
  });
});

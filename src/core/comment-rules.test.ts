import { describe, expect, it } from 'vitest';
import { PaperboyError } from './errors.js';
import { canModerate, commentRate, commentWindows, MAX_REPORT_REASON, NEW_ACCOUNT_MS, normaliseReportReason, YOUNG_ACCOUNT_MS } from './comment-rules.js';

const HOUR = 3_600_000;

describe('commentWindows and commentRate', () => {
  it('holds new accounts tighter than young ones, and young ones tighter than established ones', () => {
    const [fresh, young, old] = [0, NEW_ACCOUNT_MS, YOUNG_ACCOUNT_MS].map(commentWindows);
    for (let i = 0; i < fresh!.length; i++) {
      expect(fresh![i]!.windowMs).toBe(young![i]!.windowMs);
      expect(fresh![i]!.max).toBeLessThan(young![i]!.max);
      expect(young![i]!.max).toBeLessThan(old![i]!.max);
    }
    expect(commentWindows(NEW_ACCOUNT_MS - 1)).toBe(fresh);
    expect(commentWindows(-5 * HOUR)).toBe(fresh); // a clock skew makes no account established
    expect(commentWindows(Number.NaN)).toBe(fresh);
  });

  it('allows up to each window’s maximum and refuses the next, saying which limit', () => {
    const age = 2 * HOUR; // a new account: 2 in 10 minutes, 5 a day
    expect(commentRate(age, [0, 0])).toEqual({ allowed: true });
    expect(commentRate(age, [1, 4])).toEqual({ allowed: true });
    expect(commentRate(age, [2, 2])).toMatchObject({ allowed: false, window: { max: 2 }, message: 'at most 2 comments in 10 minutes for a new account: try again later' });
    expect(commentRate(age, [0, 5])).toMatchObject({ allowed: false, message: 'at most 5 comments in a day for a new account: try again later' });
    expect(commentRate(30 * 24 * HOUR, [2, 5])).toEqual({ allowed: true });
    expect(commentRate(30 * 24 * HOUR, [10, 10])).toMatchObject({ allowed: false, message: 'at most 10 comments in 10 minutes: try again later' });
  });

  it('refuses counts that do not match the windows (a caller’s bug, not a verdict)', () => {
    expect(() => commentRate(0, [0])).toThrow(/1 counts for 2 windows/);
  });
});

describe('canModerate', () => {
  it('is for moderators and admins only', () => {
    expect([canModerate('reader'), canModerate('moderator'), canModerate('admin')]).toEqual([false, true, true]);
  });
});

describe('normaliseReportReason', () => {
  it('keeps a reason on one line, trimmed; none is ""', () => {
    expect(normaliseReportReason('  spam\n\n and  ads ')).toBe('spam and ads');
    expect(normaliseReportReason(undefined)).toBe('');
  });

  it('refuses a reason that is not text or too long', () => {
    expect(() => normaliseReportReason(5)).toThrow(PaperboyError);
    expect(() => normaliseReportReason('x'.repeat(MAX_REPORT_REASON + 1))).toThrow(`report reason: ${MAX_REPORT_REASON + 1} characters, more than the ${MAX_REPORT_REASON} allowed`);
  });
});

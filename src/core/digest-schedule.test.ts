import { describe, expect, it } from 'vitest';
import { dailyCron, latestCompletePeriod, parseDigestPeriod, retryDelayMs } from './digest-schedule.js';

describe('digest periods', () => {
  it('reads a day as a daily period and an ISO week as a weekly one', () => {
    expect(parseDigestPeriod('2025-03-05')).toMatchObject({ frequency: 'daily', key: '2025-03-05', from: '2025-03-05', to: '2025-03-05' });
    expect(parseDigestPeriod('2025-W10')).toMatchObject({ frequency: 'weekly', key: '2025-W10', from: '2025-03-03', to: '2025-03-09' });
  });

  it('refuses a malformed period, naming it and the expected forms', () => {
    for (const bad of ['2025-02-30', '2025-W54', '2025-03', 'yesterday', '2025-3-5', ''])
      expect(() => parseDigestPeriod(bad)).toThrow(/--period: ".*" is not a period: expected a day \(YYYY-MM-DD/);
  });

  it('takes yesterday and the last complete ISO week in the configured time zone', () => {
    // 23:30 UTC on Sunday 9 March 2025 is already Monday 10 March in Berlin
    const at = new Date('2025-03-09T23:30:00Z');
    expect(latestCompletePeriod('daily', at, 'UTC').key).toBe('2025-03-08');
    expect(latestCompletePeriod('daily', at, 'Europe/Berlin').key).toBe('2025-03-09');
    expect(latestCompletePeriod('weekly', at, 'UTC').key).toBe('2025-W09'); // week 10 ends at midnight
    expect(latestCompletePeriod('weekly', at, 'Europe/Berlin').key).toBe('2025-W10'); // it has ended there
    // across a year: Monday 5 January 2026 closes ISO week 2026-W01 (29 Dec to 4 Jan)
    expect(latestCompletePeriod('weekly', new Date('2026-01-05T08:00:00Z'), 'UTC').key).toBe('2026-W01');
  });

  it('turns HH:MM into a daily cron pattern and refuses anything else', () => {
    expect(dailyCron('07:00')).toBe('0 7 * * *');
    expect(dailyCron('23:59')).toBe('59 23 * * *');
    expect(() => dailyCron('24:00')).toThrow(/PAPERBOY_DIGEST_TIME: "24:00" is not a time of day/);
    expect(() => dailyCron('7h')).toThrow(/expected HH:MM/);
  });
});

describe('retry backoff', () => {
  it('doubles from a minute, between half and all of it, capped at six hours', () => {
    expect(retryDelayMs(1, 0)).toBe(30_000);
    expect(retryDelayMs(1, 0.999_999)).toBeCloseTo(60_000, -1);
    expect(retryDelayMs(3, 0)).toBe(120_000);
    expect(retryDelayMs(3, 0.999_999)).toBeCloseTo(240_000, -1);
    expect(retryDelayMs(20, 0.999_999)).toBeCloseTo(6 * 3_600_000, -2);
    expect(retryDelayMs(1000, 0)).toBe(3 * 3_600_000);
  });
});

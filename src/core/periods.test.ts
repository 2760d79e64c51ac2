import { describe, expect, it } from 'vitest';
import { addDays, daysOfMonth, isDay, isoWeekKey, parsePeriod, periodEnd, periodOfDay, shiftPeriod } from './periods.js';

describe('periods', () => {
  it('parses days, refusing impossible dates and other spellings', () => {
    expect(parsePeriod('day', '2026-06-30')).toEqual({ period: { kind: 'day', key: '2026-06-30' }, from: '2026-06-30', to: '2026-06-30' });
    expect(parsePeriod('day', '2024-02-29')).not.toBeNull();
    for (const bad of ['2025-02-29', '2026-13-01', '2026-06-31', '2026-6-30', '20260630', '0099-01-01', '2026-06-30 ', 'latest', ''])
      expect(parsePeriod('day', bad), bad).toBeNull();
  });

  it('parses ISO weeks Monday to Sunday, the week belonging to the year of its Thursday', () => {
    expect(parsePeriod('week', '2026-W27')).toMatchObject({ from: '2026-06-29', to: '2026-07-05' });
    // 1 January 2021 was a Friday: it belongs to 2020-W53, and 2021-W01 starts on 4 January
    expect(parsePeriod('week', '2020-W53')).toMatchObject({ from: '2020-12-28', to: '2021-01-03' });
    expect(parsePeriod('week', '2021-W01')).toMatchObject({ from: '2021-01-04', to: '2021-01-10' });
    // 29 December 2025 is a Monday whose Thursday is in 2026
    expect(parsePeriod('week', '2026-W01')).toMatchObject({ from: '2025-12-29', to: '2026-01-04' });
    expect(parsePeriod('week', '2021-W53')).toBeNull(); // 2021 has 52 weeks
    for (const bad of ['2026-W00', '2026-W54', '2026-27', '2026W27', '2026-w27']) expect(parsePeriod('week', bad), bad).toBeNull();
  });

  it('parses months with their real last day', () => {
    expect(parsePeriod('month', '2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(parsePeriod('month', '2026-06')).toMatchObject({ from: '2026-06-01', to: '2026-06-30' });
    for (const bad of ['2026-00', '2026-13', '2026-6', '2026-06-01']) expect(parsePeriod('month', bad), bad).toBeNull();
    expect(daysOfMonth('2025-02')).toHaveLength(28);
  });

  it('finds the week and month of a day, and every day lies inside its own week', () => {
    expect(isoWeekKey('2026-06-30')).toBe('2026-W27');
    expect(isoWeekKey('2021-01-03')).toBe('2020-W53');
    expect(periodOfDay('month', '2026-06-30')).toEqual({ kind: 'month', key: '2026-06' });
    for (let d = '2024-12-20'; d < '2025-01-20'; d = addDays(d, 1)) {
      const w = parsePeriod('week', periodOfDay('week', d).key)!;
      expect(w.from <= d && d <= w.to, d).toBe(true);
    }
  });

  it('shifts periods by the calendar, across year ends', () => {
    expect(shiftPeriod({ kind: 'day', key: '2026-03-01' }, -1)).toEqual({ kind: 'day', key: '2026-02-28' });
    expect(shiftPeriod({ kind: 'week', key: '2020-W53' }, 1)).toEqual({ kind: 'week', key: '2021-W01' });
    expect(shiftPeriod({ kind: 'month', key: '2026-01' }, -1)).toEqual({ kind: 'month', key: '2025-12' });
    expect(shiftPeriod({ kind: 'month', key: '2026-12' }, 1)).toEqual({ kind: 'month', key: '2027-01' });
  });

  it('keeps to the years 1000 to 9999: no period reaches past them, and nothing steps out', () => {
    // the day after 9999-12-31 is written "+010000-01-01", which sorts before it: a loop over days
    // up to a month's end never ended, and one request for December 9999 took the server down
    expect(daysOfMonth('9999-12')).toHaveLength(31);
    expect(daysOfMonth('9999-12').at(-1)).toBe('9999-12-31');
    expect(parsePeriod('month', '9999-12')).toMatchObject({ from: '9999-12-01', to: '9999-12-31' });
    expect(parsePeriod('day', '9999-12-31')).not.toBeNull();
    expect(parsePeriod('week', '9999-W52')).toBeNull(); // Monday 27 December 9999 to Sunday 2 January 10000
    expect(parsePeriod('week', '9999-W51')).toMatchObject({ to: '9999-12-26' });
    expect(parsePeriod('week', '1000-W01')).toBeNull(); // starts on 30 December 999
    expect(shiftPeriod({ kind: 'month', key: '9999-12' }, 1)).toBeNull();
    expect(shiftPeriod({ kind: 'day', key: '9999-12-31' }, 1)).toBeNull();
    expect(shiftPeriod({ kind: 'week', key: '9999-W51' }, 1)).toBeNull();
    expect(shiftPeriod({ kind: 'month', key: '1000-01' }, -1)).toBeNull();
    expect(shiftPeriod({ kind: 'day', key: '1000-01-01' }, -1)).toBeNull();
  });

  it('ends a period at midnight UTC after its last day', () => {
    expect(periodEnd({ kind: 'day', key: '2026-06-30' }).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(periodEnd({ kind: 'week', key: '2026-W27' }).toISOString()).toBe('2026-07-06T00:00:00.000Z');
    expect(isDay('2026-07-06')).toBe(true);
  });
});

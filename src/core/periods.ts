/**
 * Listing periods: a day (YYYY-MM-DD), an ISO week (YYYY-Www, Monday to Sunday) or a month
 * (YYYY-MM), each a closed range of days. Pure calendar arithmetic in UTC: a paper's day is a
 * calendar date, never an instant, so no time zone can shift it.
 */

export type PeriodKind = 'day' | 'week' | 'month';
export type Period = { kind: 'day'; key: string } | { kind: 'week'; key: string } | { kind: 'month'; key: string };

/** Every day, as a from–to range over days' keys (papers without a day included: their key is ''). */
export const ALL_DAYS = { from: '', to: '9999-12-31' } as const;

export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month'];

/** A period with the first and last day it covers (both inclusive, YYYY-MM-DD). */
export interface PeriodRange {
  period: Period;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
// four-digit years only: Date.UTC maps years below 100 to the 1900s, and keys stay fixed-width
// (a day after 9999-12-31 is written "+010000-01-01", which sorts before it)
const MIN_YEAR = 1000;
const FIRST_DAY = '1000-01-01';
const LAST_DAY = '9999-12-31';

/**
 * Parses a period key of the given kind; null when it is malformed, not a real date, or not
 * wholly within the years 1000 to 9999 (the last ISO week of 9999 ends in the year 10000).
 */
export function parsePeriod(kind: PeriodKind, key: string): PeriodRange | null {
  if (kind === 'day') return isDay(key) ? { period: { kind, key }, from: key, to: key } : null;
  if (kind === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(key);
    if (!m || Number(m[1]) < MIN_YEAR || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
    return { period: { kind, key }, from: `${key}-01`, to: lastDayOfMonth(key) };
  }
  const w = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!w || Number(w[1]) < MIN_YEAR) return null;
  const monday = mondayOfIsoWeek(Number(w[1]), Number(w[2]));
  if (monday === null) return null;
  const sunday = addDays(monday, 6);
  if (monday < FIRST_DAY || !isDay(sunday) || sunday > LAST_DAY) return null;
  return { period: { kind, key }, from: monday, to: sunday };
}

/** The range of a period already known to be valid (throws on a malformed one). */
export function periodRange(p: Period): PeriodRange {
  const r = parsePeriod(p.kind, p.key);
  if (!r) throw new RangeError(`not a valid ${p.kind} period: ${p.key}`);
  return r;
}

/** Whether s is a real calendar day written YYYY-MM-DD. */
export function isDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m || Number(m[1]) < MIN_YEAR) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === s;
}

/** The period of the given kind that contains a day. */
export function periodOfDay(kind: PeriodKind, day: string): Period {
  if (kind === 'day') return { kind, key: day };
  if (kind === 'month') return { kind, key: day.slice(0, 7) };
  return { kind, key: isoWeekKey(day) };
}

/**
 * The period n steps away (n < 0: earlier), by the calendar alone, whatever it holds; null past
 * the calendar's ends (see parsePeriod).
 */
export function shiftPeriod(p: Period, n: number): Period | null {
  const { from } = periodRange(p);
  let key: string;
  if (p.kind === 'day') key = addDays(from, n);
  else if (p.kind === 'week') key = isoWeekKey(addDays(from, 7 * n));
  else key = new Date(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1 + n, 1)).toISOString().slice(0, 7);
  return parsePeriod(p.kind, key)?.period ?? null;
}

/** The moment a period ends (exclusive): midnight UTC after its last day. Ranking's reference time. */
export function periodEnd(p: Period): Date {
  return new Date(dayStartMs(periodRange(p).to) + DAY_MS);
}

/** YYYY-MM-DD plus n days. */
export function addDays(day: string, n: number): string {
  return new Date(dayStartMs(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Midnight UTC at the start of a day, in ms since the epoch. */
export function dayStartMs(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  return ((new Date(dayStartMs(day)).getUTCDay() + 6) % 7) + 1;
}

/** The ISO week a day falls in, as YYYY-Www: the week belongs to the year of its Thursday. */
export function isoWeekKey(day: string): string {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = thursday.slice(0, 4);
  const week = Math.floor((dayStartMs(thursday) - dayStartMs(`${year}-01-01`)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of ISO week `week` of `year`; null when that year has no such week. */
function mondayOfIsoWeek(year: number, week: number): string | null {
  if (week < 1 || week > 53) return null;
  // 4 January is always in week 1
  const jan4 = `${year}-01-04`;
  const monday = addDays(jan4, 1 - isoWeekday(jan4) + 7 * (week - 1));
  return isoWeekKey(monday) === `${year}-W${String(week).padStart(2, '0')}` ? monday : null;
}

function lastDayOfMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Every day of a month, in order. */
export function daysOfMonth(month: string): string[] {
  const { from, to } = periodRange({ kind: 'month', key: month });
  const n = Number(to.slice(8, 10));
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}

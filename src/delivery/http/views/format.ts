/**
 * How dates, periods and counts read on the pages, in English, always in UTC: a paper's day is
 * a calendar date, and every reader should see the same one.
 */
import { parsePeriod, type Period } from '../../../core/periods.js';

const fmt = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...opts });
const LONG_DAY = fmt({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const DAY = fmt({ year: 'numeric', month: 'short', day: 'numeric' });
const SHORT_DAY = fmt({ month: 'short', day: 'numeric' });
const MONTH = fmt({ year: 'numeric', month: 'long' });
const WEEKDAY = fmt({ weekday: 'short' });

const at = (day: string) => new Date(`${day}T00:00:00Z`);

/** "Tuesday, June 30, 2026" */
export const longDay = (day: string): string => LONG_DAY.format(at(day));
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Jun 30, 2026": by hand (a paper page shows several dates; Intl takes microseconds each), as Intl writes it */
export const mediumDay = (day: string): string => {
  const d = at(day);
  const year = d.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? `${SHORT_MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${year}` : DAY.format(d);
};
/** "Jun 30" */
export const shortDay = (day: string): string => SHORT_DAY.format(at(day));
/** "June 2026" */
export const monthName = (month: string): string => MONTH.format(at(`${month}-01`));
/** "Tue" */
export const weekdayName = (day: string): string => WEEKDAY.format(at(day));

/** The heading of a period's page: "Tuesday, June 30, 2026", "Week 27, 2026", "June 2026". */
export function periodTitle(p: Period): string {
  if (p.kind === 'day') return longDay(p.key);
  if (p.kind === 'month') return monthName(p.key);
  return `Week ${Number(p.key.slice(6))}, ${p.key.slice(0, 4)}`;
}

/** What a previous/next link says: "Jun 29", "Week 26", "May 2026". */
export function periodShort(p: Period): string {
  if (p.kind === 'day') return shortDay(p.key);
  if (p.kind === 'month') return monthName(p.key);
  return `Week ${Number(p.key.slice(6))}`;
}

/** The days a week covers, "Jun 29 – Jul 5, 2026"; '' for other periods. */
export function periodSpan(p: Period): string {
  const r = parsePeriod(p.kind, p.key);
  if (!r || p.kind !== 'week') return '';
  return `${shortDay(r.from)} – ${shortDay(r.to)}, ${r.to.slice(0, 4)}`;
}

/** "1 paper", "2,345 papers" */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * When digests are due and how a failed send waits (issue 11, decision 018): the period a
 * digest covers (a day for daily subscriptions, an ISO week for weekly ones), the latest
 * complete one at a moment in a time zone, the daily send time as a cron pattern, and the
 * retry backoff. Pure: the moment and the randomness are given.
 */
import { PaperboyError } from './errors.js';
import { addDays, isoWeekday, isoWeekKey, parsePeriod, type PeriodRange } from './periods.js';

export type DigestFrequency = 'daily' | 'weekly';
export const DIGEST_FREQUENCIES: readonly DigestFrequency[] = ['daily', 'weekly'];

/** A digest period: the frequency it serves and the days it covers. */
export interface DigestPeriod extends PeriodRange {
  frequency: DigestFrequency;
  /** YYYY-MM-DD (daily) or YYYY-Www (weekly): the outbox key's period */
  key: string;
}

/** A period key as an operator types it (`digest send --period`); throws CONFIG_INVALID naming it. */
export function parseDigestPeriod(key: string, where = '--period'): DigestPeriod {
  const kind = /^\d{4}-W\d{2}$/.test(key) ? 'week' : 'day';
  const range = parsePeriod(kind, key);
  if (!range)
    throw new PaperboyError(
      'CONFIG_INVALID',
      `${where}: "${key}" is not a period: expected a day (YYYY-MM-DD, for the daily digests) or an ISO week (YYYY-Www, for the weekly ones), e.g. 2025-03-05 or 2025-W10`,
    );
  return { ...range, frequency: kind === 'week' ? 'weekly' : 'daily', key };
}

/** The calendar day (YYYY-MM-DD) a moment falls on in a time zone (en-CA writes dates that way). */
export function dayInZone(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * The latest period of a frequency that has ended at `at` in `timeZone`: yesterday for daily,
 * the ISO week that ended last Sunday for weekly. Today (or this week) is never sent: its papers
 * are still coming in.
 */
export function latestCompletePeriod(frequency: DigestFrequency, at: Date, timeZone: string): DigestPeriod {
  const today = dayInZone(at, timeZone);
  if (frequency === 'daily') return parseDigestPeriod(addDays(today, -1));
  const lastSunday = addDays(today, -isoWeekday(today));
  return parseDigestPeriod(isoWeekKey(lastSunday));
}

/** "HH:MM" (24-hour) as a cron pattern firing once a day at that minute; throws on anything else. */
export function dailyCron(time: string, where = 'PAPERBOY_DIGEST_TIME'): string {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time.trim());
  if (!m) throw new PaperboyError('CONFIG_INVALID', `${where}: "${time}" is not a time of day: expected HH:MM, e.g. 07:00`);
  return `${Number(m[2])} ${Number(m[1])} * * *`;
}

export interface Backoff {
  /** the wait after the first failed try */
  baseMs: number;
  /** no wait is longer */
  capMs: number;
}

/** One minute, doubling with each try, never more than six hours. */
export const DEFAULT_BACKOFF: Backoff = { baseMs: 60_000, capMs: 6 * 3_600_000 };

/**
 * How long to wait after the `attempts`-th failed try (1-based): base × 2^(attempts-1), capped,
 * then "equal jitter" (between half and all of it) so that the messages one outage failed
 * together do not all come back in the same second. `random` is in [0, 1).
 */
export function retryDelayMs(attempts: number, random: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const full = Math.min(backoff.capMs, backoff.baseMs * 2 ** exponent);
  return Math.round(full / 2 + (full / 2) * random);
}

/**
 * Hugging Face daily papers as a harvest source: GET {baseUrl}/api/daily_papers?date=YYYY-MM-DD
 * for each day from where the last run stopped to today, one page per day. Weekends and holidays
 * answer an empty list, which is a normal, empty page.
 *
 * A day's list and its upvotes keep changing for a couple of days after it, so the cursor stays
 * `refetchDays` behind today and the next run fetches those days again (ingest is idempotent).
 */
import * as z from 'zod';
import { PaperboyError } from '../../core/errors.js';
import type { HarvestPage, HarvestSource } from '../../ports/source.js';
import type { PoliteHttpClient } from '../http/polite-client.js';
import { parseHfDaily } from './hf-daily.parser.js';

export const HF_URL = 'https://huggingface.co';

export interface HfDailySourceOptions {
  name: string;
  baseUrl?: string;
  /** the first day fetched when there is no cursor (YYYY-MM-DD) */
  firstDay: string;
  /** today's date, YYYY-MM-DD, in the time zone the days are counted in */
  today: () => string;
  /** how many days before today are fetched again on the next run (default 2) */
  refetchDays?: number;
  http: PoliteHttpClient;
}

export interface HfDailyCursor {
  /** the last day that will not be fetched again */
  lastCompleteDay: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const cursorSchema = z.object({ lastCompleteDay: z.string().regex(DAY) });

export class HfDailySource implements HarvestSource {
  readonly name: string;
  private readonly refetchDays: number;

  constructor(private readonly opts: HfDailySourceOptions) {
    this.name = opts.name;
    this.refetchDays = opts.refetchDays ?? 2;
    if (!isDay(opts.firstDay)) throw new PaperboyError('CONFIG_INVALID', `${opts.name}: first day ${JSON.stringify(opts.firstDay)} is not YYYY-MM-DD`);
    if (!Number.isInteger(this.refetchDays) || this.refetchDays < 0)
      throw new PaperboyError('CONFIG_INVALID', `${opts.name}: refetchDays must be a whole number ≥ 0`);
  }

  async *pages(cursor: unknown, signal?: AbortSignal): AsyncIterable<HarvestPage> {
    const today = this.opts.today();
    if (!isDay(today)) throw new PaperboyError('CONFIG_INVALID', `${this.name}: today() gave ${JSON.stringify(today)}`);
    let complete = this.readCursor(cursor);
    // days up to here won't change any more once fetched
    const settled = addDays(today, -this.refetchDays);
    for (let day = addDays(complete, 1); day <= today; day = addDays(day, 1)) {
      const url = this.dayUrl(day);
      const page = await this.opts.http.getParsed(url, (res) => parseHfDaily(res.body.toString('utf8'), url, day), signal);
      complete = maxDay(complete, minDay(day, settled));
      const cursor: HfDailyCursor = { lastCompleteDay: complete };
      yield { label: `${day}: ${page.records.length} paper(s) (${url})`, records: page.records, errors: page.errors, cursor };
    }
  }

  private dayUrl(day: string): string {
    const url = new URL('api/daily_papers', withSlash(this.opts.baseUrl ?? HF_URL));
    url.searchParams.set('date', day);
    return url.toString();
  }

  /** The last complete day: from the cursor, or the day before firstDay on the very first run. */
  private readCursor(cursor: unknown): string {
    if (cursor === null || cursor === undefined) return addDays(this.opts.firstDay, -1);
    const parsed = cursorSchema.safeParse(cursor);
    if (!parsed.success) throw new PaperboyError('SOURCE_FAILED', `${this.name}: saved cursor unreadable: ${JSON.stringify(cursor)}`);
    return parsed.data.lastCompleteDay;
  }
}

/** A base URL with a path (a mirror under /hf) keeps it when api/daily_papers is resolved against it. */
function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

function isDay(s: string): boolean {
  return DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

/** Calendar arithmetic in UTC, where a day is always 24 h. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function maxDay(a: string, b: string): string {
  return a >= b ? a : b;
}

function minDay(a: string, b: string): string {
  return a <= b ? a : b;
}

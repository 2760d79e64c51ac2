/**
 * The Hugging Face daily-papers source end to end against a local server answering with the
 * recorded days in ../shared/data/hf-daily-papers (an empty list where none was recorded, as HF
 * does on weekends): day ranges, the refetch window, resuming, and bad entries passing through.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HfDailySource, addDays, type HfDailySourceOptions } from '../../src/adapters/sources/hf-daily.source.js';
import { FixtureServer, RecordingClock, USER_AGENT, collect, hfDayFile, politeClient, script, type Route } from './harness.js';

const huggingFace: Route = (url) => {
  if (url.pathname !== '/api/daily_papers') return { status: 404 };
  const day = url.searchParams.get('date') ?? '';
  return { body: hfDayFile(day) ?? '[]', headers: { 'content-type': 'application/json' } };
};

/** entries in a recorded day, as the file holds them */
function entriesOn(day: string): number {
  const doc = JSON.parse(hfDayFile(day) ?? '[]') as unknown[] | { data: unknown[] };
  return Array.isArray(doc) ? doc.length : doc.data.length;
}

let server: FixtureServer;
let clock: RecordingClock;

beforeEach(async () => {
  server = new FixtureServer(huggingFace);
  await server.start();
  clock = new RecordingClock();
});
afterEach(() => server.close());

function hf(today: string, options: Partial<HfDailySourceOptions> = {}): HfDailySource {
  return new HfDailySource({
    name: 'hf-daily',
    baseUrl: server.baseUrl,
    firstDay: '2024-05-30',
    today: () => today,
    http: politeClient(clock, { minIntervalMs: 1000 }),
    ...options,
  });
}

const cursors = (pages: { cursor: unknown }[]) => pages.map((p) => (p.cursor as { lastCompleteDay: string }).lastCompleteDay);

describe('HfDailySource', () => {
  it('fetches every day from firstDay to today, weekends included, one page per day', async () => {
    const pages = await collect(hf('2024-06-04'), null);
    expect(server.param('date')).toEqual(['2024-05-30', '2024-05-31', '2024-06-01', '2024-06-02', '2024-06-03', '2024-06-04']);
    expect(server.hits.every((h) => h.userAgent === USER_AGENT)).toBe(true);
    expect(pages.map((p) => p.records.length)).toEqual([
      entriesOn('2024-05-30'), entriesOn('2024-05-31'), 0, 0, entriesOn('2024-06-03'), entriesOn('2024-06-04'),
    ]);
    expect(pages[0]!.records.length).toBeGreaterThan(0);
    expect(pages[2]!.errors).toEqual([]); // a weekend is an empty page, not an error
    expect(pages[0]!.records[0]!.hf?.featuredOn).toBe('2024-05-30');
    expect(clock.sleeps).toEqual([1001, 1001, 1001, 1001, 1001]);
  });

  it('keeps the cursor refetchDays behind today, so the next run fetches the last days again', async () => {
    const pages = await collect(hf('2024-06-04'), null);
    // days before today − 2 are complete once fetched; the last two are not
    expect(cursors(pages)).toEqual(['2024-05-30', '2024-05-31', '2024-06-01', '2024-06-02', '2024-06-02', '2024-06-02']);
    const next = await collect(hf('2024-06-05'), pages.at(-1)!.cursor);
    expect(server.param('date').slice(6)).toEqual(['2024-06-03', '2024-06-04', '2024-06-05']);
    expect(cursors(next)).toEqual(['2024-06-03', '2024-06-03', '2024-06-03']);
  });

  it('with refetchDays 0 never asks for a day twice', async () => {
    const first = await collect(hf('2024-05-31', { refetchDays: 0 }), null);
    expect(cursors(first)).toEqual(['2024-05-30', '2024-05-31']);
    await collect(hf('2024-06-01', { refetchDays: 0 }), first.at(-1)!.cursor);
    expect(server.param('date')).toEqual(['2024-05-30', '2024-05-31', '2024-06-01']);
  });

  it('resumes after an interruption with exactly the days not yet stored', async () => {
    const source = hf('2024-06-04', { refetchDays: 0 });
    const firstTwo = await collect(source, null, 2);
    const rest = await collect(source, firstTwo.at(-1)!.cursor);
    expect(server.param('date')).toEqual(['2024-05-30', '2024-05-31', '2024-06-01', '2024-06-02', '2024-06-03', '2024-06-04']);
    expect(rest).toHaveLength(4);
  });

  it('asks nothing when the cursor is already at today', async () => {
    const pages = await collect(hf('2024-06-04'), { lastCompleteDay: '2024-06-04' });
    expect(pages).toEqual([]);
    expect(server.hits).toHaveLength(0);
  });

  it('passes the bad entries of a recorded day through as record errors', async () => {
    // 2024-12-13 was recorded with every entry as a Python-repr string
    const pages = await collect(hf('2024-12-13', { firstDay: '2024-12-13' }), null);
    expect(pages[0]!.records).toEqual([]);
    expect(pages[0]!.errors).toHaveLength(entriesOn('2024-12-13'));
    expect(pages[0]!.errors[0]!.at).toBe('entry 1');
  });

  it('retries a 429 with an HTTP-date Retry-After, then goes on', async () => {
    const retryAt = new Date(clock.now().getTime() + 3000).toUTCString();
    server.route = script([{ status: 429, headers: { 'retry-after': retryAt } }], huggingFace);
    const pages = await collect(hf('2024-05-30'), null);
    expect(server.param('date')).toEqual(['2024-05-30', '2024-05-30']);
    expect(pages[0]!.records).toHaveLength(entriesOn('2024-05-30'));
    expect(clock.sleeps[0]).toBeGreaterThan(2000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3000);
  });

  it('fails with SOURCE_FAILED when a day keeps coming back as something other than JSON', async () => {
    server.route = () => ({ body: '<html>Hugging Face is down</html>', headers: { 'content-type': 'text/html' } });
    await expect(collect(hf('2024-05-30'), null)).rejects.toMatchObject({
      code: 'SOURCE_FAILED',
      message: expect.stringMatching(/daily_papers\?date=2024-05-30.*not valid JSON.*4 attempts/),
    });
  });

  it('refuses a firstDay that is not a calendar day', () => {
    expect(() => hf('2024-06-04', { firstDay: '2024-02-30' })).toThrow(/first day/);
  });

  it('counts days across month and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });
});

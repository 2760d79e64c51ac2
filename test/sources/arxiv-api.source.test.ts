/**
 * The arXiv API source end to end against a local server answering with the recorded Atom
 * responses (re-sliced into pages where a test needs a list of a given size): paging by offset,
 * resuming, maxResults, spurious empty pages, the API's error feed and incremental harvesting.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArxivApiQuery, type ArxivApiQueryOptions } from '../../src/adapters/sources/arxiv-api.source.js';
import { FixtureServer, RecordingClock, collect, fixture, ids, politeClient, script, type Route } from './harness.js';

const QUERY = fixture('arxiv-atom/query.xml');
const EMPTY = fixture('arxiv-atom/query_empty.xml');
const HEAD = QUERY.slice(0, QUERY.indexOf('<entry>'));
/** the ten real entries, in the recorded order */
const ENTRIES = [...QUERY.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]);
const updatedOf = (entry: string) => /<updated>([^<]+)<\/updated>/.exec(entry)![1]!;
/** the same entries as arXiv sends them for sortBy=lastUpdatedDate&sortOrder=descending */
const BY_UPDATE = [...ENTRIES].sort((a, b) => updatedOf(b).localeCompare(updatedOf(a)));
const ID_OF = (entry: string) => /<id>http:\/\/arxiv\.org\/abs\/([^<]+?)v\d+<\/id>/.exec(entry)![1]!;

/** arXiv's answer to a bad query, as its API manual shows it: HTTP 200 and a one-entry error feed. */
const ERROR_FEED = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title>arXiv Query: search_query=&amp;id_list=1234.12345&amp;start=0&amp;max_results=10</title>
  <id>https://arxiv.org/api/y7bWZsT3+3EEnEWg1iM1D5zaeYg</id>
  <updated>2025-11-11T18:30:00Z</updated>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345</summary>
    <updated>2025-11-11T18:30:00Z</updated>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
`;

/** A feed page of `entries` with the OpenSearch counters arXiv would send. */
function feed(entries: string[], total: number, start: number): string {
  return (
    HEAD.replace(/<opensearch:totalResults>\d+/, `<opensearch:totalResults>${total}`)
      .replace(/<opensearch:startIndex>\d+/, `<opensearch:startIndex>${start}`)
      .replace(/<opensearch:itemsPerPage>\d+/, `<opensearch:itemsPerPage>${entries.length}`) +
    entries.join('\n  ') +
    '\n</feed>\n'
  );
}

/** A search over `list`: answers each start/max_results slice of it. */
function searchOver(list: string[]): Route {
  return (url) => {
    const start = Number(url.searchParams.get('start'));
    const max = Number(url.searchParams.get('max_results'));
    return { body: feed(list.slice(start, start + max), list.length, start) };
  };
}

let server: FixtureServer;
let clock: RecordingClock;

beforeEach(async () => {
  server = new FixtureServer(searchOver(ENTRIES));
  await server.start();
  clock = new RecordingClock();
});
afterEach(() => server.close());

function query(options: Partial<ArxivApiQueryOptions> = {}): ArxivApiQuery {
  return new ArxivApiQuery({
    name: 'arxiv-api',
    baseUrl: `${server.baseUrl}/api/query`,
    searchQuery: 'cat:cs.CL AND ti:transformer',
    pageSize: 4,
    maxResults: null,
    sortBy: 'submittedDate',
    sortOrder: 'ascending',
    http: politeClient(clock),
    ...options,
  });
}

describe('ArxivApiQuery: paging by offset', () => {
  it('serves the real recorded response as one page of its ten entries', async () => {
    server.route = () => ({ body: QUERY });
    const pages = await collect(query({ pageSize: 10, maxResults: 10 }), null);
    expect(pages.map(ids)).toEqual([ENTRIES.map(ID_OF)]);
    expect(pages[0]!.cursor).toEqual({ start: 10 });
    expect(pages[0]!.label).toContain('results 1-10 of 7432');
  });

  it('pages with start and max_results until the total, 3 s apart', async () => {
    const pages = await collect(query(), null);
    expect(server.hits[0]!.url.pathname).toBe('/api/query');
    expect(Object.fromEntries(server.hits[0]!.url.searchParams)).toEqual({
      search_query: 'cat:cs.CL AND ti:transformer',
      start: '0',
      max_results: '4',
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
    });
    expect(server.param('start')).toEqual(['0', '4', '8']);
    expect(pages.map((p) => p.records.length)).toEqual([4, 4, 2]);
    expect(pages.map((p) => p.cursor)).toEqual([{ start: 4 }, { start: 8 }, { start: 10 }]);
    expect(clock.sleeps).toEqual([3001, 3001]);
    expect(server.maxInFlight).toBe(1);
  });

  it('stops at maxResults, asking only for what is left', async () => {
    const pages = await collect(query({ maxResults: 6 }), null);
    expect(server.param('max_results')).toEqual(['4', '2']);
    expect(pages.at(-1)!.cursor).toEqual({ start: 6 });
  });

  it('resumes after an interruption with exactly the rest', async () => {
    const [first] = await collect(query(), null, 1);
    const rest = await collect(query(), first!.cursor);
    expect(server.param('start')).toEqual(['0', '4', '8']);
    expect([...ids(first!), ...rest.flatMap(ids)]).toEqual(ENTRIES.map(ID_OF));
  });

  it('ends at once on a real empty result', async () => {
    server.route = () => ({ body: EMPTY });
    const pages = await collect(query(), null);
    expect(server.hits).toHaveLength(1);
    expect(pages.map((p) => [p.records.length, p.cursor])).toEqual([[0, { start: 0 }]]);
  });

  it('asks again for a page that comes back empty before the total is reached', async () => {
    server.route = script([{ body: feed(ENTRIES.slice(0, 4), 10, 0) }, { body: feed([], 10, 4) }], searchOver(ENTRIES));
    const pages = await collect(query(), null);
    expect(server.param('start')).toEqual(['0', '4', '4', '8']);
    expect(pages.map(ids).flat()).toEqual(ENTRIES.map(ID_OF));
  });

  it('gives up with SOURCE_FAILED when the page stays empty', async () => {
    server.route = (url) => (url.searchParams.get('start') === '0' ? searchOver(ENTRIES)(url) : { body: feed([], 10, 4) });
    await expect(collect(query({ emptyPageRetries: 2 }), null)).rejects.toMatchObject({
      code: 'SOURCE_FAILED',
      message: expect.stringContaining('empty page at result 4 of 10, 3 times'),
    });
    expect(server.param('start')).toEqual(['0', '4', '4', '4']);
  });

  it('fails at once, without retrying, when arXiv answers with its error feed', async () => {
    server.route = () => ({ body: ERROR_FEED });
    await expect(collect(query(), null)).rejects.toMatchObject({
      code: 'SOURCE_FAILED',
      message: expect.stringContaining('incorrect id format for 1234.12345'),
    });
    expect(server.hits).toHaveLength(1);
  });

  it('retries an HTML error page served with 200', async () => {
    server.route = script([{ body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }], searchOver(ENTRIES));
    const pages = await collect(query({ maxResults: 4 }), null);
    expect(server.hits).toHaveLength(2);
    expect(pages[0]!.records).toHaveLength(4);
  });

  it('refuses a page size above arXiv’s 2000', () => {
    expect(() => query({ pageSize: 2001 })).toThrow(/page size 2001/);
  });
});

describe('ArxivApiQuery: incremental by lastUpdatedDate', () => {
  const incremental = (options: Partial<ArxivApiQueryOptions> = {}) =>
    query({ sortBy: 'lastUpdatedDate', sortOrder: 'descending', ...options });
  const NEWEST = '2021-05-19T13:38:25.000Z';

  beforeEach(() => {
    server.route = searchOver(BY_UPDATE);
  });

  it('stops at the first entry not newer than `since` and saves the newest as the next `since`', async () => {
    const pages = await collect(incremental({ pageSize: 10 }), { since: '2016-06-08T00:10:47Z' });
    expect(server.hits[0]!.url.searchParams.get('sortBy')).toBe('lastUpdatedDate');
    expect(server.hits).toHaveLength(1);
    expect(pages.map(ids)).toEqual([['2102.00018', '1610.08734', '1602.03411']]);
    expect(pages[0]!.cursor).toEqual({ since: NEWEST });
  });

  it('pages until `since`, resumably, then finds nothing new on the next run', async () => {
    const source = incremental({ pageSize: 2, initialSince: '2013-01-01T00:00:00Z' });
    const firstTwo = await collect(source, null, 2);
    expect(firstTwo.at(-1)!.cursor).toEqual({ since: '2013-01-01T00:00:00Z', start: 4, newest: NEWEST });
    const rest = await collect(source, firstTwo.at(-1)!.cursor);
    expect(server.param('start')).toEqual(['0', '2', '4', '6']);
    expect([...firstTwo, ...rest].flatMap(ids)).toEqual(BY_UPDATE.slice(0, 6).map(ID_OF));
    expect(rest.at(-1)!.cursor).toEqual({ since: NEWEST });

    const next = await collect(source, rest.at(-1)!.cursor);
    expect(next.map((p) => [p.records.length, p.cursor])).toEqual([[0, { since: NEWEST }]]);
  });

  it('refuses incremental mode with another sort order', async () => {
    await expect(collect(query(), { since: NEWEST })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(server.hits).toHaveLength(0);
  });
});

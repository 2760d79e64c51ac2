/**
 * The OAI-PMH source end to end against a local server answering with arXiv's recorded
 * responses: paging by resumption token, resuming, `from` advancing, the OAI errors a harvester
 * meets (noRecordsMatch, badResumptionToken), category filtering and failing politely.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/core/errors.js';
import { OaiPmhSource, setsForCategories, type OaiPmhSourceOptions } from '../../src/adapters/sources/oai-pmh.source.js';
import {
  FixtureServer,
  RecordingClock,
  USER_AGENT,
  collect,
  fixture,
  ids,
  politeClient,
  script,
  type Route,
} from './harness.js';

const PAGE1 = fixture('oai-pmh/ListRecordsResponse.xml');
const TOKEN = '726959|1001';
/**
 * Page 2 of the same list, built from the real page 1: the same record structure with other ids,
 * one later datestamp, a deleted record, and the empty token that ends a list.
 */
const PAGE2 = PAGE1.replace(/0704\.(\d{4})/g, '0705.$1')
  .replace('<datestamp>2014-12-22</datestamp>', '<datestamp>2015-01-05</datestamp>')
  .replace(
    '<ListRecords>',
    '<ListRecords>\n<record><header status="deleted"><identifier>oai:arXiv.org:0705.0001</identifier>' +
      '<datestamp>2015-01-02</datestamp><setSpec>cs</setSpec></header></record>',
  )
  .replace(/<resumptionToken[^>]*>[^<]*<\/resumptionToken>/, '<resumptionToken cursor="6" completeListSize="13"/>');
const NO_RECORDS = fixture('oai-pmh/ErrorResponseNoRecordsMatch.xml');
const BAD_TOKEN = fixture('oai-pmh/ErrorResponseBadResumptionToken.xml');

/** arXiv as recorded: set math from 2014-10-01 has two pages; later, or other sets, nothing new. */
const arxiv: Route = (url) => {
  const q = url.searchParams;
  if (url.pathname !== '/oai' || q.get('verb') !== 'ListRecords') return { status: 404 };
  const token = q.get('resumptionToken');
  if (token !== null) return { body: token === TOKEN ? PAGE2 : BAD_TOKEN };
  const first = q.get('set') === 'math' && q.get('metadataPrefix') === 'arXivRaw' && q.get('from') === '2014-10-01';
  return { body: first ? PAGE1 : NO_RECORDS };
};

const DONE = { sets: { math: { from: '2015-01-05', resumptionToken: null } } };

let server: FixtureServer;
let clock: RecordingClock;

beforeEach(async () => {
  server = new FixtureServer(arxiv);
  await server.start();
  clock = new RecordingClock();
});
afterEach(() => server.close());

function source(options: Partial<OaiPmhSourceOptions> = {}): OaiPmhSource {
  return new OaiPmhSource({
    name: 'arxiv-oai',
    baseUrl: `${server.baseUrl}/oai`,
    sets: ['math'],
    categories: ['math.AG', 'gr-qc', 'cs.CL'],
    initialFrom: '2014-10-01',
    http: politeClient(clock),
    ...options,
  });
}

function params(i: number): Record<string, string> {
  return Object.fromEntries(server.hits[i]!.url.searchParams);
}

describe('OaiPmhSource: paging and resuming', () => {
  it('pages along the resumption token, keeps the wanted categories, then moves `from` to the latest datestamp', async () => {
    const pages = await collect(source(), null);
    expect(params(0)).toEqual({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'math', from: '2014-10-01' });
    expect(params(1)).toEqual({ verb: 'ListRecords', resumptionToken: TOKEN });
    expect(pages.map(ids)).toEqual([
      ['0704.0874', '0704.1109'],
      ['0705.0001', '0705.0874', '0705.1109'],
    ]);
    expect(pages[1]!.records[0]!.deleted).toBe(true); // deleted records pass the category filter
    expect(pages[0]!.cursor).toEqual({
      sets: { math: { from: '2014-10-01', resumptionToken: TOKEN, latestDatestamp: '2014-12-22' } },
    });
    expect(pages[1]!.cursor).toEqual(DONE);
    expect(pages[0]!.label).toContain('4 outside the categories dropped');
  });

  it('asks politely: one request at a time, 3 s apart, with its User-Agent', async () => {
    await collect(source(), null);
    expect(server.hits.map((h) => h.userAgent)).toEqual([USER_AGENT, USER_AGENT]);
    expect(clock.sleeps).toEqual([3001]);
    expect(server.maxInFlight).toBe(1);
  });

  it('keeps every record when no categories are given', async () => {
    const pages = await collect(source({ categories: null }), null);
    expect(pages.map((p) => p.records.length)).toEqual([6, 7]);
  });

  it('resumes a run killed after page 1 at page 2, and ends where an uninterrupted run does', async () => {
    const [first] = await collect(source(), null, 1);
    expect(server.hits).toHaveLength(1);
    const rest = await collect(source(), first!.cursor);
    expect(server.hits).toHaveLength(2);
    expect(params(1)).toEqual({ verb: 'ListRecords', resumptionToken: TOKEN });
    expect(rest.map(ids)).toEqual([['0705.0001', '0705.0874', '0705.1109']]);
    expect(rest[0]!.cursor).toEqual(DONE);
  });

  it('remembers the latest datestamp of pages stored before the interruption', async () => {
    const cursor = { sets: { math: { from: '2014-10-01', resumptionToken: TOKEN, latestDatestamp: '2015-02-01' } } };
    const pages = await collect(source(), cursor);
    expect(pages.at(-1)!.cursor).toEqual({ sets: { math: { from: '2015-02-01', resumptionToken: null } } });
  });

  it('takes noRecordsMatch on the next run as nothing new: one empty page, `from` unchanged', async () => {
    const pages = await collect(source(), DONE);
    expect(params(0)).toMatchObject({ set: 'math', from: '2015-01-05' });
    expect(pages).toHaveLength(1);
    expect(pages[0]!.records).toEqual([]);
    expect(pages[0]!.cursor).toEqual(DONE);
    expect(pages[0]!.label).toContain('nothing new');
  });

  it('restarts a set from its `from` when the saved token has expired', async () => {
    const expired = { sets: { math: { from: '2014-10-01', resumptionToken: 'yesterday|42' } } };
    const pages = await collect(source(), expired);
    expect(server.param('resumptionToken')).toEqual(['yesterday|42', null, TOKEN]);
    expect(params(1)).toMatchObject({ set: 'math', from: '2014-10-01' });
    expect(pages).toHaveLength(2);
    expect(pages[1]!.cursor).toEqual(DONE);
  });

  it('fails rather than loop when a fresh token is refused too', async () => {
    server.route = (url) => (url.searchParams.has('resumptionToken') ? { body: BAD_TOKEN } : arxiv(url));
    const seen: string[][] = [];
    const run = (async () => {
      for await (const page of source().pages({ sets: { math: { from: '2014-10-01', resumptionToken: 'old' } } }))
        seen.push(ids(page));
    })();
    await expect(run).rejects.toMatchObject({ code: 'SOURCE_FAILED', message: expect.stringContaining('badResumptionToken') });
    expect(seen).toEqual([['0704.0874', '0704.1109']]);
    expect(server.hits).toHaveLength(3);
  });

  it('harvests each set in turn, each with its own cursor', async () => {
    const pages = await collect(source({ sets: ['math', 'physics:gr-qc'] }), null);
    expect(server.param('set')).toEqual(['math', null, 'physics:gr-qc']);
    expect(pages).toHaveLength(3);
    expect(pages[2]!.cursor).toEqual({
      sets: { ...DONE.sets, 'physics:gr-qc': { from: '2014-10-01', resumptionToken: null } },
    });
  });
});

describe('OaiPmhSource: failures', () => {
  it('retries a 503 with Retry-After, an HTML page served with 200 and a truncated body, then goes on', async () => {
    server.route = script(
      [
        { status: 503, headers: { 'retry-after': '2' }, body: 'busy' },
        { body: '<!DOCTYPE html><html><body>Temporarily unavailable</body></html>', headers: { 'content-type': 'text/html' } },
        { body: PAGE1.slice(0, 4000) },
      ],
      arxiv,
    );
    const pages = await collect(source({ http: politeClient(clock, { maxRetries: 3, minIntervalMs: 100 }) }), null);
    expect(pages.map(ids)).toEqual([
      ['0704.0874', '0704.1109'],
      ['0705.0001', '0705.0874', '0705.1109'],
    ]);
    expect(server.hits).toHaveLength(5);
    // Retry-After 2 s; then backoff (jitter pinned to 0) for the two bad bodies; then the interval
    expect(clock.sleeps).toEqual([2000, 1000, 2000, 101]);
  });

  it('gives up with SOURCE_FAILED after maxRetries when arXiv keeps answering 503', async () => {
    server.route = () => ({ status: 503, headers: { 'retry-after': '5' } });
    await expect(collect(source({ http: politeClient(clock, { maxRetries: 2 }) }), null)).rejects.toMatchObject({
      code: 'SOURCE_FAILED',
      message: expect.stringMatching(/HTTP 503, after 3 attempts/),
    });
    expect(server.hits).toHaveLength(3);
    expect(clock.sleeps).toEqual([5000, 5000]);
  });

  it('fails with SOURCE_FAILED on any other OAI error', async () => {
    server.route = () => ({ body: fixture('oai-pmh/ErrorResponseBadArgument.xml') });
    await expect(collect(source(), null)).rejects.toMatchObject({
      code: 'SOURCE_FAILED',
      message: expect.stringContaining('badArgument'),
    });
  });

  it('refuses a corrupt saved cursor instead of harvesting everything again', async () => {
    await expect(collect(source(), { sets: { math: { from: 5 } } })).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
    expect(server.hits).toHaveLength(0);
  });

  it('refuses to start without a set', () => {
    expect(() => source({ sets: [] })).toThrow(PaperboyError);
  });
});

describe('setsForCategories', () => {
  it('maps categories to the archive sets that hold them, once each', () => {
    expect(
      setsForCategories([
        'cs.CL', 'cs.LG', 'stat.ML', 'math.CO', 'hep-th', 'astro-ph.CO', 'q-bio.NC', 'q-fin.ST',
        'eess.SP', 'econ.EM', 'nlin.CD', 'cond-mat.str-el', 'gr-qc', 'quant-ph', 'physics.optics', 'math-ph',
      ]),
    ).toEqual([
      'cs', 'stat', 'math', 'physics:hep-th', 'physics:astro-ph', 'q-bio', 'q-fin', 'eess', 'econ',
      'physics:nlin', 'physics:cond-mat', 'physics:gr-qc', 'physics:quant-ph', 'physics:physics', 'physics:math-ph',
    ]);
  });

  it('maps to arXiv’s per-category sets (group:archive:CATEGORY) on request', () => {
    expect(setsForCategories(['cs.CL', 'stat.ML', 'astro-ph.CO', 'hep-th', 'physics.optics'], 'category')).toEqual([
      'cs:cs:CL', 'stat:stat:ML', 'physics:astro-ph:CO', 'physics:hep-th', 'physics:physics:optics',
    ]);
  });

  it('refuses what is not an arXiv category', () => {
    for (const bad of ['cs CL', 'biology.XX', '']) expect(() => setsForCategories([bad])).toThrow(/not an arXiv category/);
  });
});

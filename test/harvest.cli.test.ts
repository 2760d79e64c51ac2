/**
 * `paperboy harvest` end to end: the real CLI, configured by environment variables, against a
 * local server that answers with the recorded arXiv OAI-PMH and Hugging Face responses.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { tempDbPath } from './support/sqlite-harness.js';
import { FixtureServer, fixture, hfDayFile, type Route } from './sources/harness.js';

const LIST = fixture('oai-pmh/ListRecordsResponse.xml');
const LAST_PAGE = LIST.replace(/<resumptionToken[^>]*>[^<]*<\/resumptionToken>/, '<resumptionToken/>');

function routes(oai: Route): Route {
  return (url) => {
    if (url.pathname === '/oai') return oai(url);
    if (url.pathname === '/api/daily_papers') return { body: hfDayFile(url.searchParams.get('date')!) ?? '[]', headers: { 'content-type': 'application/json' } };
    return { status: 404 };
  };
}

const healthyOai: Route = (url) => ({ body: url.searchParams.get('resumptionToken') ? LAST_PAGE : LIST });

describe('paperboy harvest', () => {
  let server: FixtureServer;
  let env: Record<string, string>;
  let db: string;

  beforeEach(async () => {
    server = new FixtureServer(routes(healthyOai));
    const base = await server.start();
    db = tempDbPath();
    env = {
      PAPERBOY_ARXIV_OAI_URL: `${base}/oai`,
      PAPERBOY_ARXIV_API_URL: `${base}/api/query`,
      PAPERBOY_HF_URL: base,
      PAPERBOY_ARXIV_INTERVAL_MS: '0',
      PAPERBOY_HF_INTERVAL_MS: '0',
      PAPERBOY_HTTP_MAX_RETRIES: '1',
      PAPERBOY_ARXIV_SETS: 'physics math',
      PAPERBOY_ARXIV_CATEGORIES: 'nucl-th math.AG gr-qc',
      PAPERBOY_CONTACT_EMAIL: 'ops@lab.example',
      // from 2026-06-20 on the recorded Hugging Face days; later days answer [] like holidays
      PAPERBOY_HARVEST_BACKFILL_DAYS: String(Math.ceil((Date.now() - Date.parse('2026-06-20')) / 86_400_000)),
    };
  });
  afterEach(async () => server.close());

  it('runs every source once, then only what is new, politely identified', async () => {
    const r = await runCli(['harvest', '--db', db, '--json'], env);
    expect(r.code).toBe(0);
    const [arxiv, hf] = JSON.parse(r.stdout) as { source: string; pages: number; new: number; error: string | null }[];
    expect(arxiv).toMatchObject({ source: 'arxiv', pages: 4, new: 4, error: null }); // 2 sets × 2 pages; 4 papers in the categories
    expect(hf!.source).toBe('hf-daily');
    expect(hf!.new).toBeGreaterThan(100);
    expect(server.hits.every((h) => h.userAgent?.includes('mailto:ops@lab.example'))).toBe(true);
    expect(server.param('set').filter(Boolean)).toEqual(['physics', 'math']);
    const firstFrom = server.param('from').filter(Boolean);
    expect(firstFrom).toHaveLength(2);

    server.hits.length = 0;
    const again = JSON.parse((await runCli(['harvest', '--db', db, '--json'], env)).stdout) as { new: number; pages: number }[];
    expect(again.map((x) => x.new)).toEqual([0, 0]);
    // arXiv asks again from where it stopped (never before it: the recorded datestamps are older);
    // Hugging Face refetches only its last days
    expect(server.param('from').filter(Boolean)).toEqual(firstFrom);
    expect(server.param('resumptionToken').filter(Boolean)).toEqual(['726959|1001', '726959|1001']);
    expect(again[1]!.pages).toBeLessThanOrEqual(3);
    const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'], env)).stdout);
    expect(stats.bySource['oai-pmh']).toBe(4);
  });

  it('keeps what other sources bring when arXiv rate-limits, and says so with exit 1', async () => {
    server.route = routes(() => ({ status: 503, headers: { 'retry-after': '0' }, body: 'busy' }));
    const r = await runCli(['harvest', '--db', db], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^arxiv: 0 page\(s\).*FAILED: .*503/m);
    expect(r.stdout).toMatch(/^hf-daily: \d+ page\(s\), new \d+, updated \d+, unchanged \d+, rejected \d+ in \d+\.\d s$/m);
    const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'], env)).stdout);
    expect(stats.bySource).toEqual({ 'hf-daily': stats.papers });

    server.route = routes(healthyOai); // arXiv is back: the next run catches up
    const later = await runCli(['harvest', '--source', 'arxiv', '--db', db], env);
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/^arxiv: 4 page\(s\), new 4/m);
  });
});

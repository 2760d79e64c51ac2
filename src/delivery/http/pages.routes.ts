/**
 * The web pages, the whole route table on one screen. Each handler parses the request and
 * hands it to the renderer (page-render.ts: service call, view, page shell); listings, paper
 * pages and the ranking page go through the response cache, keyed by the normalised URL and the
 * theme and tagged with the data version. State changes only by POST: the theme cookie here, the
 * subscriptions in subscriptions.routes.ts.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import { parsePeriod, periodOfDay } from '../../core/periods.js';
import { isListingOrder, type ListingOrder } from '../../core/ranking.js';
import type { ListingScope } from '../../services/listing.service.js';
import { pageRenderer, type PageDeps } from './page-render.js';
import { pageNumber, paperPath } from './request-parts.js';
import { isTheme, localPath, themeCookie } from './theme.js';
import { urls } from './urls.js';

const MAX_CACHED_SEARCH_URL = 512;

type Query = Record<string, unknown>;
const HTML = 'text/html; charset=utf-8';
const PERIOD_PATHS = [
  ['day', '/papers/date'],
  ['week', '/papers/week'],
  ['month', '/papers/month'],
] as const;

export const pageRoutes: FastifyPluginAsync<PageDeps> = async (app, deps) => {
  const r = pageRenderer(deps);
  // searches cost what the client asks: a budget per address (request.ip, which honours
  // PAPERBOY_TRUST_PROXY), answered 429 with Retry-After on the HTML error page (app.ts)
  await app.register(rateLimit, { global: false, errorResponseBuilder: (_req, ctx) => tooMany(ctx.max, ctx.after) });
  const searchLimit = { rateLimit: deps.searchRateLimit > 0 ? { max: deps.searchRateLimit, timeWindow: 60_000 } : false } as const;

  app.get('/', async (req, reply) => {
    const { order, page, scope } = listingQuery(req.query as Query);
    return r.listingPage(req, reply, urls.home(order, page, scope), async (p) => {
      const day = await deps.listing.latestDay();
      return day ? r.listing(req, p, { kind: 'day', key: day }, { order, page, scope }) : r.welcome(req, p);
    }, 'votes'); // the latest day, whichever it is: any vote may change it
  });

  for (const [kind, base] of PERIOD_PATHS) {
    app.get(`${base}/:key`, async (req, reply) => {
      const { key } = req.params as { key: string };
      const range = parsePeriod(kind, key);
      if (!range) return r.notFound(req, reply, `There is no ${kind} “${key}”.`);
      const { order, page, scope } = listingQuery(req.query as Query);
      // keyed on the votes of this period's days only: a vote re-renders its own day's pages (decision 028)
      return r.listingPage(req, reply, urls.period(range.period, order, page, scope), (p) => r.listing(req, p, range.period, { order, page, scope }), range.period);
    });
    // /papers/week, /papers/month: the newest with papers; /papers/date?day=…: the calendar's date field
    app.get(base, async (req, reply) => {
      const asked = (req.query as Query).day;
      const day = kind === 'day' && typeof asked === 'string' && parsePeriod('day', asked) ? asked : await deps.listing.latestDay();
      return reply.redirect(day ? urls.period(periodOfDay(kind, day)) : urls.home(), 302);
    });
  }

  app.get('/papers/*', async (req, reply) => {
    const { id, text } = paperPath(req)!;
    if (!id) return r.notFound(req, reply, `“${text}” is not an arXiv id.`);
    const path = `${urls.paper(id.id)}${id.version === null ? '' : `v${id.version}`}`;
    return r.paper(req, reply, path, id);
  });

  // results depend only on the query and the data: cached like listings (popular queries are
  // asked again and again), except very long queries, which would only crowd the cache
  app.get('/search', { config: searchLimit }, async (req, reply) => {
    const page = async () => ({ status: 200, type: HTML, body: await r.search(req, req.query as Query) });
    if (req.url.length > MAX_CACHED_SEARCH_URL) return reply.type(HTML).header('cache-control', 'no-cache').send((await page()).body);
    return r.cached(req, reply, req.url, page);
  });

  app.get('/about/ranking', async (req, reply) => r.cached(req, reply, urls.about(), (p) => r.about(req, p)));

  // anonymous, on every (shared, cached) page, and harmless: a same-site request suffices (csrf.ts)
  app.post('/theme', { config: { csrf: 'same-origin' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Query;
    reply.header('set-cookie', themeCookie(isTheme(body.theme) ? body.theme : 'auto', deps.publicUrl.startsWith('https:')));
    return reply.redirect(localPath(body.back), 303);
  });

  app.get('/healthz', async (_req, reply) => {
    const ok = await withTimeout(deps.ping(), 2000).then(
      () => true,
      () => false,
    );
    reply.code(ok ? 200 : 503).header('cache-control', 'no-store').type('text/plain; charset=utf-8');
    return reply.send(ok ? 'ok\n' : 'database unavailable\n');
  });
};

/** The rate limiter's refusal, shown by the HTML error handler with its status. */
function tooMany(max: number, after: string): Error & { statusCode: number } {
  return Object.assign(new Error(`more than ${max} searches a minute from this address; retry in ${after}`), { statusCode: 429 });
}

/** ?order= (trending unless a known order), ?page= (a positive integer, else 1), ?all=1 (every new paper, else the curated ones). */
function listingQuery(q: Query): { order: ListingOrder; page: number; scope: ListingScope } {
  const order = isListingOrder(q.order) ? q.order : 'trending';
  return { order, page: pageNumber(q.page), scope: q.all === '1' ? 'all' : 'curated' };
}


function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

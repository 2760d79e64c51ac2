/**
 * /feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest day, of every day, ISO week and
 * month, and of every search. Routes come from the operation table (api.operations.ts), like the
 * API's; a handler asks one service for papers and renders them (feeds/). Open to any origin,
 * with ETags so that a polling reader mostly gets 304, and JSON errors like the API's.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Paper } from '../../core/paper.js';
import { parsePeriod } from '../../core/periods.js';
import { invalidParameter, type ErrorLog } from './api.errors.js';
import { answerCached, useJsonRateLimit, usePublicReads, type ReadServices } from './api.http.js';
import { FEED_OPERATIONS, FEED_TYPES, fastifySchema, fastifyUrl, type FeedOperation } from './api.operations.js';
import type { Order, SearchFeedQuery } from './api.params.js';
import { buildFeed, FEED_SIZE, type FeedSpec } from './feeds/feed.js';
import { latestFeedSpec, periodFeedSpec, searchFeedSpec } from './feeds/feed-specs.js';
import { renderFeed } from './feeds/render.js';
import { ResponseCache } from './http-cache.js';

export interface FeedRoutesOptions {
  container: ReadServices;
  /** shared with the pages, to keep one memory budget; by default the feeds keep their own */
  cache?: ResponseCache;
  /** where server failures are reported (serve's stderr); Fastify's logger otherwise */
  log?: ErrorLog;
}

/** Feed readers poll; ten minutes of reuse costs nothing, as listings change once a day. */
const MAX_AGE = 600;
const PREFIX = '/feeds';

export const feedRoutes: FastifyPluginAsync<FeedRoutesOptions> = async (app, opts) => {
  const cache = opts.cache ?? new ResponseCache();
  // a scope with a prefix of its own, so that its not-found handler answers for /feeds/* only
  await app.register((feeds) => feedScope(feeds, opts, cache), { prefix: PREFIX });
};

async function feedScope(feeds: FastifyInstance, opts: FeedRoutesOptions, cache: ResponseCache): Promise<void> {
  const c = opts.container;
  await usePublicReads(feeds, opts.log);
  // search feeds cost what the client asks, like the search page: the same budget per address,
  // shared by the three formats; the other feeds are a bounded set, answered from the cache
  // (the scope's limit counts every route it applies to in one store: the search feeds opt in)
  await useJsonRateLimit(feeds, c.config.PAPERBOY_SEARCH_RATE_LIMIT, 'searches');
  for (const op of FEED_OPERATIONS) {
    const type = `${FEED_TYPES[op.format]}; charset=utf-8`;
    const render = async (req: FastifyRequest) => {
      const { spec, papers, submittedBy } = await feedContent(c, op, req);
      return renderFeed(op.format, buildFeed(spec, papers, c.config.PUBLIC_URL, submittedBy));
    };
    feeds.route({
      method: 'GET',
      url: fastifyUrl(op).slice(PREFIX.length),
      schema: fastifySchema(op),
      config: op.kind === 'search' ? {} : { rateLimit: false },
      handler: (req, reply) => answerCached(c, cache, req, reply, { type, maxAge: MAX_AGE, render: () => render(req) }),
    });
  }
}

interface FeedContent {
  spec: FeedSpec;
  papers: Paper[];
  /** the listing's submitters (decision 032): named in the Atom entries */
  submittedBy?: Readonly<Record<string, string | null>>;
}

async function feedContent(c: ReadServices, op: FeedOperation, req: FastifyRequest): Promise<FeedContent> {
  const order = (req.query as { order?: Order }).order ?? 'trending';
  const listing = (period: Parameters<typeof c.listing.listing>[0]) =>
    c.listing.listing(period, { order, page: 1, pageSize: FEED_SIZE }).then((l) => ({ papers: l.papers, submittedBy: l.submittedBy }));
  switch (op.kind) {
    case 'latest': {
      const day = await c.listing.latestDay();
      const parsed = day ? parsePeriod('day', day) : null;
      return { spec: latestFeedSpec(day, order), ...(parsed ? await listing(parsed.period) : { papers: [] }) };
    }
    case 'search': {
      const q = req.query as SearchFeedQuery;
      const r = await c.search.search({ q: q.q, mode: q.mode, sort: q.sort, limit: FEED_SIZE, offset: 0 });
      return { spec: searchFeedSpec(q), papers: r.hits.map((h) => h.paper) };
    }
    default: {
      const key = Object.values(req.params as Record<string, string>)[0] ?? '';
      const parsed = parsePeriod(op.kind, key);
      if (!parsed) throw invalidParameter(`no such ${op.kind}: ${key}`);
      return { spec: periodFeedSpec(parsed.period, parsed.from, order), ...(await listing(parsed.period)) };
    }
  }
}

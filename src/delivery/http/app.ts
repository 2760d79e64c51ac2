/**
 * The web application of `paperboy serve`: one Fastify instance with the security headers, the
 * static files, the pages, the API and the feeds. Built from the container; listens nowhere by
 * itself (serve.command.ts does), so tests drive it with app.inject(). Its close() returns once
 * the requests in flight are done with the store.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Container } from '../../container.js';
import { PaperboyError } from '../../core/errors.js';
import type { SiteReads } from '../../services/site-reads.js';
import type { RenderedPages } from '../../ports/rendered-pages.js';
import type { StoreStatus } from '../../ports/store-status.js';
import { assetFingerprint, assetUrls, codeFingerprint, registerAssets, renderFingerprint } from './assets.js';
import { ResponseCache } from './http-cache.js';
import { errorBody, QUERY_TIMEOUT_RETRY_AFTER } from './api.errors.js';
import { pageRenderer, SIMILAR, type PageDeps, type PageDiscussions, type PageRenderer } from './page-render.js';
import { pageLayout, PagesAhead } from './pages-ahead.js';
import { accountRoutes } from './accounts.routes.js';
import { passkeyRoutes } from './passkeys.routes.js';
import { apiRoutes } from './api.routes.js';
import { feedRoutes } from './feeds.routes.js';
import { pageRoutes } from './pages.routes.js';
import { subscriptionRoutes, type DigestPreview } from './subscriptions.routes.js';
import type { SubscriptionService } from '../../services/subscription.service.js';
import type { AccountService } from '../../services/account.service.js';
import type { PasskeyService } from '../../services/passkey.service.js';
import { csrfInput, useCsrf } from './csrf.js';
import { libraryRoutes, type WebLibrary } from './library.routes.js';
import { libraryControls } from './views/library.view.js';
import { communityRoutes } from './community.routes.js';
import { pageCommunity, type WebCommunity } from './community-reads.js';
import { Refusal } from './refusal.js';
import { useViewer, viewerOf } from './viewer.js';
import { applySecurityHeaders, securityHeaders, useSecurityHeaders, type HeaderList } from './security-headers.js';
import type { ServeMetrics } from './metrics.js';
import { metricsRoutes } from './metrics.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** renders paper pages ahead of reading (serve runs it after each computation of the related papers); null when switched off */
    pagesAhead: PagesAhead | null;
  }
}

export interface AppOptions {
  /** where errors are reported (serve: the logger, at error); by default `logger`'s error level, else nowhere */
  log?: (message: string) => void;
  /**
   * serve's logger (delivery/logging.ts): Fastify's own, each request's lines carrying its id, and
   * one line per request answered (issue 14). None: nothing is logged (the tests).
   */
  logger?: FastifyBaseLogger;
  /** request latencies go here, and GET /metrics answers from it when `metricsToken` is set (decision 036) */
  metrics?: ServeMetrics;
  /** PAPERBOY_METRICS_TOKEN; null or absent: no /metrics on the site's port */
  metricsToken?: string | null;
  /** papers per listing page (default 20: a busy arXiv day holds hundreds) */
  pageSize?: number;
  /** rendered responses kept in memory (default 10,000, at most 192 MB) */
  cacheEntries?: number;
}

/**
 * What the web app uses of the container, all of it required: the settings, the store's ports it
 * reads directly (/healthz's ping, paper pages rendered ahead), and the site's reads (listings,
 * search, related papers) as the methods called on them: the services themselves, or serve's
 * read workers (container `site`), or another search a suite hands the pages.
 */
export type WebContainer = Pick<Container, 'config'> & {
  store: Pick<StoreStatus, 'ping'> & RenderedPages;
  /** the readers' subscriptions (issue 11); absent: the pages say subscriptions are off */
  webInbox?: WebInbox;
  /** the discussions under paper pages (issue 13, CommentService); absent: none shown */
  comments?: PageDiscussions;
  /** votes, comment forms, moderation and members' pages (issue 13, decision 031); absent: the pages are read-only */
  community?: WebCommunity;
  /** readers' accounts (issue 13); absent: the pages say signing in is off, and nobody is signed in */
  webAccounts?: WebAccounts;
  /** submissions and libraries (issue 13); absent: no submit, library or collection pages, no library API */
  webLibrary?: WebLibrary;
} & SiteReads;

/** What the account pages and the CSRF guard use (issue 13). */
export interface WebAccounts {
  service: AccountService;
  /** signs the CSRF tokens (container-web-accounts.ts: from PAPERBOY_SECRET, else the database's key) */
  csrfKey: Buffer;
  /** passkeys as a second way in (decision 034); absent: the pages offer none */
  passkeys?: PasskeyService;
}

/** What the subscription pages use: the service, the digest preview, the bounce hook's token. */
export interface WebInbox {
  subscriptions: SubscriptionService;
  preview: DigestPreview | null;
  /** PAPERBOY_MAIL_HOOK_TOKEN; null: POST /hooks/mail answers 404 */
  hookToken: string | null;
}

export async function buildApp(c: WebContainer, opts: AppOptions = {}): Promise<FastifyInstance> {
  const logger = opts.logger;
  const log = opts.log ?? (logger ? (m: string) => logger.error(m) : () => {});
  const headers = securityHeaders(c.config.PUBLIC_URL.startsWith('https:'));
  let render: PageRenderer | null = null; // the error pages, once the app is built
  const app = Fastify({
    ...(logger ? { loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }), genReqId: requestId } : { logger: false }),
    // paper ids and search queries can be long; the HTTP server's 16 kB header limit would cut a 10 kB query
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
    http: { maxHeaderSize: 64 * 1024 },
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    // behind a reverse proxy: request.ip (the API's rate-limit key) is then the client's, from X-Forwarded-For
    trustProxy: trustProxy(c.config.PAPERBOY_TRUST_PROXY),
    frameworkErrors: (err, req, reply) => {
      frameworkError(err, req, reply, headers, render);
    },
  });
  // first, so that every response carries them, error and not-found answers included
  useSecurityHeaders(app, headers);
  if (logger) logRequests(app);
  if (opts.metrics) timeRequests(app, opts.metrics);
  closeGracefully(app, log);
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await registerAssets(app);
  // who is asking, then the CSRF guard every state-changing route passes (decision 027)
  const secure = c.config.PUBLIC_URL.startsWith('https:');
  await app.register(cookie);
  useViewer(app, c.webAccounts?.service ?? null, secure);
  // without accounts wired (some suites), a key of this process: tokens still guard every form
  useCsrf(app, { key: c.webAccounts?.csrfKey ?? randomBytes(32), publicUrl: c.config.PUBLIC_URL, bearer: (req) => viewerOf(req)?.via === 'token' });

  const assets = assetFingerprint();
  const build = `${assets}.${codeFingerprint()}`;
  const cache = new ResponseCache({ maxEntries: opts.cacheEntries ?? 10_000, maxBytes: 192 * 1024 * 1024, build });
  // the pages rendered ahead follow only what renders them (decision 040)
  const layout = pageLayout(`${assets}.${renderFingerprint()}`, c.config.PUBLIC_URL);
  const ahead = c.config.PAPERBOY_PAGES_AHEAD;
  const deps = {
    listing: c.listing,
    search: c.search,
    related: c.related,
    publicUrl: c.config.PUBLIC_URL,
    cache,
    assets: assetUrls(assets),
    pageSize: opts.pageSize ?? 20,
    searchPageSize: 20,
    searchRateLimit: c.config.PAPERBOY_SEARCH_RATE_LIMIT,
    subscriptionsOn: c.webInbox?.subscriptions.enabled === true,
    ping: () => c.store.ping(),
    storedPage: ahead ? (id: string) => c.store.storedPage(id, layout, SIMILAR) : null,
    // a page rendered on request because its stored one was stale (one of its similar papers
    // changed since) or missing is rendered ahead again by the next run
    missedPage: (id: string) => pagesAhead?.miss(id),
    discussions: c.comments ?? null,
    viewerPart: viewerLibrary(c.webLibrary),
    community: c.community ? pageCommunity(c.community) : null,
    log,
  };
  // the error and not-found pages first, so that every route registered after inherits them
  render = pageRenderer(deps);
  const pages = render;
  const pagesAhead = ahead ? new PagesAhead(c.store, (id) => pages.paperAhead(id), layout, SIMILAR) : null;
  app.decorate('pagesAhead', pagesAhead);
  app.setNotFoundHandler((req, reply) => pages.notFound(req, reply, 'There is no page at this address.'));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof PaperboyError && err.code === 'NOT_FOUND') return pages.notFound(req, reply, err.message);
    if (err instanceof PaperboyError && err.code === 'QUERY_TIMEOUT') {
      reply.header('retry-after', String(QUERY_TIMEOUT_RETRY_AFTER));
      return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(pages.error(req, 503, err.message));
    }
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) {
      // with serve's logger: on the request's own line of the log, its id with it, no secret path
      if (logger) req.log.error({ err, method: req.method, path: loggedPath(req) }, 'request failed');
      else log(`${req.method} ${req.url.slice(0, 300)}: ${err.stack ?? String(err)}`);
    }
    // never the stack or the message (they may hold paths, SQL or a database address), but a Refusal's, written for the reader
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(pages.error(req, status, err instanceof Refusal ? err.message : undefined));
  });
  await app.register(pageRoutes, deps);
  await app.register(subscriptionRoutes, {
    service: c.webInbox?.subscriptions ?? null,
    preview: c.webInbox?.preview ?? null,
    page: (req, title, main) => pages.page(req, title, main),
    clientRateLimit: c.config.PAPERBOY_SUBSCRIBE_RATE_LIMIT,
    hookToken: c.webInbox?.hookToken ?? null,
    publicUrl: c.config.PUBLIC_URL,
  });
  await app.register(accountRoutes, {
    service: c.webAccounts?.service ?? null,
    page: (req, title, main) => pages.page(req, title, main),
    clientRateLimit: c.config.PAPERBOY_SIGNIN_RATE_LIMIT,
    publicUrl: c.config.PUBLIC_URL,
    passkeys: c.webAccounts?.passkeys ?? null,
  });
  await app.register(passkeyRoutes, {
    passkeys: c.webAccounts?.passkeys ?? null,
    signOut: async (secret) => c.webAccounts?.service.signOut(secret),
    page: (req, title, main) => pages.page(req, title, main),
    clientRateLimit: c.config.PAPERBOY_SIGNIN_RATE_LIMIT,
    publicUrl: c.config.PUBLIC_URL,
  });
  await app.register(libraryRoutes, {
    web: c.webLibrary ?? null,
    page: (req, title, main) => pages.page(req, title, main),
    notFound: (req, reply, message) => pages.notFound(req, reply, message),
    publicUrl: c.config.PUBLIC_URL,
    // each account has its daily quota; this bounds one address's many accounts
    clientRateLimit: SUBMISSIONS_PER_CLIENT_HOUR,
    pageSize: deps.pageSize,
  });
  if (c.community)
    await app.register(communityRoutes, {
      votes: c.community.votes,
      comments: c.community.comments,
      members: c.community.members,
      pages,
      voteRateLimit: c.config.PAPERBOY_VOTE_RATE_LIMIT,
      commentRateLimit: c.config.PAPERBOY_COMMENT_RATE_LIMIT,
      profileParts: c.community.profileParts ?? [],
    });
  await app.register(apiRoutes, {
    container: c,
    cache,
    log,
    writes: c.webLibrary ?? null,
    votes: c.community ? { service: c.community.votes, perMinute: c.config.PAPERBOY_VOTE_RATE_LIMIT } : undefined,
  });
  await app.register(feedRoutes, { container: c, cache, log });
  if (opts.metrics && opts.metricsToken) await app.register(metricsRoutes, { metrics: opts.metrics, token: opts.metricsToken });
  return app;
}

/** This process's part of its request ids: random, so that the ids of several web nodes never meet. */
const REQUEST_ID_PREFIX = `${randomBytes(6).toString('hex')}-`;
let requestSerial = 0;

/**
 * A request's id: the X-Request-Id a proxy in front gave it, when it is a plain token, so that
 * the proxy's log and this one meet; else this process's prefix and a serial number (random
 * bytes for every request were 3% of the vote endpoint's CPU). Sent back in X-Request-Id.
 */
function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : REQUEST_ID_PREFIX + (++requestSerial).toString(36);
}

/**
 * One line per request answered, with its id (Fastify's request logger), method, path, route,
 * status and time. Never the query string (search terms, tokens) and, for the routes whose path
 * holds a secret (sign-in links, subscription tokens), the route pattern instead of the path.
 */
function logRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info({ method: req.method, path: loggedPath(req), route: req.routeOptions.url ?? null, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    done();
  });
}

/** A request's path as the log keeps it: no query string, and a secret-bearing route's pattern, not its path. */
function loggedPath(req: FastifyRequest): string {
  const route = req.routeOptions.url ?? null;
  if (route !== null && /:(token|secret)\b/.test(route)) return route;
  return req.url.split('?')[0]!.slice(0, 300);
}

/** Each request's latency into the histogram, by route pattern (decision 036). */
function timeRequests(app: FastifyInstance, metrics: ServeMetrics): void {
  app.addHook('onResponse', (req, reply, done) => {
    metrics.observeRequest(req.method, req.routeOptions.url ?? null, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

/** The library controls of a paper page, for the signed-in viewer (views/library.view.ts). */
function viewerLibrary(web: WebLibrary | undefined): PageDeps['viewerPart'] {
  if (!web) return null;
  return async (req, paperId, csrfToken) => libraryControls(paperId, await web.library.paperState(viewerOf(req)!.accountId, paperId), csrfInput(csrfToken));
}

/**
 * What Fastify meets before any route or hook runs: a malformed URL (a bad %-escape, /papers/%ZZ)
 * or a path parameter longer than maxParamLength. Answered like every other error: under /api
 * and /feeds in their JSON shape with a stable code (and open to any origin), elsewhere with the
 * HTML error page; with the security headers, which no hook has set.
 */
function frameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply, headers: HeaderList, pages: PageRenderer | null): void {
  applySecurityHeaders(reply.raw, headers);
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  reply.header('cache-control', 'no-store');
  if (/^\/(api|feeds)(\/|$)/.test(req.url) || !pages) {
    const message = tooLong ? 'a part of the path is too long' : 'the URL is malformed (a bad %-escape)';
    void reply.code(400).header('access-control-allow-origin', '*').type('application/json; charset=utf-8').send(errorBody('INVALID_PARAMETER', message));
    return;
  }
  void reply.code(tooLong ? 414 : 400).type('text/html; charset=utf-8').send(pages.error(req, tooLong ? 414 : 400));
}

/**
 * PAPERBOY_TRUST_PROXY as Fastify takes it. Fastify ignores a bare hop count (it cannot check
 * who the nearest peer is), so a count becomes a function trusting that many hops: as the
 * setting's help says, for a server no client can reach except through its proxies.
 */
function trustProxy(setting: Config['PAPERBOY_TRUST_PROXY']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** Submit forms an hour one client address may post, whatever its accounts' quotas. */
const SUBMISSIONS_PER_CLIENT_HOUR = 60;

/** How long close() waits for requests still at work before it gives up on them. */
const CLOSE_WAIT_MS = 30_000;

/**
 * close() waits for the work of every request in flight, not only for its connection: a client
 * that gives up closes its connection, but its handler runs on, still using the store, which
 * serve closes next. Answers sent while closing say Connection: close, or keep-alive clients
 * would hold the server open until their connections time out (72 s).
 */
function closeGracefully(app: FastifyInstance, log: (message: string) => void): void {
  let closing = false;
  const working = new Set<FastifyRequest>();
  let idle: (() => void) | null = null;
  const finished = (req: FastifyRequest) => {
    if (working.delete(req) && working.size === 0) idle?.();
  };
  app.addHook('onRequest', (req, _reply, done) => {
    working.add(req);
    done();
  });
  // the answer is handed over: the handler's work is done, whether or not its client is still there
  app.addHook('onSend', (req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    finished(req);
    done(null, payload);
  });
  app.addHook('onResponse', (req, _reply, done) => {
    finished(req);
    done();
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // onClose hooks run once the server has closed, its connections included
  app.addHook('onClose', async () => {
    if (working.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => (idle = () => resolve(true)));
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS)));
    if (!(await Promise.race([drained, late]))) log(`closing: ${working.size} request(s) still at work after ${CLOSE_WAIT_MS / 1000} s; not waiting for them`);
    clearTimeout(timer);
  });
}

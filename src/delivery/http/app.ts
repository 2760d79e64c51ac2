/**
 * The web application of `paperboy serve`: one Fastify instance with the security headers, the
 * static files, the pages, the API and the feeds. Built from the container; listens nowhere by
 * itself (serve.command.ts does), so tests drive it with app.inject().
 */
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { PaperboyError } from '../../core/errors.js';
import { ListingService } from '../../services/listing.service.js';
import { assetFingerprint, assetUrls, registerAssets } from './assets.js';
import { ResponseCache } from './http-cache.js';
import type { PageSearch } from './page-render.js';
import { pageRenderer } from './page-render.js';
import { apiRoutes } from './api.routes.js';
import { feedRoutes } from './feeds.routes.js';
import { pageRoutes } from './pages.routes.js';

export interface AppOptions {
  /** where errors are reported (stderr in serve) */
  log?: (message: string) => void;
  /** papers per listing page (default 20: a busy arXiv day holds hundreds) */
  pageSize?: number;
  /** rendered responses kept in memory (default 10,000, at most 192 MB) */
  cacheEntries?: number;
}

/** What the pages need of the container: listing and search default to none (search) or one on the store. */
export type WebContainer = Pick<Container, 'config' | 'store'> & { listing?: ListingService; search?: PageSearch };

export async function buildApp(c: WebContainer | Container, opts: AppOptions = {}): Promise<FastifyInstance> {
  const web = c as WebContainer;
  const log = opts.log ?? (() => {});
  const app = Fastify({
    logger: false,
    // paper ids and search queries can be long; the HTTP server's 16 kB header limit would cut a 10 kB query
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
    http: { maxHeaderSize: 64 * 1024 },
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  });
  const https = c.config.PUBLIC_URL.startsWith('https:');
  await app.register(helmet, securityHeaders(https));
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await registerAssets(app);

  const build = assetFingerprint();
  const listing = web.listing ?? new ListingService(c.store);
  // the API and feeds take a whole container; a test may hand in only config and store
  const container = { ...c, listing } as unknown as Container;
  const cache = new ResponseCache({ maxEntries: opts.cacheEntries ?? 10_000, maxBytes: 192 * 1024 * 1024, build });
  const deps = {
    listing,
    search: web.search ?? null,
    publicUrl: c.config.PUBLIC_URL,
    cache,
    assets: assetUrls(build),
    pageSize: opts.pageSize ?? 20,
    searchPageSize: 20,
    ping: () => c.store.ping(),
    log,
  };
  // the error and not-found pages first, so that every route registered after inherits them
  const render = pageRenderer(deps);
  app.setNotFoundHandler((req, reply) => render.notFound(req, reply, 'There is no page at this address.'));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof PaperboyError && err.code === 'NOT_FOUND') return render.notFound(req, reply, err.message);
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) log(`${req.method} ${req.url.slice(0, 300)}: ${err.stack ?? String(err)}`);
    // never the stack or the message: they may hold paths, SQL or a database address
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(render.error(req, status));
  });
  await app.register(pageRoutes, deps);
  await app.register(apiRoutes, { container, cache, log });
  await app.register(feedRoutes, { container, cache, log });
  return app;
}

/**
 * A strict Content-Security-Policy: scripts and stylesheets from this site only, nothing inline.
 * The one allowance is style *attributes* (style-src-attr), which KaTeX's HTML output needs to
 * position glyphs; they can't run code, and untrusted text never reaches an attribute unescaped.
 */
function securityHeaders(https: boolean) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // on plain http (a LAN address, say) upgrading would break every stylesheet
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * The security headers every response carries, worked out once at start and then copied onto
 * each response by one onRequest hook.
 *
 * The values are still helmet's: its middleware is run once, at start, on a stand-in response
 * that records what it sets. (@fastify/helmet built that middleware again on every request,
 * parsing the Content-Security-Policy each time: some 13% of the server's time on a cached page.)
 * Nothing in the policy depends on the request, so one list serves every response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Header names as helmet spells them, and their values; frozen, shared by every response. */
export type HeaderList = readonly (readonly [name: string, value: string])[];

/**
 * A strict Content-Security-Policy: scripts and stylesheets from this site only, nothing inline.
 * The one allowance is style *attributes* (style-src-attr), which KaTeX's HTML output needs to
 * position glyphs; they can't run code, and untrusted text never reaches an attribute unescaped.
 * Helmet's other defaults stand, Cross-Origin-Embedder-Policy apart (it is off).
 */
export function helmetOptions(https: boolean): HelmetOptions {
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
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  };
}

/** The headers helmet sets with these options, in the order it sets them. */
export function securityHeaders(https: boolean): HeaderList {
  const headers: (readonly [string, string])[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      if (typeof value !== 'string') throw new Error(`security header ${name}: expected one string value`);
      headers.push(Object.freeze([name, value] as const));
    },
    // X-Powered-By: Fastify never sets it, so there is nothing to take away later
    removeHeader() {},
  };
  let outcome: { err?: unknown } | undefined;
  helmet(helmetOptions(https))({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    outcome = { err };
  });
  // helmet's middleware is synchronous; the request it is shown is empty, which is right only
  // because no directive above is a function of the request
  if (!outcome) throw new Error('helmet did not finish at once: the security headers could not be worked out at start');
  if (outcome.err) throw outcome.err instanceof Error ? outcome.err : new Error(String(outcome.err));
  return Object.freeze(headers);
}

/**
 * Sets the headers on every response of the app, pages, API, feeds, static files and error
 * answers alike. On the raw response, as helmet did: a scope's own reply.header() (the API's
 * cross-origin resource policy) then still takes precedence, since Fastify writes its reply
 * headers over the raw ones.
 */
export function useSecurityHeaders(app: FastifyInstance, headers: HeaderList): void {
  app.addHook('onRequest', (_req, reply, done) => {
    applySecurityHeaders(reply.raw, headers);
    done();
  });
}

/** Sets the headers on a raw response: for answers no hook runs for (app.ts, frameworkError). */
export function applySecurityHeaders(res: ServerResponse, headers: HeaderList): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/**
 * Cross-site request forgery (issue 13, docs/decisions/027): one guard that every state-changing
 * request (POST, PUT, PATCH, DELETE) goes through, and the hidden field forms carry.
 *
 * A signed double-submit token (@fastify/csrf): the browser holds a random secret in an
 * HttpOnly cookie; a form carries a token made from that secret, the signed-in session (its
 * hash, or 'nobody') and the site's key. A token made for one session fails in another
 * (signing in or out changes it), and without the key nobody can mint one, even a page that
 * could plant the cookie. Each route says what it needs in its config, `csrf`:
 * - 'token' (the default, so a new route is protected without asking): a valid token, in the
 *   `_csrf` field or the X-CSRF-Token header; or an API access token in Authorization (no
 *   browser sends one by itself, so it carries no ambient authority);
 * - 'same-origin': the anonymous forms of pages that are cached and shared (subscribe, theme,
 *   asking for a sign-in link) and the links whose URL token is the capability (confirm,
 *   preferences, the sign-in link): a valid token, or a request that Sec-Fetch-Site / Origin
 *   say comes from this site (subscriptions.guards.ts crossSite);
 * - 'none': the RFC 8058 one-click unsubscribe (mail providers post it from their servers) and
 *   the bounce hook (a bearer token).
 */
import { Tokens } from '@fastify/csrf';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Refusal } from './refusal.js';
import { crossSite } from './subscriptions.guards.js';
import { html, type Html } from './views/html.js';
import { viewerOf } from './viewer.js';

export type CsrfPolicy = 'token' | 'same-origin' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** what the CSRF guard asks of a state-changing request to this route (default 'token') */
    csrf?: CsrfPolicy;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The form field and header a token travels in. */
export const CSRF_FIELD = '_csrf';
const CSRF_HEADER = 'x-csrf-token';

export const CSRF_REFUSED =
  'This form could not be accepted: it carries no valid CSRF token (the page may be old, you may have signed in or out since, or it came from another site). Go back, reload the page and send it again.';

export interface CsrfOptions {
  /** the site's key (32 bytes or more): tokens are signed with it */
  key: Buffer;
  publicUrl: string;
  /** the request is signed in by a valid API access token (no browser sends one by itself) */
  bearer?: (req: FastifyRequest) => boolean;
}

/** The token maker and the cookie, as the guard and the field share them. */
export interface Csrf {
  /** A token for this request's browser and session; sets the secret cookie when there is none. */
  token(req: FastifyRequest, reply: FastifyReply): string;
}

declare module 'fastify' {
  interface FastifyInstance {
    csrf: Csrf;
  }
}

/** Registers the guard (a preHandler, after the body is parsed) on every route of `app`. */
export function useCsrf(app: FastifyInstance, o: CsrfOptions): void {
  const tokens = new Tokens({ userInfo: true, hmacKey: o.key });
  const secure = o.publicUrl.startsWith('https:');
  const cookie = secure ? '__Host-paperboy-csrf' : 'paperboy-csrf';
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: 400 * 86_400 };
  // the session's hash (64 hex digits), or a word no hash can be for nobody (@fastify/csrf refuses an empty one)
  const bindTo = (req: FastifyRequest) => viewerOf(req)?.sessionHash ?? 'nobody';
  const secretOf = (req: FastifyRequest) => {
    const v = req.cookies?.[cookie];
    return typeof v === 'string' && v.length >= 18 && v.length <= 64 ? v : null;
  };

  app.decorate('csrf', {
    token(req, reply) {
      let secret = secretOf(req);
      if (secret === null) {
        secret = tokens.secretSync();
        void reply.setCookie(cookie, secret, cookieOptions);
        // later tokens of this same request use this secret too
        req.cookies[cookie] = secret;
      }
      // a page holding a token is this browser's: never stored by a shared cache
      void reply.header('cache-control', 'no-store');
      return tokens.create(secret, bindTo(req));
    },
  } satisfies Csrf);

  app.addHook('preHandler', async (req) => {
    if (!UNSAFE.has(req.method) || req.routeOptions.url === undefined) return;
    const policy = req.routeOptions.config.csrf ?? 'token';
    if (policy === 'none') return;
    const secret = secretOf(req);
    const sent = tokenIn(req);
    if (secret && sent && tokens.verify(secret, sent, bindTo(req))) return;
    if (policy === 'same-origin' && !crossSite(req, o.publicUrl)) return;
    if (policy === 'token' && o.bearer?.(req)) return;
    throw new Refusal(403, CSRF_REFUSED);
  });
}

function tokenIn(req: FastifyRequest): string | null {
  const body = req.body as Record<string, unknown> | undefined;
  const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  if (typeof field === 'string' && field.length <= 200) return field;
  const header = req.headers[CSRF_HEADER];
  return typeof header === 'string' && header.length <= 200 ? header : null;
}

/** The hidden field a form carries its token in: `${csrfField(req, reply)}` inside every POST form. */
export function csrfField(req: FastifyRequest, reply: FastifyReply): Html {
  return csrfInput(req.server.csrf.token(req, reply));
}

/** The hidden field for a token made already. */
export function csrfInput(token: string): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

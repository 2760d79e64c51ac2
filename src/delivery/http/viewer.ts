/**
 * Who is asking (issue 13, docs/decisions/027): the session cookie read once per request, the
 * Viewer every route can ask for (`viewerOf`), and the guards `requireViewer` and `requireRole`.
 *
 * The cookie holds a random secret (only its hash is in the database): HttpOnly, SameSite=Lax,
 * Path=/, and on an https site Secure with the __Host- prefix (no other host or path can set
 * it). A cookie that names no live session is as good as none.
 */
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { accountPaths } from '../../core/account-links.js';
import { ROLES, secretHash, type Role } from '../../core/accounts.js';
import type { Account } from '../../ports/accounts.js';
import type { AccountService } from '../../services/account.service.js';
import { Refusal } from './refusal.js';

/** The signed-in reader behind a request. */
export interface Viewer {
  accountId: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
  /** the hash of the session's secret: what CSRF tokens are bound to */
  sessionHash: string;
  /** how the request said who it is: a session cookie, or an API access token (Authorization: Bearer) */
  via: 'session' | 'token';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** set by the viewer hook: null when nobody is signed in */
    viewer: Viewer | null;
  }
}

/** The signed-in reader behind this request, or null. */
export function viewerOf(req: FastifyRequest): Viewer | null {
  return req.viewer ?? null;
}

/** The session cookie's name: with the __Host- prefix on https sites. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-paperboy-session' : 'paperboy-session';
}

/** The cookie of a session that lasts `maxAgeMs` from now (the browser forgets it then, as the database does). */
export function sessionCookie(secret: string, maxAgeMs: number, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor(maxAgeMs / 1000));
  return `${sessionCookieName(secure)}=${secret}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function clearSessionCookie(secure: boolean): string {
  return `${sessionCookieName(secure)}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The session cookie's secret on this request, if it carries one. */
export function sessionSecretOf(req: FastifyRequest, secure: boolean): string | null {
  const v = req.cookies?.[sessionCookieName(secure)];
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Resolves `request.viewer` for every request that carries a session cookie or an API access
 * token (`Authorization: Bearer pb_…`; one lookup by key), static files aside. Registered before the routes, after @fastify/cookie.
 */
export function useViewer(app: FastifyInstance, service: AccountService | null, secure: boolean): void {
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (req) => {
    req.viewer = null;
    if (!service || req.url.startsWith('/static/')) return;
    const viewer = (a: Account, sessionHash: string, via: Viewer['via']): Viewer => ({ accountId: a.id, email: a.email, displayName: a.displayName, role: a.role, createdAt: a.createdAt, sessionHash, via });
    // a request that names an access token is that token's, whatever cookie it carries
    const bearer = /^Bearer +(pb_\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      const account = await service.viewerByAccessToken(bearer);
      req.viewer = account && viewer(account, `token:${secretHash(bearer)}`, 'token');
      return;
    }
    const secret = sessionSecretOf(req, secure);
    if (!secret) return;
    const session = await service.session(secret);
    if (session) req.viewer = viewer(session.account, session.hash, 'session');
  });
}

/**
 * A route guard (preHandler): nobody signed in → a page asking to sign in (401) for a browser,
 * or a redirect to the sign-in page for a plain GET.
 */
export const requireViewer: preHandlerAsyncHookHandler = async function (req, reply) {
  if (viewerOf(req)) return;
  await refuse(req, reply, 401);
};

/**
 * A route guard for the account's own pages (profile, tokens, delete): signed in by a session,
 * not by an API access token, so that a leaked token can't make more tokens or delete the account.
 */
export const requireSession: preHandlerAsyncHookHandler = async function (req, reply) {
  const v = viewerOf(req);
  if (!v) return refuse(req, reply, 401);
  if (v.via !== 'session') return refuse(req, reply, 403, 'this needs a signed-in browser, not an API access token');
};

/**
 * A route guard for the moderators' and admins' pages: a signed-in browser (not an API access
 * token, as requireSession) whose account holds `role` or a higher one (reader < moderator < admin).
 */
export function requireRole(role: Role): preHandlerAsyncHookHandler {
  const needed = ROLES.indexOf(role);
  return async function (req, reply) {
    const v = viewerOf(req);
    if (!v) return refuse(req, reply, 401);
    if (v.via !== 'session') return refuse(req, reply, 403, 'this needs a signed-in browser, not an API access token');
    if (ROLES.indexOf(v.role) < needed) return refuse(req, reply, 403, `this needs the ${role} role`);
  };
}

async function refuse(req: FastifyRequest, reply: FastifyReply, status: 401 | 403, why?: string): Promise<void> {
  reply.header('cache-control', 'no-store');
  if (status === 401 && req.method === 'GET') {
    await reply.redirect(accountPaths.signIn(), 303);
    return;
  }
  const message = status === 401 ? 'You need to sign in first.' : `You may not do this: ${why ?? 'your role does not allow it'}.`;
  throw new Refusal(status, message);
}

/**
 * Checks the subscription routes make before they act (docs/decisions/019): is a POST from a
 * page of this site, is the bounce hook's bearer token the configured one, and the policy the
 * digest preview is shown under.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Whether a state-changing request comes from another site's page. Browsers that send
 * Sec-Fetch-Site are believed (same-origin, or none: the reader's own action); others are
 * judged by Origin, which must be the site's (PUBLIC_URL, or the host asked for). A request with
 * neither comes from no browser, so carries no reader's ambient authority to abuse; the token in
 * the URL is the capability in any case, and this is defence in depth. Origin "null" (sandboxed
 * frames, but also a POST from a no-referrer page) is refused only where Sec-Fetch-Site is absent.
 */
export function crossSite(req: FastifyRequest, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return origin !== new URL(publicUrl).origin && origin !== `${req.protocol}://${req.host}`;
}

/** Whether an Authorization header is `Bearer <expected>`, compared in constant time (over hashes, so lengths leak nothing). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(expected));
}

/**
 * The digest preview is the email's own HTML: inline styles and a <style> block, images over
 * https, links; never a script, a form, a frame or a plugin, and no framing by other sites.
 */
export function previewPolicy(): string {
  return "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

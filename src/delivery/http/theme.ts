/**
 * The colour theme a reader chose: a cookie set by POST /theme (a plain form, so it works
 * without script), read on every page to render data-theme. No cookie means "auto": the
 * browser's prefers-color-scheme decides.
 */
import type { FastifyRequest } from 'fastify';
import { THEMES, type Theme } from './views/layout.js';

const COOKIE = 'theme';
const YEAR_S = 365 * 86_400;

export function isTheme(s: unknown): s is Theme {
  return typeof s === 'string' && (THEMES as readonly string[]).includes(s);
}

/** The theme from the request's cookie; 'auto' when there is none or it is not one we know. */
export function themeOf(req: FastifyRequest): Theme {
  const header = req.headers.cookie;
  if (!header || !header.includes(`${COOKIE}=`)) return 'auto';
  for (const part of header.split(';')) {
    const [name, value] = part.split('=', 2).map((s) => s.trim());
    if (name === COOKIE && isTheme(value)) return value;
  }
  return 'auto';
}

/** The Set-Cookie value for a choice; 'auto' removes the cookie. */
export function themeCookie(theme: Theme, secure: boolean): string {
  const attrs = `Path=/; SameSite=Lax; HttpOnly${secure ? '; Secure' : ''}`;
  return theme === 'auto' ? `${COOKIE}=; Max-Age=0; ${attrs}` : `${COOKIE}=${theme}; Max-Age=${YEAR_S}; ${attrs}`;
}

/**
 * A path on this site to go back to: anything else (another host, //evil, a backslash trick) is
 * '/', and so is one with a character a Location header can't carry (control characters, or
 * anything past ASCII: a path the site made is percent-encoded).
 */
export function localPath(back: unknown): string {
  if (typeof back !== 'string' || !back.startsWith('/') || back.startsWith('//') || !/^[\x21-\x7e]*$/.test(back) || back.includes('\\')) return '/';
  return back.length > 2000 ? '/' : back;
}

/**
 * Signing in as the account suites do it, through the pages: ask for a link, read it from the
 * SMTP peer, open it and press the button, in a CookieBrowser that keeps the session cookie.
 */
import { expect } from 'vitest';
import { CookieBrowser } from './cookie-browser.js';
import { linkIn, type InboxSite } from './subscription-site.js';

/** The session cookie's name on the suites' https PUBLIC_URL. */
export const SESSION = '__Host-paperboy-session';

/** The site-local path of the newest sign-in link mailed to `address`. */
export function lastSignInLink(site: InboxSite, address: string): string {
  const mail = site.peer.received.filter((m) => m.to.includes(address)).at(-1);
  if (!mail) throw new Error(`no mail to ${address}`);
  return linkIn(mail.parsed.text!, '/auth/signin/');
}

/** A browser signed in as `email` through the emailed link. */
export async function signedIn(site: InboxSite, email: string): Promise<CookieBrowser> {
  site.clock.now = new Date(site.clock.now.getTime() + 3_600_001); // a fresh per-address budget
  const b = new CookieBrowser(site.app);
  expect((await b.form('/auth/signin', { email })).statusCode).toBe(303);
  await b.get(lastSignInLink(site, email));
  const res = await b.form(lastSignInLink(site, email), { _csrf: b.csrf() });
  expect(res.statusCode).toBe(303);
  expect(b.cookie(SESSION)).toBeDefined();
  return b;
}

/**
 * The sign-in email (issue 13): the single-use link to a page whose button signs in (a GET never
 * does: mail scanners follow links). It goes to the one address it is about; the link is
 * absolute, on PUBLIC_URL; header values are checked for CR/LF by the core's assertHeadersSafe.
 */
import { randomBytes } from 'node:crypto';
import { accountPaths } from '../core/account-links.js';
import { assertHeadersSafe, escapeHtml as e } from '../core/email-format.js';
import { linkOn } from '../core/subscription-links.js';
import type { OutgoingEmail } from '../ports/mailer.js';

export type SignInMail = (to: string, secret: string, now: Date, expiresAt: Date) => OutgoingEmail;

export function signInMail(o: { publicUrl: string; from: string }): SignInMail {
  const host = new URL(o.publicUrl).hostname.toLowerCase();
  return (to, secret, now, expiresAt) => {
    const url = linkOn(o.publicUrl, accountPaths.link(secret));
    const minutes = Math.max(1, Math.round((expiresAt.getTime() - now.getTime()) / 60_000));
    const first = 'Someone, probably you, asked to sign in to Paperboy with this address. Open this link and press “Sign in”:';
    const second = `The link works once, for about ${minutes} minutes (until ${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC).`;
    const last = 'If this was not you, ignore this email: nobody can sign in without the link.';
    const email = {
      from: o.from,
      to,
      subject: 'Your Paperboy sign-in link',
      messageId: `<signin.${randomBytes(12).toString('hex')}@${host}>`,
      text: `${first}\n${url}\n\n${second}\n\n${last}\n`,
      html:
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>Sign in to Paperboy</title></head>` +
        `<body style="margin:0;padding:24px 8px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.55;">` +
        `<p>${e(first)}</p><p><a href="${e(url)}">Sign in to Paperboy</a></p><p>${e(second)}</p><p style="font-size:13px;">${e(last)}</p></body></html>\n`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    };
    assertHeadersSafe(email);
    return email;
  };
}

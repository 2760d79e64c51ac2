/**
 * The two emails the subscribe form sends (issue 11): the confirmation (double opt-in, composed
 * by core/digest.ts's composeConfirmation: a link to a page with a Confirm button) and, to an
 * address already subscribed, a note with its preferences link instead, so that the form never
 * tells a visitor which addresses are known. Each goes to the one address it is about; links are
 * absolute, on PUBLIC_URL; header values are checked for CR/LF by the core's assertHeadersSafe.
 */
import { randomBytes } from 'node:crypto';
import { composeConfirmation } from '../core/digest.js';
import { assertHeadersSafe, escapeHtml as e } from '../core/email-format.js';
import { linkOn, subscriptionPaths } from '../core/subscription-links.js';
import { tokenExpiry } from '../core/tokens.js';
import type { OutgoingEmail } from '../ports/mailer.js';
import type { Subscription } from '../ports/subscriptions.js';

export interface SubscriptionMails {
  confirmation(s: Subscription, confirmToken: string, now: Date): OutgoingEmail;
  alreadySubscribed(s: Subscription, manageToken: string): OutgoingEmail;
}

/** What the subscription is, in words: "the daily trending papers", "weekly alerts on “diffusion”". */
export function describeSubscription(s: Pick<Subscription, 'frequency' | 'topics'>): string {
  if (s.topics.length === 0) return `the ${s.frequency} trending papers`;
  return `${s.frequency} alerts on ${s.topics.map((t) => `“${t}”`).join(', ')}`;
}

export function subscriptionMails(o: { publicUrl: string; from: string }): SubscriptionMails {
  const host = new URL(o.publicUrl).hostname.toLowerCase();
  return {
    confirmation(s, token, now) {
      const composed = composeConfirmation({
        subscription: s,
        confirmUrl: linkOn(o.publicUrl, subscriptionPaths.confirm(token)),
        siteUrl: o.publicUrl,
        requestedAt: now.toISOString(),
        expiresAt: tokenExpiry('confirm', now),
      });
      return { ...composed, from: o.from, to: s.email };
    },
    alreadySubscribed(s, token) {
      const url = linkOn(o.publicUrl, subscriptionPaths.manage(token));
      const first = `Someone, probably you, asked to subscribe this address to ${describeSubscription(s)}. You already receive them${s.status === 'paused' ? ' (paused for now)' : ''}.`;
      const second = 'To change how often, the topics, pause or unsubscribe, open your preferences page:';
      const last = 'If this was not you, ignore this email: nothing has changed.';
      const email = {
        from: o.from,
        to: s.email,
        subject: 'You are already subscribed to Paperboy',
        messageId: `<already.${randomBytes(12).toString('hex')}@${host}>`,
        text: `${first}\n\n${second}\n${url}\n\n${last}\n`,
        html:
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>You are already subscribed</title></head>` +
          `<body style="margin:0;padding:24px 8px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.55;">` +
          `<p>${e(first)}</p><p>${e(second)}</p><p><a href="${e(url)}">My preferences</a></p><p style="font-size:13px;">${e(last)}</p></body></html>\n`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      };
      assertHeadersSafe(email);
      return email;
    },
  };
}

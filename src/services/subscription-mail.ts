/**
 * The two emails the subscribe form sends (issue 11): the confirmation (double opt-in: a link to
 * a page with a Confirm button) and, to an address already subscribed, a note with its
 * preferences link instead, so that the form never tells a visitor which addresses are known.
 * Each is addressed to the one address it is about; links are absolute, on PUBLIC_URL.
 */
import { randomBytes } from 'node:crypto';
import { linkOn, subscriptionPaths } from '../core/subscription-links.js';
import { charTable, replaceChars } from '../core/text.js';
import type { OutgoingEmail } from '../ports/mailer.js';
import type { Subscription } from '../ports/subscriptions.js';

export interface SubscriptionMails {
  confirmation(s: Subscription, confirmToken: string): OutgoingEmail;
  alreadySubscribed(s: Subscription, manageToken: string): OutgoingEmail;
}

const ENTITIES = charTable({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });
const esc = (s: string) => replaceChars(s, ENTITIES);

/** What the subscription is, in words: "the daily trending papers", "weekly alerts on “diffusion”". */
export function describeSubscription(s: Pick<Subscription, 'frequency' | 'topics'>): string {
  if (s.topics.length === 0) return `the ${s.frequency} trending papers`;
  return `${s.frequency} alerts on ${s.topics.map((t) => `“${t}”`).join(', ')}`;
}

export function subscriptionMails(o: { publicUrl: string; from: string }): SubscriptionMails {
  const host = new URL(o.publicUrl).hostname;
  const messageId = () => `<${randomBytes(12).toString('hex')}@${host}>`;
  const mail = (to: string, subject: string, lines: { text: string; link?: { label: string; url: string } }[]): OutgoingEmail => ({
    from: o.from,
    to,
    subject,
    messageId: messageId(),
    text: lines.map((l) => (l.link ? `${l.link.label}:\n${l.link.url}` : l.text)).join('\n\n') + '\n',
    html:
      `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36em">` +
      lines.map((l) => (l.link ? `<p><a href="${esc(l.link.url)}" style="font-weight:bold">${esc(l.link.label)}</a></p>` : `<p>${esc(l.text)}</p>`)).join('') +
      `</body></html>`,
  });
  return {
    confirmation(s, token) {
      const url = linkOn(o.publicUrl, subscriptionPaths.confirm(token));
      return mail(s.email, 'Confirm your Paperboy subscription', [
        { text: `Someone, probably you, asked to receive ${describeSubscription(s)} from Paperboy at this address.` },
        { text: 'To start receiving them, open this link and press Confirm (within 7 days):' },
        { text: '', link: { label: 'Confirm my subscription', url } },
        { text: 'If you did not ask for this, ignore this email: nothing will be sent, and the request is deleted in a week.' },
      ]);
    },
    alreadySubscribed(s, token) {
      const url = linkOn(o.publicUrl, subscriptionPaths.manage(token));
      return mail(s.email, 'You are already subscribed to Paperboy', [
        { text: `Someone, probably you, asked to subscribe this address to ${describeSubscription(s)}. You already receive them${s.status === 'paused' ? ' (paused for now)' : ''}.` },
        { text: 'Change how often, the topics, pause or unsubscribe on your preferences page:' },
        { text: '', link: { label: 'My preferences', url } },
        { text: 'If you did not ask for this, you can ignore this email; nothing has changed.' },
      ]);
    },
  };
}

/**
 * DigestMail on core/digest.ts: the Message-ID from (subscription, period) and the email
 * composed from the papers, with signed preferences, preview and one-click unsubscribe links
 * (core/tokens.ts, the site's link key: the same one the web pages check). The links are signed
 * at send time, so a resend carries fresh ones; the Message-ID and the papers stay the same.
 */
import { composeDigest, digestMessageId, type DigestLinks } from '../core/digest.js';
import { unsubscribeMailto } from '../core/subscription-links.js';
import { signToken, tokenExpiry, type TokenPurpose } from '../core/tokens.js';
import type { DigestMail, DigestToRender } from './digest-mail.js';

export interface DigestMailOptions {
  /** PUBLIC_URL: links are made on it, its host names the Message-ID */
  publicUrl: string;
  /** MAIL_FROM */
  from: string;
  /** the site's link key (PAPERBOY_SECRET, else the database's) */
  key: () => Promise<Buffer>;
  now: () => Date;
}

export function composedDigestMail(o: DigestMailOptions): DigestMail {
  const host = new URL(o.publicUrl).hostname;
  const base = o.publicUrl.replace(/\/+$/, '');
  const links = async (subscriptionId: string): Promise<DigestLinks> => {
    const key = await o.key();
    const now = o.now();
    const token = (purpose: TokenPurpose) => signToken(key, { sub: subscriptionId, purpose, exp: tokenExpiry(purpose, now) });
    const manage = token('manage');
    const unsubscribe = token('unsubscribe');
    return {
      manage: `${base}/subscriptions/${manage}`,
      unsubscribe: `${base}/unsubscribe/${unsubscribe}`,
      unsubscribeMailto: unsubscribeMailto(o.from, unsubscribe),
      preview: `${base}/subscriptions/${manage}/preview`,
    };
  };
  return {
    messageId: (subscriptionId, period) => digestMessageId(subscriptionId, period, host),
    async render(d: DigestToRender) {
      const composed = composeDigest({
        subscription: d.subscription,
        period: d.period,
        papers: d.papers.map(({ item, paper }) => ({ paper, ...(item.rank !== undefined ? { rank: item.rank } : {}), ...(item.topic !== undefined ? { topic: item.topic } : {}) })),
        siteUrl: o.publicUrl,
        links: await links(d.subscription.id),
      });
      // the reserved Message-ID is the one sent: a resend must be recognisably the same message
      return { ...composed, messageId: d.messageId, from: o.from, to: d.subscription.email };
    },
  };
}

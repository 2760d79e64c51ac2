/**
 * "Preview my digest" (issue 11): the email a subscription would get for the newest period with
 * papers, composed by core/digest.ts's composeDigest, the email's own function, with the
 * reader's links. The papers are DigestService.pick's, the queue's own picker (the period's top
 * trending, or each topic's matches), less those already sent to the address. Reads only: a
 * preview reserves nothing. Null when there is nothing to send (no email is ever empty).
 */
import { composeDigest } from '../core/digest.js';
import { parseDigestPeriod } from '../core/digest-schedule.js';
import { periodOfDay } from '../core/periods.js';
import { linkOn, subscriptionPaths, unsubscribeMailto } from '../core/subscription-links.js';
import type { DigestOutbox } from '../ports/digest-outbox.js';
import type { Subscription } from '../ports/subscriptions.js';
import type { LinkTokens } from './link-tokens.js';
import type { DigestService } from './digest.service.js';
import type { ListingService } from './listing.service.js';

export interface DigestPreviewDeps {
  listing: Pick<ListingService, 'latestDay'>;
  digests: Pick<DigestService, 'pick'>;
  outbox: Pick<DigestOutbox, 'alreadySent'>;
  tokens: LinkTokens;
  publicUrl: string;
  /** MAIL_FROM: its address is the List-Unsubscribe mailto */
  from: string;
  /** papers in a trending digest, and at most per topic (PAPERBOY_DIGEST_SIZE) */
  size: number;
}

export function digestPreview(d: DigestPreviewDeps) {
  return async (s: Subscription, manageToken: string): Promise<{ subject: string; html: string } | null> => {
    const day = await d.listing.latestDay();
    if (!day) return null;
    const period = parseDigestPeriod(periodOfDay(s.frequency === 'daily' ? 'day' : 'week', day).key);
    const picked = await d.digests.pick(s, period, d.size);
    const sent = await d.outbox.alreadySent(s.email, picked.map((e) => e.paper.id));
    const papers = picked.filter((e) => !sent.has(e.paper.id));
    if (papers.length === 0) return null;
    const unsubscribe = await d.tokens.issue(s.id, 'unsubscribe');
    const email = composeDigest({
      subscription: s,
      period: period.key,
      papers,
      siteUrl: d.publicUrl,
      links: {
        manage: linkOn(d.publicUrl, subscriptionPaths.manage(manageToken)),
        unsubscribe: linkOn(d.publicUrl, subscriptionPaths.unsubscribe(unsubscribe)),
        unsubscribeMailto: unsubscribeMailto(d.from, unsubscribe),
        preview: linkOn(d.publicUrl, subscriptionPaths.preview(manageToken)),
      },
    });
    return { subject: email.subject, html: email.html };
  };
}

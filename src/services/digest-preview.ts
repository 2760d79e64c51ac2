/**
 * "Preview my digest" (issue 11): the email a subscription would get for the newest period with
 * papers, composed by core/digest.ts's composeDigest, the email's own function, with the
 * reader's links. The papers are picked as the sender picks them: the period's top trending
 * (the listing service: the site's ranking) or, for an alert, the period's papers matching each
 * topic (the search service), less those already sent to the address. Reads only: a preview
 * reserves nothing. Null when there is nothing to send (no email is ever empty).
 */
import { composeDigest, type DigestEntry } from '../core/digest.js';
import { periodOfDay, periodRange } from '../core/periods.js';
import { linkOn, subscriptionPaths } from '../core/subscription-links.js';
import type { DigestOutbox } from '../ports/digest-outbox.js';
import type { Subscription } from '../ports/subscriptions.js';
import type { LinkTokens } from './link-tokens.js';
import type { ListingService } from './listing.service.js';
import type { SearchService } from './search.service.js';

export interface DigestPreviewDeps {
  listing: Pick<ListingService, 'latestDay' | 'listing'>;
  search: Pick<SearchService, 'search'>;
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
    const range = periodRange(periodOfDay(s.frequency === 'daily' ? 'day' : 'week', day));
    const picked = s.topics.length === 0 ? await trending(d, range.period) : await matching(d, s.topics, range.from, range.to);
    const sent = await d.outbox.alreadySent(s.email, picked.map((e) => e.paper.id));
    const papers = picked.filter((e) => !sent.has(e.paper.id));
    if (papers.length === 0) return null;
    const unsubscribe = await d.tokens.issue(s.id, 'unsubscribe');
    const mailbox = /<([^<>]+)>\s*$/.exec(d.from)?.[1] ?? d.from.trim();
    const email = composeDigest({
      subscription: s,
      period: range.period.key,
      papers,
      siteUrl: d.publicUrl,
      links: {
        manage: linkOn(d.publicUrl, subscriptionPaths.manage(manageToken)),
        unsubscribe: linkOn(d.publicUrl, subscriptionPaths.unsubscribe(unsubscribe)),
        unsubscribeMailto: `mailto:${mailbox}?subject=unsubscribe`,
        preview: linkOn(d.publicUrl, subscriptionPaths.preview(manageToken)),
      },
    });
    return { subject: email.subject, html: email.html };
  };
}

async function trending(d: DigestPreviewDeps, period: Parameters<ListingService['listing']>[0]): Promise<DigestEntry[]> {
  const l = await d.listing.listing(period, { order: 'trending', page: 1, pageSize: d.size });
  return l.papers.map((paper, i) => ({ paper, rank: i + 1 }));
}

/** Each topic's papers of the period, best first, each paper once (under the first topic that found it). */
async function matching(d: DigestPreviewDeps, topics: readonly string[], from: string, to: string): Promise<DigestEntry[]> {
  const seen = new Set<string>();
  const out: DigestEntry[] = [];
  for (const topic of topics) {
    // the date filter first: a topic ending in an open quote would otherwise swallow it
    const r = await d.search.search({ q: `date:${from}..${to} ${topic}`, sort: 'relevance', limit: d.size });
    for (const h of r.hits)
      if (!seen.has(h.paper.id)) {
        seen.add(h.paper.id);
        out.push({ paper: h.paper, topic });
      }
  }
  return out;
}

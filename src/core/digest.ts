/**
 * Composing a digest (issue 11): one pure function from a subscription, a period and its papers
 * to the whole message: subject, plain text, HTML, Message-ID and the list headers. The email,
 * the "preview my digest" page and `digest send --dry-run` all call it, so what a reader
 * previews is what is sent. The HTML part is in digest-html.ts, the text part in digest-text.ts,
 * the confirmation email in confirmation-email.ts.
 */
import { createHash } from 'node:crypto';
import { isNormalisedEmail } from './email-address.js';
import { assertHeadersSafe, assertLink, emailDay, emailSpan, papersCount, plainLine, plainParagraphs, plainTopic, shorten } from './email-format.js';
import type { Paper } from './paper.js';
import { parsePeriod } from './periods.js';
import { digestHtml } from './digest-html.js';
import { digestText } from './digest-text.js';

export { composeConfirmation, type ConfirmationInput } from './confirmation-email.js';

export interface DigestSubscription {
  id: string;
  email: string;
  frequency: 'daily' | 'weekly';
  /** empty for the trending digest; an alert's search queries otherwise */
  topics: readonly string[];
}

/** One paper and why it is in the digest: its trending rank, or the topic that matched. */
export interface DigestEntry {
  paper: Paper;
  rank?: number;
  topic?: string;
}

export interface DigestLinks {
  /** the preferences page (GET /subscriptions/:token) */
  manage: string;
  /** one-click unsubscribe (https; RFC 8058 POST, GET shows a confirm page) */
  unsubscribe: string;
  /** mailto: for List-Unsubscribe */
  unsubscribeMailto: string;
  /** "view in your browser" (GET /subscriptions/:token/preview) */
  preview?: string;
}

export interface DigestInput {
  subscription: DigestSubscription;
  /** YYYY-MM-DD (daily) or YYYY-Www (weekly) */
  period: string;
  papers: readonly DigestEntry[];
  /** PUBLIC_URL: paper links are made on it, and its host names the Message-ID and List-Id */
  siteUrl: string;
  links: DigestLinks;
  /** List-Id; by default `Paperboy trending papers <trending.host>` (or alerts) */
  listId?: string;
  siteName?: string;
}

/** A message ready to send, less its From and To (the mailer port's OutgoingEmail adds them). */
export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  listId?: string;
  listUnsubscribe?: { url: string; mail: string };
  headers: Record<string, string>;
}

/** A paper as both parts show it: plain title, link, why it is there, abstract paragraphs. */
export interface DigestView {
  title: string;
  url: string;
  authors: string;
  why: string;
  abstract: string[];
}

export interface DigestModel {
  siteName: string;
  siteUrl: string;
  heading: string;
  intro: string;
  papers: DigestView[];
  links: DigestLinks;
  email: string;
}

/** How much of an abstract an email carries: about a screen; the paper page has the rest. */
export const EMAIL_ABSTRACT_CHARS = 1200;

export function composeDigest(input: DigestInput): ComposedEmail {
  const { subscription: sub, period } = input;
  if (input.papers.length === 0) throw new RangeError('a digest needs at least one paper: nothing to send means no email');
  if (!isNormalisedEmail(sub.email)) throw new RangeError(`the subscription's address is not a normalised address: ${JSON.stringify(sub.email.slice(0, 300))}`);
  const site = new URL(assertLink('siteUrl', input.siteUrl));
  const links = checkedLinks(input.links);
  const dates = periodDates(period);
  const isAlert = sub.topics.length > 0;
  const siteName = plainLine(input.siteName, 'Paperboy');
  const heading = isAlert ? `New papers on ${topicsPhrase(sub.topics)}` : 'Trending papers';
  const model: DigestModel = {
    siteName,
    siteUrl: input.siteUrl,
    heading: `${heading} — ${dates}`,
    intro: isAlert
      ? `${papersCount(input.papers.length)} matching your ${sub.topics.length === 1 ? 'topic' : 'topics'}, ${dates}.`
      : `The ${papersCount(input.papers.length)} readers followed most, ${dates}.`,
    papers: input.papers.map((e) => paperView(e, input.siteUrl, period)),
    links,
    email: sub.email,
  };
  const messageId = digestMessageId(sub.id, period, site.hostname);
  const listId = input.listId ?? `${siteName} ${isAlert ? 'alerts' : 'trending papers'} <${isAlert ? 'alerts' : 'trending'}.${site.hostname}>`;
  const email: ComposedEmail = {
    subject: `${shorten(heading, 110)} — ${dates} · ${papersCount(input.papers.length)}`,
    text: digestText(model),
    html: digestHtml(model),
    messageId,
    listId,
    listUnsubscribe: { url: links.unsubscribe, mail: links.unsubscribeMailto },
    // bulk: auto-responders (out of office) do not answer it
    headers: { Precedence: 'bulk' },
  };
  assertHeadersSafe(email);
  return email;
}

/**
 * The Message-ID of (subscription, period): the same on every call, so that a resend after a
 * crash is recognisably the same message (and deduplicated by clients that do). The id is
 * hashed so that the header does not carry it.
 */
export function digestMessageId(subscriptionId: string, period: string, host: string): string {
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(host)) throw new RangeError(`not a host name for a Message-ID: ${JSON.stringify(host.slice(0, 300))}`);
  const h = createHash('sha256').update(`${subscriptionId}\n${period}`).digest('base64url').slice(0, 22);
  return `<digest.${period.replace(/[^0-9A-Za-z-]/g, '')}.${h}@${host.toLowerCase()}>`;
}

/** "21 Aug 2026" for a day, "17–23 Aug 2026" for an ISO week; throws on anything else. */
export function periodDates(period: string): string {
  const range = parsePeriod(period.includes('W') ? 'week' : 'day', period);
  if (range === null) throw new RangeError(`not a digest period (YYYY-MM-DD or YYYY-Www): ${JSON.stringify(period.slice(0, 40))}`);
  return emailSpan(range.from, range.to);
}

function topicsPhrase(topics: readonly string[]): string {
  const quoted = topics.slice(0, 2).map((t) => `“${plainTopic(t, 40)}”`);
  if (topics.length <= 2) return quoted.join(' and ');
  return `${quoted.join(', ')} and ${topics.length - 2} more`;
}

function paperView(e: DigestEntry, siteUrl: string, period: string): DigestView {
  const p = e.paper;
  const authors = p.authors ?? [];
  const why =
    e.topic !== undefined
      ? `Matches your topic “${plainTopic(e.topic, 80)}”`
      : e.rank !== undefined
        ? `#${e.rank} trending ${period.includes('W') ? 'this week' : `on ${emailDay(period)}`}`
        : 'New this period';
  return {
    title: plainLine(p.title, p.id),
    url: `${siteUrl.replace(/\/+$/, '')}/papers/${encodeURI(p.id)}`,
    authors: authors.length === 0 ? '' : `${authors.slice(0, 4).map((a) => plainLine(a)).join(', ')}${authors.length > 4 ? ' et al.' : ''}`,
    why,
    abstract: plainParagraphs(p.abstract, EMAIL_ABSTRACT_CHARS),
  };
}

function checkedLinks(l: DigestLinks): DigestLinks {
  if (!l.unsubscribeMailto.startsWith('mailto:')) throw new RangeError('links.unsubscribeMailto must be a mailto: URL');
  if (!/^https?:/.test(l.unsubscribe)) throw new RangeError('links.unsubscribe must be an http(s) URL (RFC 8058 one-click)');
  return {
    manage: assertLink('links.manage', l.manage),
    unsubscribe: assertLink('links.unsubscribe', l.unsubscribe),
    unsubscribeMailto: assertLink('links.unsubscribeMailto', l.unsubscribeMailto),
    ...(l.preview !== undefined ? { preview: assertLink('links.preview', l.preview) } : {}),
  };
}

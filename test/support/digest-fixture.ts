/**
 * What the digest suites share: a week of papers (ISO week 2025-W10, 3 to 9 March 2025, five a
 * day, votes spread so that the week's top papers come from several days) whose titles hold
 * the topics the alerts ask for, confirmed subscriptions, and the digest parts wired as the
 * container wires them, on a store opened by a harness.
 */
import type { Paper } from '../../src/core/paper.js';
import { addDays } from '../../src/core/periods.js';
import type { Mailer } from '../../src/ports/mailer.js';
import type { Inbox, PaperWriter } from '../../src/ports/paper-store.js';
import type { Frequency, Subscription } from '../../src/ports/subscriptions.js';
import { composedDigestMail } from '../../src/services/digest-mail.compose.js';
import type { DigestMail } from '../../src/services/digest-mail.js';
import { DigestSender } from '../../src/services/digest-sender.js';
import { DigestService } from '../../src/services/digest.service.js';
import { ListingService } from '../../src/services/listing.service.js';
import { SearchService } from '../../src/services/search.service.js';
import { onDay, write } from './papers.js';
import type { SmtpPeer } from './smtp-peer.js';
import type { OpenedStore } from './store-harness.js';

export const WEEK = '2025-W10';
export const MONDAY = '2025-03-03';
export const DAYS = Array.from({ length: 7 }, (_, i) => addDays(MONDAY, i));
export const TOPICS = ['diffusion', 'retrieval', 'speculative decoding'];

/** Five papers a day: id 2503.0DDNN (day, number), titled after a topic, votes falling with n. */
export function weekPapers(): Paper[] {
  const papers: Paper[] = [];
  DAYS.forEach((day, d) => {
    for (let n = 0; n < 5; n++) {
      const id = `2503.${String(d + 1).padStart(2, '0')}${String(n + 1).padStart(3, '0')}`;
      const topic = TOPICS[(d + n) % TOPICS.length]!;
      // a vote count per paper: each day has strong and weak papers, so the week's top ten
      // mixes days and overlaps each day's own top
      const votes = ((d * 7 + n * 13) % 23) + (n === 0 ? 30 : 0);
      const p = onDay(id, day, votes);
      papers.push({
        ...p,
        listedOn: day,
        title: `Paper ${id} on ${topic}`,
        abstract: `We study ${topic} <b>&amp;</b> friends. Second sentence about ${topic}.`,
      });
    }
  });
  return papers;
}

export async function saveWeek(store: PaperWriter): Promise<Paper[]> {
  const papers = weekPapers();
  await store.transaction((tx) => tx.savePapers(papers.map(write), []));
  return papers;
}

let serial = 0;

/** A confirmed subscription (pending first, as the subscribe form makes it). */
export async function confirmed(inbox: Inbox, email: string, frequency: Frequency, topics: string[] = []): Promise<Subscription> {
  const now = '2025-03-01T00:00:00.000Z';
  const id = `sub${String(++serial).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`;
  const { subscription } = await inbox.requestSubscription({ id, email, frequency, topics, now });
  const c = await inbox.confirm(subscription.id, now);
  if (!c) throw new Error(`could not confirm ${email}`);
  return c;
}

/** One message as the SMTP peer accepted it, the fields the digest suites look at. */
export interface Arrival {
  to: string;
  messageId: string;
  subject: string;
  text: string;
  receivedAt: number;
}

export function arrivals(peer: SmtpPeer): Arrival[] {
  return peer.received.map((m) => ({
    to: m.to.join(','),
    messageId: m.parsed.messageId ?? '',
    subject: m.parsed.subject ?? '',
    text: m.parsed.text ?? '',
    receivedAt: m.receivedAt,
  }));
}

export const DIGEST_SITE = { publicUrl: 'https://papers.example.org/', from: 'Paperboy <digest@papers.example.org>' };

export interface DigestWiring {
  mail: DigestMail;
  digests: DigestService;
  /** on `mailer` (a sender needs one) */
  sender: DigestSender;
}

/**
 * The digest parts on a harness's store, wired as container-digest.ts wires them: the composed
 * digest mail with the database's link key, DigestService on the listing and search services,
 * DigestSender on `mailer` (none given: one that refuses, for suites that only queue or pick).
 */
export function digestWiring(
  opened: Pick<OpenedStore, 'store' | 'index' | 'inbox' | 'votes'>,
  o: { now?: () => Date; mailer?: Pick<Mailer, 'send'>; random?: () => number; publicUrl?: string; from?: string } = {},
): DigestWiring {
  const now = o.now ?? (() => new Date());
  const { inbox, store } = opened;
  const mail = composedDigestMail({ publicUrl: o.publicUrl ?? DIGEST_SITE.publicUrl, from: o.from ?? DIGEST_SITE.from, key: () => inbox.signingKey('links'), now });
  const digests = new DigestService({ subscriptions: inbox, outbox: inbox, papers: store, listing: new ListingService(store, opened.votes), search: new SearchService(opened.index, store), mail, now });
  const mailer = o.mailer ?? {
    send: () => Promise.reject(new Error('digestWiring: no mailer given to this suite')),
  };
  const sender = new DigestSender({ subscriptions: inbox, outbox: inbox, papers: store, mail, mailer, now, ...(o.random ? { random: o.random } : {}) });
  return { mail, digests, sender };
}

/**
 * Sending digests (issue 11, decision 018), step one: deciding. For each active subscription of
 * a period's frequency, the papers it gets: the period's top trending papers (ranked once per
 * period by the listing service, the site's own ranking) or, for an alert, the period's new
 * papers matching each topic (the search service, each distinct topic searched once per run).
 * The picks are reserved in the outbox in batches (services/digest-sender.ts sends them); the
 * store drops papers the address already had, and a (subscription, period) already reserved is
 * left alone, so a rerun reserves nothing. `preview` makes the same picks without reserving
 * (`digest send --dry-run`), and `pick` one subscription's (the "preview my digest" page).
 */
import type { DigestItem, DigestOutbox, DigestReservation } from '../ports/digest-outbox.js';
import type { Mailer } from '../ports/mailer.js';
import type { PaperReads } from '../ports/paper-reads.js';
import type { Subscription, Subscriptions } from '../ports/subscriptions.js';
import type { DigestEntry } from '../core/digest.js';
import type { DigestPeriod } from '../core/digest-schedule.js';
import type { Paper } from '../core/paper.js';
import type { ListingService } from './listing.service.js';
import type { SearchService } from './search.service.js';
import { renderMessage, type DigestMail } from './digest-mail.js';

/** What deciding reads: the ports, and the listing and search services (one ranking, one search). */
export interface DigestDeps {
  subscriptions: Pick<Subscriptions, 'activeSubscriptions'>;
  outbox: Pick<DigestOutbox, 'reserve' | 'alreadySent' | 'hasMessage'>;
  papers: Pick<PaperReads, 'getPapers'>;
  listing: Pick<ListingService, 'listing'>;
  search: Pick<SearchService, 'search'>;
  mail: Pick<DigestMail, 'messageId'>;
  now: () => Date;
}

export interface QueueOptions {
  /** papers in a trending digest, and at most per topic of an alert (PAPERBOY_DIGEST_SIZE) */
  size: number;
  /** subscriptions read and reserved per batch (keyset pages) */
  batch?: number;
  /** after each batch: subscriptions walked so far */
  onBatch?: (walked: number) => void;
}

export interface QueueReport {
  period: string;
  frequency: DigestPeriod['frequency'];
  /** papers the period has (0: nothing was walked) */
  papers: number;
  subscriptions: number;
  /** messages reserved by this run */
  queued: number;
}

/**
 * Per run: the period's trending picks (ranked once) and each distinct topic's matches (searched
 * once). Picks carry the papers the listing and the search returned, so that a preview composes
 * them with no second read; the queue keeps their ids.
 */
class Picker {
  private trending: DigestEntry[] | null = null;
  private readonly topics = new Map<string, Promise<Paper[]>>();

  constructor(
    private readonly deps: Pick<DigestDeps, 'listing' | 'search'>,
    readonly period: DigestPeriod,
    private readonly size: number,
  ) {}

  /** How many papers the period has, ranking it once (its top `size` kept for trending digests). */
  async rank(): Promise<number> {
    const l = await this.deps.listing.listing(this.period.period, { order: 'trending', page: 1, pageSize: this.size });
    this.trending = l.papers.map((paper, i) => ({ paper, rank: i + 1 }));
    return l.total;
  }

  /** A trending digest's top papers, or an alert's matches of each topic in the reader's order, each paper once (under the first topic that found it). */
  async entries(sub: Subscription): Promise<DigestEntry[]> {
    if (sub.topics.length === 0) {
      if (!this.trending) await this.rank();
      return this.trending!;
    }
    const entries: DigestEntry[] = [];
    const seen = new Set<string>();
    for (const topic of sub.topics)
      for (const paper of await this.matches(topic))
        if (!seen.has(paper.id)) {
          seen.add(paper.id);
          entries.push({ paper, topic });
        }
    return entries;
  }

  async items(sub: Subscription): Promise<DigestItem[]> {
    return (await this.entries(sub)).map(({ paper, rank, topic }) => ({ paperId: paper.id, ...(rank !== undefined ? { rank } : {}), ...(topic !== undefined ? { topic } : {}) }));
  }

  /**
   * New papers of the period matching a topic, best first. The date filter goes first: a topic
   * ending in an unclosed quote would otherwise swallow it, and filters narrow (the topic's own
   * date filters can only make the range smaller, never reach outside the period).
   */
  private matches(topic: string): Promise<Paper[]> {
    let m = this.topics.get(topic);
    if (!m) {
      const q = `date:${this.period.from}..${this.period.to} ${topic}`;
      m = this.deps.search.search({ q, mode: 'keyword', sort: 'relevance', limit: this.size }).then((r) => r.hits.map((h) => h.paper));
      this.topics.set(topic, m);
    }
    return m;
  }
}

export class DigestService {
  constructor(private readonly deps: DigestDeps) {}

  /**
   * The papers one subscription's digest of `period` would carry, picked as the queue picks
   * them (the same ranking, the same topic search), before the store leaves out what the
   * address already had: what the "preview my digest" page shows, less what was sent.
   */
  pick(subscription: Subscription, period: DigestPeriod, size: number): Promise<DigestEntry[]> {
    return new Picker(this.deps, period, size).entries(subscription);
  }

  /**
   * Reserves the period's digests for every active subscription of its frequency, a batch at a
   * time. A period without papers walks nothing; a subscription with nothing new gets no message.
   */
  async queuePeriod(period: DigestPeriod, opts: QueueOptions): Promise<QueueReport> {
    const report: QueueReport = { period: period.key, frequency: period.frequency, papers: 0, subscriptions: 0, queued: 0 };
    const picker = new Picker(this.deps, period, opts.size);
    report.papers = await picker.rank();
    if (report.papers === 0) return report;
    for await (const subs of this.walk(period, opts.batch)) {
      const reservations = await this.reservations(picker, subs);
      report.queued += (await this.deps.outbox.reserve(reservations)).length;
      report.subscriptions += subs.length;
      opts.onBatch?.(report.subscriptions);
    }
    return report;
  }

  /**
   * What queuePeriod would reserve, rendered and handed to `mailer` (the .eml folder of a dry
   * run) instead, changing nothing: read-only checks stand in for the store's (papers the
   * address already had, a message already reserved), and this run's own picks count as sent.
   */
  async preview(period: DigestPeriod, opts: QueueOptions, render: DigestMail, mailer: Pick<Mailer, 'send'>): Promise<QueueReport> {
    const report: QueueReport = { period: period.key, frequency: period.frequency, papers: 0, subscriptions: 0, queued: 0 };
    const picker = new Picker(this.deps, period, opts.size);
    report.papers = await picker.rank();
    if (report.papers === 0) return report;
    const pickedNow = new Map<string, Set<string>>();
    for await (const subs of this.walk(period, opts.batch)) {
      for (const r of await this.reservations(picker, subs)) {
        if (await this.deps.outbox.hasMessage(r.subscriptionId, r.period)) continue;
        const sent = await this.deps.outbox.alreadySent(r.email, r.items.map((i) => i.paperId));
        const mine = pickedNow.get(r.email) ?? new Set<string>();
        const items = r.items.filter((i) => !sent.has(i.paperId) && !mine.has(i.paperId));
        if (items.length === 0) continue;
        items.forEach((i) => mine.add(i.paperId));
        pickedNow.set(r.email, mine);
        const sub = subs.find((s) => s.id === r.subscriptionId)!;
        const email = await renderMessage(render, this.deps.papers, { subscription: sub, period: r.period, messageId: r.messageId, items });
        if (email) {
          await mailer.send(email);
          report.queued++;
        }
      }
      report.subscriptions += subs.length;
      opts.onBatch?.(report.subscriptions);
    }
    return report;
  }

  /** The active subscriptions of the period's frequency, in keyset batches of ~1,000. */
  private async *walk(period: DigestPeriod, batch = 1000): AsyncGenerator<Subscription[]> {
    let after = '';
    for (;;) {
      const subs = await this.deps.subscriptions.activeSubscriptions(period.frequency, after, batch);
      if (subs.length === 0) return;
      yield subs;
      after = subs[subs.length - 1]!.id;
      if (subs.length < batch) return;
    }
  }

  private async reservations(picker: Picker, subs: Subscription[]): Promise<DigestReservation[]> {
    const now = this.deps.now().toISOString();
    const out: DigestReservation[] = [];
    for (const sub of subs) {
      const items = await picker.items(sub);
      if (items.length === 0) continue;
      const messageId = this.deps.mail.messageId(sub.id, picker.period.key);
      out.push({ subscriptionId: sub.id, email: sub.email, period: picker.period.key, messageId, items, now });
    }
    return out;
  }
}

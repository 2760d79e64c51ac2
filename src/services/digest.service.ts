/**
 * Sending digests (issue 11, decision 018), step one: deciding. For each active subscription of
 * a period's frequency, the papers it gets: the period's top trending papers (ranked once per
 * period by the listing service, the site's own ranking) or, for an alert, the period's new
 * papers matching each topic (the search service, each distinct topic searched once per run:
 * by keywords, and by meaning too once embeddings are ready, with a similarity floor below which
 * a paper is not sent, so that an alert sends nothing rather than noise; decision 025).
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
import type { ListingReads } from '../ports/listing-reads.js';
import { fuseHybrid, type ScoredId } from '../core/fusion.js';
import { parseQuery } from '../core/query.js';
import type { ListingService } from './listing.service.js';
import type { SemanticRetriever } from './semantic-retriever.js';
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
  /**
   * Matching topics by meaning (issue 12): when ready, a topic's alert is its keyword matches
   * fused with the period's papers nearest in meaning whose similarity reaches `floor`; not
   * ready (or absent), keywords alone.
   */
  semantic?: {
    retriever: Pick<SemanticRetriever, 'status' | 'search'>;
    /** the period's papers (their ids), which semantic matches are drawn from */
    signals: Pick<ListingReads, 'rankingSignals'>;
    /** cosine similarity a semantic match needs (ALERT_SIMILARITY_FLOOR unless set) */
    floor?: number;
  };
}

/**
 * The cosine similarity a paper needs with a topic to be sent for it by meaning (decision 025,
 * bench/semantic-quality.js, built-in model on the 74,728-paper corpus): a paper's title as the
 * topic reaches its own paper at ≥ 0.6 in 76% of cases, while the nearest of 1,000 papers of
 * other categories (a period with nothing on the topic) does in 12% (at 0.5: 90% and 42%).
 * Keyword matches still come through the fusion, so an on-topic paper under the floor that
 * shares the topic's words is not lost. Measured for the built-in model; other embedders' cosines
 * lie on other scales.
 */
export const ALERT_SIMILARITY_FLOOR = 0.6;

/** Semantic candidates asked for per topic, before the floor: a few pages' worth. */
const ALERT_SEMANTIC_CANDIDATES = 4;

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
  private periodIds: Promise<Set<string>> | null = null;

  constructor(
    private readonly deps: Pick<DigestDeps, 'listing' | 'search' | 'semantic' | 'papers'>,
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
      const floor = this.deps.semantic?.floor ?? ALERT_SIMILARITY_FLOOR;
      m = Promise.all([this.deps.search.search({ q, mode: 'keyword', sort: 'relevance', limit: this.size }), this.byMeaning(topic)]).then(([r, s]) => {
        const keyword = r.hits.map((h) => h.paper);
        if (s === null) return keyword;
        return this.papersOf(alertMatches(r.hits.map((h) => ({ id: h.paper.id, score: h.score })), s, this.size, floor), keyword);
      });
      this.topics.set(topic, m);
    }
    return m;
  }

  /** The papers of `ids` in order: those the keyword search returned as they are, the others read in one call. */
  private async papersOf(ids: string[], known: Paper[]): Promise<Paper[]> {
    const byId = new Map(known.map((p) => [p.id, p]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) for (const [id, p] of await this.deps.papers.getPapers(missing)) byId.set(id, p);
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The period's papers nearest in meaning to the topic, or null when embeddings are not ready or
   * the topic is not plain words (its filters, exclusions and prefixes are keyword search's: a
   * topic that has them is matched by keywords alone).
   */
  private async byMeaning(topic: string): Promise<ScoredId[] | null> {
    const sem = this.deps.semantic;
    if (!sem?.retriever.status().ready) return null;
    const parsed = parseQuery(topic);
    const f = parsed.filters;
    const plain =
      f.authors.length === 0 && f.categories.length === 0 && f.from === null && f.to === null && parsed.prefixes.length === 0 &&
      parsed.exclude.terms.length + parsed.exclude.phrases.length + parsed.exclude.prefixes.length === 0;
    if (!plain || parsed.terms.length + parsed.phrases.length === 0) return null;
    this.periodIds ??= sem.signals.rankingSignals(this.period.from, this.period.to).then((s) => new Set(s.map((p) => p.id)));
    const ids = await this.periodIds;
    if (ids.size === 0) return [];
    const hits = await sem.retriever.search(topic, this.size * ALERT_SEMANTIC_CANDIDATES, { among: ids });
    return hits.map((h) => ({ id: h.id, score: h.score }));
  }
}

/**
 * A topic's alert: the keyword matches and the semantic ones at or above the floor, fused
 * (core/fusion.ts), best first, at most `size`. Semantic candidates under the floor never enter,
 * so a period with nothing on the topic sends nothing.
 */
export function alertMatches(keyword: readonly ScoredId[], semantic: readonly ScoredId[], size: number, floor = ALERT_SIMILARITY_FLOOR): string[] {
  const close = semantic.filter((h) => h.score >= floor);
  if (close.length === 0) return keyword.slice(0, size).map((h) => h.id);
  return fuseHybrid(keyword, close, { limit: size }).map((h) => h.id);
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

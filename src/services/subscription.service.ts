/**
 * Subscribing and everything a reader does afterwards (issue 11, docs/decisions/019): subscribe
 * with double opt-in, confirm, read and change preferences, pause, unsubscribe (one click),
 * export and delete one's data; and the marking of bounced or complaining addresses. The web
 * pages and the bounce hook call it; it takes only the ports it uses.
 *
 * Every action after subscribing is reached through a signed link token (link-tokens.ts) that
 * names one subscription and one purpose: a token acts on its own subscription and nothing else.
 * Subscribing answers the same whatever the address (known, unknown, active, suppressed, over
 * its rate): what differs goes only into the email the address itself receives.
 */
import { randomBytes } from 'node:crypto';
import { PaperboyError } from '../core/errors.js';
import type { DigestOutbox, OutboxMessage } from '../ports/digest-outbox.js';
import type { Mailer } from '../ports/mailer.js';
import type { AddressMark, AddressState, Frequency, Subscription, SubscriptionChanges, Subscriptions } from '../ports/subscriptions.js';
import { LinkError, type LinkTokens, type TokenPurpose } from './link-tokens.js';
import { checkEmail, checkFrequency, checkTopic, checkTopics, MAX_TOPICS, SubscriptionInputError } from './subscription-input.js';
import type { SubscriptionMails } from './subscription-mail.js';

export { LinkError, SubscriptionInputError };

/** Unconfirmed subscriptions are deleted after this long (as long as their confirmation link works). */
export const PENDING_TTL_MS = 7 * 86_400_000;

/** Subscribing is switched off on this site (no SMTP_URL): the form says so. */
export class SubscriptionsOffError extends Error {
  readonly code = 'SUBSCRIPTIONS_OFF';
  constructor() {
    super('email subscriptions are not switched on on this site');
    this.name = 'SubscriptionsOffError';
  }
}

export interface SubscribeRequest {
  email: unknown;
  frequency: unknown;
  topic?: unknown;
}

/** A subscription as a link's holder sees it, with the tokens of the pages it leads to. */
export interface ManagedSubscription {
  subscription: Subscription;
  /** the manage token (the preferences page's URL); the same one the request came with, when it came with one */
  manageToken: string;
  /** hard bounce or complaint: nothing is sent to the address */
  suppressed: boolean;
}

/** One change from the preferences page. */
export type PreferenceChange =
  | { kind: 'frequency'; frequency: unknown }
  | { kind: 'add-topic'; topic: unknown }
  | { kind: 'edit-topic'; index: number; topic: unknown }
  | { kind: 'remove-topic'; index: number }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'unsubscribe' };

/** "Export my data": everything kept about the subscription and its address. */
export interface SubscriptionExport {
  exportedAt: string;
  subscription: Subscription;
  topics: string[];
  messages: Pick<OutboxMessage, 'period' | 'messageId' | 'status' | 'items' | 'createdAt' | 'sentAt' | 'attempts' | 'lastError'>[];
  address: AddressState;
}

export interface SubscriptionServiceDeps {
  subscriptions: Subscriptions;
  outbox: Pick<DigestOutbox, 'messagesOf'>;
  /** null when SMTP_URL is not set: subscribing is off, links in earlier emails still work */
  mailer: Mailer | null;
  mails: SubscriptionMails;
  tokens: LinkTokens;
  now: () => Date;
  /**
   * per-address budget of emails from the form (default: 3 an hour), kept in the database:
   * every node counts against the same one, and a restart forgets nothing
   */
  addressBudget?: { max: number; windowMs: number };
  log?: (message: string) => void;
}

export class SubscriptionService {
  private readonly budget: { max: number; windowMs: number };
  private lastExpiry = 0;

  constructor(private readonly d: SubscriptionServiceDeps) {
    this.budget = d.addressBudget ?? { max: 3, windowMs: 3_600_000 };
  }

  get enabled(): boolean {
    return this.d.mailer !== null;
  }

  /**
   * Asks for a subscription: a confirmation email to a new or unconfirmed one, a "you are already
   * subscribed" email with the preferences link to a confirmed one, nothing to a suppressed
   * address or one over its budget. Resolves the same in every case; throws only on bad input
   * (SubscriptionInputError), when subscribing is off, or when the mail server fails (MailError).
   */
  async subscribe(req: SubscribeRequest): Promise<void> {
    const mailer = this.d.mailer;
    if (!mailer) throw new SubscriptionsOffError();
    const email = checkEmail(req.email);
    const frequency = checkFrequency(req.frequency);
    const topic = checkTopic(req.topic);
    const now = this.d.now();
    await this.expirePendingNowAndThen(now);
    if (!(await this.d.subscriptions.takeAddressBudget(email, now.toISOString(), this.budget.max, this.budget.windowMs))) return;
    if ((await this.d.subscriptions.addressState(email)).suppressed) return;
    const { subscription } = await this.d.subscriptions.requestSubscription({
      id: newSubscriptionId(),
      email,
      frequency,
      topics: topic === null ? [] : [topic],
      now: now.toISOString(),
    });
    const message =
      subscription.status === 'pending'
        ? this.d.mails.confirmation(subscription, await this.d.tokens.issue(subscription.id, 'confirm'), now)
        : this.d.mails.alreadySubscribed(subscription, await this.d.tokens.issue(subscription.id, 'manage'));
    await mailer.send(message);
  }

  /** What a confirmation link would confirm (the page with the button); changes nothing. */
  async toConfirm(token: string): Promise<Subscription> {
    return this.byToken(token, 'confirm');
  }

  /** Confirms the subscription a confirm token names (POST only: mail scanners follow links). */
  async confirm(token: string): Promise<ManagedSubscription> {
    const id = await this.d.tokens.read(token, 'confirm');
    const confirmed = await this.d.subscriptions.confirm(id, this.d.now().toISOString());
    if (!confirmed) throw new LinkError('gone');
    return this.managed(confirmed, await this.d.tokens.issue(id, 'manage'));
  }

  async preferences(token: string): Promise<ManagedSubscription> {
    return this.managed(await this.byToken(token, 'manage'), token);
  }

  /** Applies one change from the preferences page; throws SubscriptionInputError on a bad value. */
  async change(token: string, change: PreferenceChange): Promise<ManagedSubscription> {
    const current = await this.byToken(token, 'manage');
    const changes = changesFor(current, change);
    const updated = await this.d.subscriptions.update(current.id, changes, this.d.now().toISOString()).catch((e: unknown) => {
      // the store keeps one live subscription per address, frequency and topics
      if (e instanceof PaperboyError && e.code === 'RECORD_INVALID')
        throw new SubscriptionInputError('subscription', 'this address already has a subscription with that frequency and those topics: change or end that one instead');
      throw e;
    });
    if (!updated) throw new LinkError('gone');
    return this.managed(updated, token);
  }

  /** RFC 8058 one-click: the subscription an unsubscribe token names leaves; again is a no-op. */
  async unsubscribe(token: string): Promise<Subscription> {
    const id = await this.d.tokens.read(token, 'unsubscribe');
    return this.leave(id);
  }

  /** What an unsubscribe link would end (its confirm page); changes nothing. */
  async toUnsubscribe(token: string): Promise<Subscription> {
    return this.byToken(token, 'unsubscribe');
  }

  async exportData(token: string): Promise<SubscriptionExport> {
    const s = await this.byToken(token, 'manage');
    const [messages, address] = await Promise.all([this.d.outbox.messagesOf(s.id), this.d.subscriptions.addressState(s.email)]);
    return {
      exportedAt: this.d.now().toISOString(),
      subscription: s,
      topics: s.topics,
      messages: messages.map((m) => ({
        period: m.period,
        messageId: m.messageId,
        status: m.status,
        items: m.items,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
        attempts: m.attempts,
        lastError: m.lastError,
      })),
      address,
    };
  }

  /** "Delete my data": the subscription, its topics, its messages and the record of papers sent. */
  async deleteData(token: string): Promise<void> {
    const s = await this.byToken(token, 'manage');
    await this.d.subscriptions.remove(s.id);
  }

  /** The bounce and complaint hook: marks an address (a hard bounce or a complaint stops all sending to it). */
  async markAddress(email: unknown, kind: unknown, detail: string): Promise<AddressState> {
    const address = checkEmail(email);
    if (kind !== 'hard-bounce' && kind !== 'soft-bounce' && kind !== 'complaint')
      throw new SubscriptionInputError('kind', 'kind must be hard-bounce, soft-bounce or complaint');
    return this.d.subscriptions.markAddress(address, kind as AddressMark, detail.slice(0, 500), this.d.now().toISOString());
  }

  /** The subscription a manage token names, for the preview page. */
  async forPreview(token: string): Promise<ManagedSubscription> {
    return this.preferences(token);
  }

  private async leave(id: string): Promise<Subscription> {
    const s = await this.d.subscriptions.subscription(id);
    if (!s) throw new LinkError('gone');
    if (s.status === 'unsubscribed') return s;
    const left = await this.d.subscriptions.update(id, { status: 'unsubscribed' }, this.d.now().toISOString());
    if (!left) throw new LinkError('gone');
    return left;
  }

  private async byToken(token: string, purpose: TokenPurpose): Promise<Subscription> {
    const id = await this.d.tokens.read(token, purpose);
    const s = await this.d.subscriptions.subscription(id);
    if (!s) throw new LinkError('gone');
    return s;
  }

  private async managed(subscription: Subscription, manageToken: string): Promise<ManagedSubscription> {
    const state = await this.d.subscriptions.addressState(subscription.email);
    return { subscription, manageToken, suppressed: state.suppressed };
  }

  /** Deletes unconfirmed subscriptions past their time, and ended address budgets, at most once an hour per node. */
  private async expirePendingNowAndThen(now: Date): Promise<void> {
    if (now.getTime() - this.lastExpiry < 3_600_000) return;
    this.lastExpiry = now.getTime();
    const removed = await this.d.subscriptions.expirePending(new Date(now.getTime() - PENDING_TTL_MS).toISOString());
    if (removed > 0) this.d.log?.(`subscriptions: ${removed} unconfirmed past ${PENDING_TTL_MS / 86_400_000} days deleted`);
    // budgets whose window has ended count for nothing: forgotten
    await this.d.subscriptions.pruneAddressBudgets(new Date(now.getTime() - this.budget.windowMs).toISOString());
  }
}

/** What one preferences change does to a subscription; SubscriptionInputError for what can't be. */
function changesFor(s: Subscription, c: PreferenceChange): SubscriptionChanges {
  const topicAt = (index: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= s.topics.length) throw new SubscriptionInputError('topic', 'that topic is no longer there (the page was out of date)');
    return index;
  };
  if (s.status === 'unsubscribed' && c.kind !== 'unsubscribe') throw new SubscriptionInputError('subscription', 'this subscription has ended; subscribe again from the form');
  switch (c.kind) {
    case 'frequency':
      return { frequency: checkFrequency(c.frequency) as Frequency };
    case 'add-topic': {
      const t = checkTopic(c.topic);
      if (t === null) throw new SubscriptionInputError('topic', 'type a topic to add');
      if (s.topics.length >= MAX_TOPICS && !s.topics.includes(t)) throw new SubscriptionInputError('topic', `at most ${MAX_TOPICS} topics per subscription`);
      return { topics: checkTopics([...s.topics, t]) };
    }
    case 'edit-topic': {
      const i = topicAt(c.index);
      const t = checkTopic(c.topic);
      return { topics: checkTopics(s.topics.map((old, j) => (j === i ? t : old))) };
    }
    case 'remove-topic': {
      const i = topicAt(c.index);
      return { topics: s.topics.filter((_, j) => j !== i) };
    }
    case 'pause':
      if (s.status === 'pending') throw new SubscriptionInputError('subscription', 'confirm the subscription first');
      return { status: 'paused' };
    case 'resume':
      if (s.status === 'pending') throw new SubscriptionInputError('subscription', 'confirm the subscription first');
      return { status: 'active' };
    case 'unsubscribe':
      return { status: 'unsubscribed' };
  }
}

/** 128 random bits, base64url: the links carry it, so it must not be guessable or a counter. */
export function newSubscriptionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * What both dialects share for the inbox (issue 11): rows of subscriptions and digest_outbox as
 * the ports' objects, the error for an update that would duplicate a live subscription, and the
 * inbox put together from its three parts (as parts-store.ts does for the paper store).
 */
import { PaperboyError } from '../../core/errors.js';
import type { DigestItem, DigestOutbox, OutboxMessage, OutboxStatus } from '../../ports/digest-outbox.js';
import type { Inbox } from '../../ports/paper-store.js';
import type { SigningKeys } from '../../ports/signing-keys.js';
import type { AddressMark, AddressState, Frequency, Subscription, SubscriptionStatus, Subscriptions } from '../../ports/subscriptions.js';

type Row = Record<string, unknown>;

/** JSON as SQLite gives it (text) or PostgreSQL does (already parsed jsonb). */
function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function rowToSubscription(r: Row): Subscription {
  return {
    id: String(r.id),
    email: String(r.email),
    frequency: r.frequency as Frequency,
    topics: json<string[]>(r.topics),
    status: r.status as SubscriptionStatus,
    createdAt: String(r.created_at),
    confirmedAt: str(r.confirmed_at),
    updatedAt: String(r.updated_at),
  };
}

export function rowToMessage(r: Row): OutboxMessage {
  return {
    key: String(r.key),
    subscriptionId: String(r.subscription_id),
    email: String(r.email),
    period: String(r.period),
    messageId: String(r.message_id),
    items: json<DigestItem[]>(r.items),
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at),
    lastError: str(r.last_error),
    createdAt: String(r.created_at),
    sentAt: str(r.sent_at),
  };
}

export function addressState(email: string, rows: Row[]): AddressState {
  const marks = rows.map((r) => ({ kind: r.kind as AddressMark, at: String(r.at), detail: String(r.detail) }));
  return { email, marks, suppressed: marks.some((m) => SUPPRESSING.has(m.kind)) };
}

/** The marks after which nothing more is sent to an address. */
export const SUPPRESSING: ReadonlySet<AddressMark> = new Set(['hard-bounce', 'complaint']);

/** The outbox key of a (subscription, period) digest. */
export const outboxKey = (subscriptionId: string, period: string): string => `${subscriptionId}/${period}`;

/** `now + ms`, as an ISO string (the form every time in the inbox is kept in). */
export const isoPlus = (now: string, ms: number): string => new Date(Date.parse(now) + ms).toISOString();

/** The papers of a reservation once duplicates within it are dropped, in its order. */
export function distinctItems(items: readonly DigestItem[]): DigestItem[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.paperId) && seen.add(i.paperId));
}

/** An update that would give an address two live subscriptions with the same frequency and topics. */
export function duplicateSubscription(id: string, cause: unknown): PaperboyError {
  return new PaperboyError(
    'RECORD_INVALID',
    `subscription ${id}: its address already has a subscription with this frequency and these topics`,
    { cause },
  );
}

/** Oldest due first, as claimed (RETURNING gives no order). */
export function byDue(a: OutboxMessage, b: OutboxMessage): number {
  return a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export const EMPTY_COUNTS = (): Record<OutboxStatus, number> => ({ queued: 0, sending: 0, sent: 0, failed: 0 });

/** The three inbox ports of one database as one object (each method delegates to its part). */
export function joinInbox(s: Subscriptions, o: DigestOutbox, k: SigningKeys): Inbox {
  return {
    requestSubscription: (input) => s.requestSubscription(input),
    subscription: (id) => s.subscription(id),
    subscriptionsOf: (email) => s.subscriptionsOf(email),
    confirm: (id, now) => s.confirm(id, now),
    update: (id, changes, now) => s.update(id, changes, now),
    remove: (id) => s.remove(id),
    expirePending: (before) => s.expirePending(before),
    takeAddressBudget: (email, now, max, windowMs) => s.takeAddressBudget(email, now, max, windowMs),
    pruneAddressBudgets: (before) => s.pruneAddressBudgets(before),
    activeSubscriptions: (frequency, afterId, limit) => s.activeSubscriptions(frequency, afterId, limit),
    allSubscriptions: (afterId, limit) => s.allSubscriptions(afterId, limit),
    markAddress: (email, kind, detail, now) => s.markAddress(email, kind, detail, now),
    addressState: (email) => s.addressState(email),
    alreadySent: (email, paperIds) => o.alreadySent(email, paperIds),
    hasMessage: (subscriptionId, period) => o.hasMessage(subscriptionId, period),
    reserve: (reservations) => o.reserve(reservations),
    claimDue: (now, limit, leaseMs) => o.claimDue(now, limit, leaseMs),
    markSent: (key, now) => o.markSent(key, now),
    markRetry: (key, error, nextAttemptAt) => o.markRetry(key, error, nextAttemptAt),
    markFailed: (key, error, now) => o.markFailed(key, error, now),
    messagesOf: (subscriptionId) => o.messagesOf(subscriptionId),
    outboxCounts: () => o.outboxCounts(),
    signingKey: (name) => k.signingKey(name),
  };
}

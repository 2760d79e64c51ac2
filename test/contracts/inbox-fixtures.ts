/**
 * What the inbox's contract suites (subscriptions, digest-outbox, signing-keys) share: times,
 * subscriptions and reservations written the same way in each, and a second handle on the
 * database for the races.
 */
import type { DigestItem, DigestReservation } from '../../src/ports/digest-outbox.js';
import type { Inbox } from '../../src/ports/paper-store.js';
import type { Frequency, Subscription } from '../../src/ports/subscriptions.js';
import type { OpenedStore } from '../support/store-harness.js';

/** An ISO time `minutes` after a fixed start, in the form every caller uses (toISOString). */
export function at(minutes: number): string {
  return new Date(Date.parse('2026-08-21T06:00:00.000Z') + minutes * 60_000).toISOString();
}

let serial = 0;

/** An id as the service makes them: opaque, mixed case, with the URL-safe '-' and '_'. */
export function subscriptionId(prefix = 'S'): string {
  return `${prefix}${(++serial).toString(36).padStart(4, '0')}-x_Q`;
}

/** A new subscription (pending), or the live one with the same input. */
export async function subscribe(
  inbox: Inbox,
  email: string,
  opts: { id?: string; frequency?: Frequency; topics?: string[]; now?: string } = {},
): Promise<Subscription> {
  const { subscription } = await inbox.requestSubscription({
    id: opts.id ?? subscriptionId(),
    email,
    frequency: opts.frequency ?? 'daily',
    topics: opts.topics ?? [],
    now: opts.now ?? at(0),
  });
  return subscription;
}

/** A subscribed and confirmed (active) subscription. */
export async function activeSubscription(inbox: Inbox, email: string, opts: Parameters<typeof subscribe>[2] = {}): Promise<Subscription> {
  const s = await subscribe(inbox, email, opts);
  return (await inbox.confirm(s.id, opts.now ?? at(1)))!;
}

export function items(...paperIds: string[]): DigestItem[] {
  return paperIds.map((paperId, i) => ({ paperId, rank: i + 1 }));
}

export function reservation(s: Subscription, period: string, paperIds: string[], now = at(10)): DigestReservation {
  return { subscriptionId: s.id, email: s.email, period, messageId: `<${s.id}.${period}@paperboy.test>`, items: items(...paperIds), now };
}

/** Another handle on the same database, migrated, for races between processes. */
export async function otherInbox(opened: OpenedStore): Promise<Inbox> {
  const db = await opened.reopenDatabase();
  await db.store.migrate();
  return db.inbox;
}

/**
 * Readers' subscriptions (issue 11): what the subscribe, confirm and preferences use cases
 * (services/subscription.service.ts) and the operators' commands read and change. A subscription
 * is one address, one frequency and an optional list of topics: with no topic it is the trending
 * digest, with topics an alert on new papers matching any of them. An address may hold several
 * subscriptions; a bounce or complaint is kept per address and stops all sending to it.
 * Contract: test/contracts/subscriptions.contract.ts.
 */

export type Frequency = 'daily' | 'weekly';

/**
 * pending: asked for, not confirmed (nothing is sent; expires); active: confirmed, receiving;
 * paused: confirmed, receiving nothing until resumed; unsubscribed: left (kept so that a late
 * one-click POST still answers, and so that a resend of an old period is never made).
 */
export type SubscriptionStatus = 'pending' | 'active' | 'paused' | 'unsubscribed';

export interface Subscription {
  /** random and opaque (never a counter): the links carry it, signed (core/tokens.ts) */
  id: string;
  /** as normalised by core/email-address.ts: trimmed, domain lower-cased */
  email: string;
  frequency: Frequency;
  /** search queries, in the reader's order; empty for the trending digest */
  topics: string[];
  status: SubscriptionStatus;
  /** ISO timestamps */
  createdAt: string;
  confirmedAt: string | null;
  updatedAt: string;
}

/** What an address has had happen to it (bounces and complaints), per address, not per subscription. */
export type AddressMark = 'hard-bounce' | 'soft-bounce' | 'complaint';

export interface AddressState {
  email: string;
  /** the marks it has had, newest first */
  marks: { kind: AddressMark; at: string; detail: string }[];
  /** true after a hard bounce or a complaint: nothing more is sent to it */
  suppressed: boolean;
}

export interface NewSubscription {
  id: string;
  email: string;
  frequency: Frequency;
  topics: string[];
  now: string;
}

export interface SubscriptionChanges {
  frequency?: Frequency;
  topics?: string[];
  status?: Exclude<SubscriptionStatus, 'pending'>;
}

export interface Subscriptions {
  /**
   * The subscription of this address, frequency and topics (compared as given, in order) if
   * there is one in any status but unsubscribed, else a new pending one: { created } says which.
   * Two concurrent calls with the same input end with one subscription.
   */
  requestSubscription(input: NewSubscription): Promise<{ subscription: Subscription; created: boolean }>;
  subscription(id: string): Promise<Subscription | null>;
  /** Every subscription of an address (normalised), any status, oldest first. */
  subscriptionsOf(email: string): Promise<Subscription[]>;
  /** pending -> active (confirmedAt = now); an active or paused one is left as it is. Null when unknown or unsubscribed. */
  confirm(id: string, now: string): Promise<Subscription | null>;
  /** Changes what is given; null when unknown. Topics replace the whole list. */
  update(id: string, changes: SubscriptionChanges, now: string): Promise<Subscription | null>;
  /** Removes the subscription and everything kept about it (sent papers, outbox rows): "delete my data". */
  remove(id: string): Promise<boolean>;
  /** Deletes pending subscriptions created before `before`; how many. */
  expirePending(before: string): Promise<number>;
  /**
   * Counts one email from the subscribe form to an address (normalised) against its budget: at
   * most `max` in a window of `windowMs` opened by the first one after the last window ended.
   * True when this one is within it. Kept in the database, so every node shares one budget, and
   * atomic: concurrent takes never let more than `max` through in a window.
   */
  takeAddressBudget(email: string, now: string, max: number, windowMs: number): Promise<boolean>;
  /** Forgets the budgets of windows opened before `before` (ended); how many. */
  pruneAddressBudgets(before: string): Promise<number>;

  /**
   * Active subscriptions of a frequency whose address is not suppressed, in id order after
   * `afterId` (keyset batches: the digest sender resumes where it stopped).
   */
  activeSubscriptions(frequency: Frequency, afterId: string, limit: number): Promise<Subscription[]>;
  /** Every subscription, any status, in id order after `afterId` (operators' list and export). */
  allSubscriptions(afterId: string, limit: number): Promise<Subscription[]>;

  /** Records a bounce or complaint against an address (normalised), whether or not it has subscriptions. */
  markAddress(email: string, kind: AddressMark, detail: string, now: string): Promise<AddressState>;
  addressState(email: string): Promise<AddressState>;
}

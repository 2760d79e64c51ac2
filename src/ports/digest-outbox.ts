/**
 * The durable outbox of digests (issue 11, docs/decisions/016): each (subscription, period)
 * digest is reserved under a unique key, with the papers it carries, before anything is sent;
 * the sender claims due messages, sends, and marks them. What services/digest.service.ts uses.
 * Contract: test/contracts/digest-outbox.contract.ts.
 *
 * A paper reserved for a reader's digest counts as sent to that reader (address) from the moment
 * it is reserved, so that two digests composed before either is sent never share a paper; a
 * message that fails for good gives its papers back.
 */

/** One paper of a digest and why it is there. */
export interface DigestItem {
  paperId: string;
  /** 1-based rank in the period's trending list, for a trending digest */
  rank?: number;
  /** the topic (as the reader wrote it) that matched, for an alert */
  topic?: string;
}

/**
 * queued: waiting for its time (nextAttemptAt); sending: claimed by a sender until claimedUntil;
 * sent: the SMTP server accepted it; failed: permanently refused, or out of tries.
 */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxMessage {
  /** `${subscriptionId}/${period}`: unique */
  key: string;
  subscriptionId: string;
  email: string;
  /** YYYY-MM-DD or YYYY-Www */
  period: string;
  /** derived from (subscription, period) (core/digest.ts): any resend is the same message */
  messageId: string;
  items: DigestItem[];
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface DigestReservation {
  subscriptionId: string;
  email: string;
  period: string;
  messageId: string;
  /** the papers picked; those already sent (or reserved) to this address are dropped by the store */
  items: DigestItem[];
  now: string;
}

export interface DigestOutbox {
  /** Of these paper ids, those already sent or reserved to this address (normalised). */
  alreadySent(email: string, paperIds: readonly string[]): Promise<Set<string>>;
  /** Whether (subscription, period) has a message in any status. */
  hasMessage(subscriptionId: string, period: string): Promise<boolean>;
  /**
   * Reserves many digests in one transaction: for each, in order, drops items already sent to the
   * address (by this call's earlier reservations too), and when some remain and the key is free,
   * inserts a queued message and records its papers as sent to the address. Returns the keys
   * inserted. Idempotent: a key that exists is left alone, whatever its status.
   */
  reserve(reservations: readonly DigestReservation[]): Promise<string[]>;
  /**
   * Claims up to `limit` messages that are queued and due, or left in `sending` past their
   * claimedUntil (a sender that died), oldest first: each becomes `sending` until `now + leaseMs`
   * and its attempts grow by one. Two senders never claim the same message.
   */
  claimDue(now: string, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  markSent(key: string, now: string): Promise<void>;
  /** Back to queued, due again at `nextAttemptAt`, with the error kept. */
  markRetry(key: string, error: string, nextAttemptAt: string): Promise<void>;
  /** Failed for good; its papers count as not sent any more. */
  markFailed(key: string, error: string, now: string): Promise<void>;
  /** Messages of a subscription, newest period first (preferences page, export). */
  messagesOf(subscriptionId: string): Promise<OutboxMessage[]>;
  /** How many messages are in each status (for `digest send` and /metrics). */
  outboxCounts(): Promise<Record<OutboxStatus, number>>;
}

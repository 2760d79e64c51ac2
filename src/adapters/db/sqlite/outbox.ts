/**
 * The SQLite store's digest outbox (issue 11, decision 016). Every write is one IMMEDIATE
 * transaction: across handles on the file SQLite's write lock serialises them, so a claim or a
 * reservation sees everything committed before it and nothing half done.
 */
import type { DigestOutbox, DigestReservation, OutboxMessage, OutboxStatus } from '../../../ports/digest-outbox.js';
import { byDue, distinctItems, EMPTY_COUNTS, isoPlus, outboxKey, rowToMessage } from '../inbox-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteOutbox extends SqliteInboxPart implements DigestOutbox {
  async alreadySent(email: string, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const ids = this.st('SELECT paper_id FROM sent_papers WHERE email = ? AND paper_id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(email, JSON.stringify(paperIds)) as string[];
    return new Set(ids);
  }

  async hasMessage(subscriptionId: string, period: string): Promise<boolean> {
    return this.st('SELECT 1 FROM digest_outbox WHERE key = ?').get(outboxKey(subscriptionId, period)) !== undefined;
  }

  async reserve(reservations: readonly DigestReservation[]): Promise<string[]> {
    if (reservations.length === 0) return [];
    const keyTaken = this.st('SELECT 1 FROM digest_outbox WHERE key = ?');
    const subscribed = this.st('SELECT 1 FROM subscriptions WHERE id = ?');
    const sent = this.st('SELECT 1 FROM sent_papers WHERE email = ? AND paper_id = ?');
    const insertMessage = this.st(
      `INSERT INTO digest_outbox (key, subscription_id, email, period, message_id, items, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
    );
    const insertSent = this.st('INSERT INTO sent_papers (email, paper_id, outbox_key) VALUES (?, ?, ?)');
    return this.write(() => {
      const inserted: string[] = [];
      for (const r of reservations) {
        const key = outboxKey(r.subscriptionId, r.period);
        // in the write lock nothing else changes these: what was read stays true until commit
        if (keyTaken.get(key) || !subscribed.get(r.subscriptionId)) continue;
        const items = distinctItems(r.items).filter((i) => !sent.get(r.email, i.paperId));
        if (items.length === 0) continue;
        insertMessage.run(key, r.subscriptionId, r.email, r.period, r.messageId, JSON.stringify(items), r.now, r.now);
        for (const i of items) insertSent.run(r.email, i.paperId, key);
        inserted.push(key);
      }
      return inserted;
    });
  }

  async claimDue(now: string, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const until = isoPlus(now, leaseMs);
    // a dead sender's messages first (they were due before), then the queued ones: two index
    // ranges, where one OR would read the whole table at every claim
    const claim = (due: string) =>
      this.st(
        `UPDATE digest_outbox SET status = 'sending', claimed_until = ?, attempts = attempts + 1
         WHERE key IN (${due} LIMIT ?) RETURNING *`,
      );
    return this.write(() => {
      const stale = claim(STALE).all(until, now, limit) as Row[];
      const queued = stale.length < limit ? (claim(QUEUED).all(until, now, limit - stale.length) as Row[]) : [];
      return [...stale.map(rowToMessage).sort(byDue), ...queued.map(rowToMessage).sort(byDue)];
    });
  }

  async markSent(key: string, now: string): Promise<void> {
    await this.write(() =>
      this.st(`UPDATE digest_outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = NULL WHERE key = ?`).run(now, key),
    );
  }

  async markRetry(key: string, error: string, nextAttemptAt: string): Promise<void> {
    // a message another sender already got accepted stays sent
    await this.write(() =>
      this.st(
        `UPDATE digest_outbox SET status = 'queued', last_error = ?, next_attempt_at = ?, claimed_until = NULL
         WHERE key = ? AND status <> 'sent'`,
      ).run(error, nextAttemptAt, key),
    );
  }

  async markFailed(key: string, error: string, now: string): Promise<void> {
    await this.write(() => {
      const failed = this.st(
        `UPDATE digest_outbox SET status = 'failed', last_error = ?, claimed_until = NULL, next_attempt_at = ?
         WHERE key = ? AND status <> 'sent'`,
      ).run(error, now, key).changes;
      // its papers may go in a later digest
      if (failed) this.st('DELETE FROM sent_papers WHERE outbox_key = ?').run(key);
    });
  }

  async messagesOf(subscriptionId: string): Promise<OutboxMessage[]> {
    const rows = this.st('SELECT * FROM digest_outbox WHERE subscription_id = ? ORDER BY period DESC').all(subscriptionId) as Row[];
    return rows.map(rowToMessage);
  }

  async outboxCounts(): Promise<Record<OutboxStatus, number>> {
    const counts = EMPTY_COUNTS();
    for (const r of this.st('SELECT status, COUNT(*) AS n FROM digest_outbox GROUP BY status').all() as { status: OutboxStatus; n: number }[])
      counts[r.status] = r.n;
    return counts;
  }
}

const STALE = `SELECT key FROM digest_outbox WHERE status = 'sending' AND claimed_until <= ? ORDER BY claimed_until, key`;
const QUEUED = `SELECT key FROM digest_outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, key`;

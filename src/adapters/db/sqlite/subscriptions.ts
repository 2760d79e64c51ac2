/** The SQLite store's readers' subscriptions and address marks (issue 11, decision 016). */
import type { AddressMark, AddressState, Frequency, NewSubscription, Subscription, SubscriptionChanges, Subscriptions } from '../../../ports/subscriptions.js';
import { addressState, duplicateSubscription, rowToSubscription, SUPPRESSING } from '../inbox-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteSubscriptions extends SqliteInboxPart implements Subscriptions {
  async requestSubscription(input: NewSubscription): Promise<{ subscription: Subscription; created: boolean }> {
    const topics = JSON.stringify(input.topics);
    return this.write(() => {
      // the partial unique index (email, frequency, topics) of live subscriptions decides
      const inserted = this.st(
        `INSERT INTO subscriptions (id, email, frequency, topics, status, created_at, confirmed_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, NULL, ?) ON CONFLICT DO NOTHING RETURNING *`,
      ).get(input.id, input.email, input.frequency, topics, input.now, input.now) as Row | undefined;
      if (inserted) return { subscription: rowToSubscription(inserted), created: true };
      const existing = this.st(
        `SELECT * FROM subscriptions WHERE email = ? AND frequency = ? AND topics = ? AND status <> 'unsubscribed'`,
      ).get(input.email, input.frequency, topics) as Row | undefined;
      if (!existing) throw new Error(`subscription ${input.id}: not inserted and no live one matches (is the id taken?)`);
      return { subscription: rowToSubscription(existing), created: false };
    });
  }

  async subscription(id: string): Promise<Subscription | null> {
    const r = this.st('SELECT * FROM subscriptions WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToSubscription(r) : null;
  }

  async subscriptionsOf(email: string): Promise<Subscription[]> {
    const rows = this.st('SELECT * FROM subscriptions WHERE email = ? ORDER BY created_at, id').all(email) as Row[];
    return rows.map(rowToSubscription);
  }

  async confirm(id: string, now: string): Promise<Subscription | null> {
    return this.write(() => {
      this.st(`UPDATE subscriptions SET status = 'active', confirmed_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`).run(now, now, id);
      const r = this.st(`SELECT * FROM subscriptions WHERE id = ? AND status <> 'unsubscribed'`).get(id) as Row | undefined;
      return r ? rowToSubscription(r) : null;
    });
  }

  async update(id: string, changes: SubscriptionChanges, now: string): Promise<Subscription | null> {
    const topics = changes.topics === undefined ? null : JSON.stringify(changes.topics);
    try {
      return await this.write(() => {
        // a pending subscription made active or paused here counts as confirmed now
        const r = this.st(
          `UPDATE subscriptions SET frequency = COALESCE(?, frequency), topics = COALESCE(?, topics),
             confirmed_at = CASE WHEN ? IN ('active', 'paused') THEN COALESCE(confirmed_at, ?) ELSE confirmed_at END,
             status = COALESCE(?, status), updated_at = ?
           WHERE id = ? RETURNING *`,
        ).get(changes.frequency ?? null, topics, changes.status ?? null, now, changes.status ?? null, now, id) as Row | undefined;
        return r ? rowToSubscription(r) : null;
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw duplicateSubscription(id, e);
      throw e;
    }
  }

  async remove(id: string): Promise<boolean> {
    // its outbox rows go with it (ON DELETE CASCADE), their sent papers first
    return this.write(() => {
      this.st('DELETE FROM sent_papers WHERE outbox_key IN (SELECT key FROM digest_outbox WHERE subscription_id = ?)').run(id);
      return this.st('DELETE FROM subscriptions WHERE id = ?').run(id).changes === 1;
    });
  }

  async expirePending(before: string): Promise<number> {
    return this.write(() => this.st(`DELETE FROM subscriptions WHERE status = 'pending' AND created_at < ?`).run(before).changes);
  }

  async takeAddressBudget(email: string, now: string, max: number, windowMs: number): Promise<boolean> {
    const ended = new Date(Date.parse(now) - windowMs).toISOString();
    return this.write(() => {
      // the right-hand sides read the row as it was: a window that has ended starts again at 1
      const r = this.st(
        `INSERT INTO address_budgets (email, window_start, taken) VALUES (?, ?, 1)
         ON CONFLICT (email) DO UPDATE SET
           taken = CASE WHEN address_budgets.window_start <= ? THEN 1 ELSE address_budgets.taken + 1 END,
           window_start = CASE WHEN address_budgets.window_start <= ? THEN excluded.window_start ELSE address_budgets.window_start END
         RETURNING taken`,
      ).get(email, now, ended, ended) as { taken: number };
      return r.taken <= max;
    });
  }

  async pruneAddressBudgets(before: string): Promise<number> {
    return this.write(() => this.st('DELETE FROM address_budgets WHERE window_start < ?').run(before).changes);
  }

  async activeSubscriptions(frequency: Frequency, afterId: string, limit: number): Promise<Subscription[]> {
    const rows = this.st(
      `SELECT s.* FROM subscriptions s
       WHERE s.frequency = ? AND s.status = 'active' AND s.id > ?
         AND NOT EXISTS (SELECT 1 FROM address_marks m WHERE m.email = s.email AND m.kind <> 'soft-bounce')
       ORDER BY s.id LIMIT ?`,
    ).all(frequency, afterId, limit) as Row[];
    return rows.map(rowToSubscription);
  }

  async allSubscriptions(afterId: string, limit: number): Promise<Subscription[]> {
    const rows = this.st('SELECT * FROM subscriptions WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as Row[];
    return rows.map(rowToSubscription);
  }

  async markAddress(email: string, kind: AddressMark, detail: string, now: string): Promise<AddressState> {
    return this.write(() => {
      this.st('INSERT INTO address_marks (email, kind, at, detail) VALUES (?, ?, ?, ?)').run(email, kind, now, detail);
      if (SUPPRESSING.has(kind)) {
        // what is queued for it will never go: failed, its papers given back
        const keys = this.st(`SELECT key FROM digest_outbox WHERE email = ? AND status = 'queued'`).pluck().all(email) as string[];
        for (const key of keys) {
          this.st(`UPDATE digest_outbox SET status = 'failed', last_error = ? WHERE key = ?`).run(`address suppressed: ${kind}`, key);
          this.st('DELETE FROM sent_papers WHERE outbox_key = ?').run(key);
        }
      }
      return this.state(email);
    });
  }

  async addressState(email: string): Promise<AddressState> {
    return this.state(email);
  }

  private state(email: string): AddressState {
    return addressState(email, this.st('SELECT kind, at, detail FROM address_marks WHERE email = ? ORDER BY at DESC, id DESC').all(email) as Row[]);
  }
}

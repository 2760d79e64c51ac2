/** The PostgreSQL store's readers' subscriptions and address marks (issue 11, decision 016). */
import type { AddressMark, AddressState, Frequency, NewSubscription, Subscription, SubscriptionChanges, Subscriptions } from '../../../ports/subscriptions.js';
import { addressState, duplicateSubscription, rowToSubscription, SUPPRESSING } from '../inbox-rows.js';
import type { PgQuery } from '../pg-client.js';
import { PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

/** unique_violation */
const UNIQUE_VIOLATION = '23505';

export class PostgresSubscriptions extends PostgresPart implements Subscriptions {
  async requestSubscription(input: NewSubscription): Promise<{ subscription: Subscription; created: boolean }> {
    const topics = JSON.stringify(input.topics);
    // a concurrent insert of the same live subscription makes ours wait for it, then do nothing;
    // the select that follows sees it committed. It can only miss if that one was unsubscribed or
    // removed in between: then a new one is asked for again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.db.query<Row>(
        `INSERT INTO subscriptions (id, email, frequency, topics, status, created_at, confirmed_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, 'pending', $5, NULL, $5)
         ON CONFLICT (email, frequency, md5(topics::text)) WHERE status <> 'unsubscribed' DO NOTHING RETURNING *`,
        [input.id, input.email, input.frequency, topics, input.now],
      );
      if (inserted[0]) return { subscription: rowToSubscription(inserted[0]), created: true };
      const existing = await this.db.query<Row>(
        `SELECT * FROM subscriptions WHERE email = $1 AND frequency = $2 AND md5(topics::text) = md5($3::jsonb::text)
           AND topics = $3::jsonb AND status <> 'unsubscribed'`,
        [input.email, input.frequency, topics],
      );
      if (existing[0]) return { subscription: rowToSubscription(existing[0]), created: false };
    }
    throw new Error(`subscription ${input.id}: neither inserted nor found after 3 tries`);
  }

  async subscription(id: string): Promise<Subscription | null> {
    const rows = await this.db.query<Row>('SELECT * FROM subscriptions WHERE id = $1', [id], 'subscription_by_id');
    return rows[0] ? rowToSubscription(rows[0]) : null;
  }

  async subscriptionsOf(email: string): Promise<Subscription[]> {
    const rows = await this.db.query<Row>('SELECT * FROM subscriptions WHERE email = $1 ORDER BY created_at, id', [email]);
    return rows.map(rowToSubscription);
  }

  async confirm(id: string, now: string): Promise<Subscription | null> {
    // one statement: the row as it is after confirming, or as it was when there was nothing to do
    const rows = await this.db.query<Row>(
      `WITH confirmed AS (
         UPDATE subscriptions SET status = 'active', confirmed_at = $2, updated_at = $2
         WHERE id = $1 AND status = 'pending' RETURNING *)
       SELECT * FROM confirmed
       UNION ALL SELECT * FROM subscriptions WHERE id = $1 AND status IN ('active', 'paused') AND NOT EXISTS (SELECT 1 FROM confirmed)`,
      [id, now],
    );
    return rows[0] ? rowToSubscription(rows[0]) : null;
  }

  async update(id: string, changes: SubscriptionChanges, now: string): Promise<Subscription | null> {
    const topics = changes.topics === undefined ? null : JSON.stringify(changes.topics);
    try {
      // a pending subscription made active or paused here counts as confirmed now
      const rows = await this.db.query<Row>(
        `UPDATE subscriptions SET frequency = COALESCE($1, frequency), topics = COALESCE($2::jsonb, topics),
           confirmed_at = CASE WHEN $3::text IN ('active', 'paused') THEN COALESCE(confirmed_at, $4::timestamptz) ELSE confirmed_at END,
           status = COALESCE($3::text, status), updated_at = $4::timestamptz
         WHERE id = $5 RETURNING *`,
        [changes.frequency ?? null, topics, changes.status ?? null, now, id],
      );
      return rows[0] ? rowToSubscription(rows[0]) : null;
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw duplicateSubscription(id, e);
      throw e;
    }
  }

  async remove(id: string): Promise<boolean> {
    return this.db.transaction(async (q) => {
      // the lock waits for a reservation of this subscription in flight (it holds the row for its
      // foreign key), so that the statements after it, each with a fresh snapshot, see its rows
      const found = await q.query('SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE', [id]);
      if (found.length === 0) return false;
      await q.query('DELETE FROM sent_papers WHERE outbox_key IN (SELECT key FROM digest_outbox WHERE subscription_id = $1)', [id]);
      // its outbox rows go with it (ON DELETE CASCADE)
      await q.query('DELETE FROM subscriptions WHERE id = $1', [id]);
      return true;
    });
  }

  async expirePending(before: string): Promise<number> {
    const rows = await this.db.query(`DELETE FROM subscriptions WHERE status = 'pending' AND created_at < $1 RETURNING id`, [before]);
    return rows.length;
  }

  async takeAddressBudget(email: string, now: string, max: number, windowMs: number): Promise<boolean> {
    const ended = new Date(Date.parse(now) - windowMs).toISOString();
    // one statement: the conflicting row is locked, so concurrent takes (any node) count in turn;
    // the right-hand sides read the row as it was: a window that has ended starts again at 1
    const rows = await this.db.query<{ taken: number }>(
      `INSERT INTO address_budgets (email, window_start, taken) VALUES ($1, $2, 1)
       ON CONFLICT (email) DO UPDATE SET
         taken = CASE WHEN address_budgets.window_start <= $3 THEN 1 ELSE address_budgets.taken + 1 END,
         window_start = CASE WHEN address_budgets.window_start <= $3 THEN excluded.window_start ELSE address_budgets.window_start END
       RETURNING taken`,
      [email, now, ended],
    );
    return rows[0]!.taken <= max;
  }

  async pruneAddressBudgets(before: string): Promise<number> {
    return (await this.db.query('DELETE FROM address_budgets WHERE window_start < $1 RETURNING email', [before])).length;
  }

  async activeSubscriptions(frequency: Frequency, afterId: string, limit: number): Promise<Subscription[]> {
    const rows = await this.db.query<Row>(
      `SELECT s.* FROM subscriptions s
       WHERE s.frequency = $1 AND s.status = 'active' AND s.id > $2
         AND NOT EXISTS (SELECT 1 FROM address_marks m WHERE m.email = s.email AND m.kind <> 'soft-bounce')
       ORDER BY s.id LIMIT $3`,
      [frequency, afterId, limit],
      'active_subscriptions',
    );
    return rows.map(rowToSubscription);
  }

  async allSubscriptions(afterId: string, limit: number): Promise<Subscription[]> {
    const rows = await this.db.query<Row>('SELECT * FROM subscriptions WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit]);
    return rows.map(rowToSubscription);
  }

  async markAddress(email: string, kind: AddressMark, detail: string, now: string): Promise<AddressState> {
    return this.db.transaction(async (q) => {
      await q.query('INSERT INTO address_marks (email, kind, at, detail) VALUES ($1, $2, $3, $4)', [email, kind, now, detail]);
      if (SUPPRESSING.has(kind))
        // what is queued for it will never go: failed, its papers given back
        await q.query(
          `WITH failed AS (
             UPDATE digest_outbox SET status = 'failed', last_error = $2 WHERE email = $1 AND status = 'queued' RETURNING key)
           DELETE FROM sent_papers WHERE outbox_key IN (SELECT key FROM failed)`,
          [email, `address suppressed: ${kind}`],
        );
      return state(q, email);
    });
  }

  async addressState(email: string): Promise<AddressState> {
    return state(this.db, email);
  }
}

async function state(q: PgQuery, email: string): Promise<AddressState> {
  return addressState(email, await q.query<Row>('SELECT kind, at, detail FROM address_marks WHERE email = $1 ORDER BY at DESC, id DESC', [email]));
}

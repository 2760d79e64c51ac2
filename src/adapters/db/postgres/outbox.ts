/**
 * The PostgreSQL store's digest outbox (issue 11, decision 016). Several senders on several
 * nodes claim with FOR UPDATE SKIP LOCKED, so none waits for another and none gets a message
 * another holds. A batch of reservations is a handful of statements over arrays (unnest), not a
 * round trip per paper; the primary key of sent_papers has the last word on a paper an
 * address already has, even against another node reserving at the same moment.
 */
import type { DigestItem, DigestOutbox, DigestReservation, OutboxMessage, OutboxStatus } from '../../../ports/digest-outbox.js';
import { byDue, distinctItems, EMPTY_COUNTS, isoPlus, outboxKey, rowToMessage } from '../inbox-rows.js';
import type { PgQuery } from '../pg-client.js';
import { PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

interface Planned {
  key: string;
  r: DigestReservation;
  items: DigestItem[];
}

const pair = (email: string, paperId: string): string => `${email}\n${paperId}`;

export class PostgresOutbox extends PostgresPart implements DigestOutbox {
  async alreadySent(email: string, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db.query<{ paper_id: string }>(
      'SELECT paper_id FROM sent_papers WHERE email = $1 AND paper_id = ANY($2::text[])',
      [email, [...paperIds]],
      'already_sent',
    );
    return new Set(rows.map((r) => r.paper_id));
  }

  async hasMessage(subscriptionId: string, period: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM digest_outbox WHERE key = $1', [outboxKey(subscriptionId, period)]);
    return rows.length > 0;
  }

  async reserve(reservations: readonly DigestReservation[]): Promise<string[]> {
    if (reservations.length === 0) return [];
    return this.db.transaction(async (q) => {
      const planned = await plan(q, reservations);
      if (planned.length === 0) return [];
      // keys in order, papers in order: two nodes reserving at once take row locks in the same order
      const sorted = [...planned].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const col = <T>(f: (p: Planned) => T) => sorted.map(f);
      const insertedKeys = await q.query<{ key: string }>(
        `INSERT INTO digest_outbox (key, subscription_id, email, period, message_id, items, status, attempts, next_attempt_at, created_at)
         SELECT u.key, u.sid, u.email, u.period, u.mid, u.items::jsonb, 'queued', 0, u.at, u.at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
              AS u(key, sid, email, period, mid, items, at)
         ORDER BY u.key
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [
          col((p) => p.key),
          col((p) => p.r.subscriptionId),
          col((p) => p.r.email),
          col((p) => p.r.period),
          col((p) => p.r.messageId),
          col((p) => JSON.stringify(p.items)),
          col((p) => p.r.now),
        ],
      );
      const ours = new Set(insertedKeys.map((r) => r.key));
      const mine = sorted.filter((p) => ours.has(p.key));
      const papers = mine.flatMap((p) => p.items.map((i) => ({ email: p.r.email, paperId: i.paperId, key: p.key })));
      papers.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : 0));
      const got = await q.query<{ email: string; paper_id: string }>(
        `INSERT INTO sent_papers (email, paper_id, outbox_key)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ORDER BY 1, 2
         ON CONFLICT (email, paper_id) DO NOTHING RETURNING email, paper_id`,
        [papers.map((p) => p.email), papers.map((p) => p.paperId), papers.map((p) => p.key)],
      );
      await dropTakenElsewhere(q, mine, new Set(got.map((g) => pair(g.email, g.paper_id))));
      const kept = new Set(mine.map((p) => p.key));
      return planned.filter((p) => kept.has(p.key)).map((p) => p.key);
    });
  }

  async claimDue(now: string, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const rows = await this.db.query<Row>(
      `UPDATE digest_outbox o SET status = 'sending', claimed_until = $2, attempts = o.attempts + 1
       FROM (SELECT key FROM digest_outbox
             WHERE (status = 'queued' AND next_attempt_at <= $1) OR (status = 'sending' AND claimed_until <= $1)
             ORDER BY next_attempt_at, key LIMIT $3
             FOR UPDATE SKIP LOCKED) due
       WHERE o.key = due.key
       RETURNING o.*`,
      [now, isoPlus(now, leaseMs), limit],
      'claim_due',
    );
    return rows.map(rowToMessage).sort(byDue);
  }

  async markSent(key: string, now: string): Promise<void> {
    await this.db.query(
      `UPDATE digest_outbox SET status = 'sent', sent_at = $2, claimed_until = NULL, last_error = NULL WHERE key = $1`,
      [key, now],
      'mark_sent',
    );
  }

  async markRetry(key: string, error: string, nextAttemptAt: string): Promise<void> {
    // a message another sender already got accepted stays sent
    await this.db.query(
      `UPDATE digest_outbox SET status = 'queued', last_error = $2, next_attempt_at = $3, claimed_until = NULL
       WHERE key = $1 AND status <> 'sent'`,
      [key, error, nextAttemptAt],
    );
  }

  async markFailed(key: string, error: string, now: string): Promise<void> {
    // its papers may go in a later digest
    await this.db.query(
      `WITH failed AS (
         UPDATE digest_outbox SET status = 'failed', last_error = $2, claimed_until = NULL, next_attempt_at = $3
         WHERE key = $1 AND status <> 'sent' RETURNING key)
       DELETE FROM sent_papers WHERE outbox_key IN (SELECT key FROM failed)`,
      [key, error, now],
    );
  }

  async messagesOf(subscriptionId: string): Promise<OutboxMessage[]> {
    const rows = await this.db.query<Row>('SELECT * FROM digest_outbox WHERE subscription_id = $1 ORDER BY period DESC', [subscriptionId]);
    return rows.map(rowToMessage);
  }

  async outboxCounts(): Promise<Record<OutboxStatus, number>> {
    const counts = EMPTY_COUNTS();
    for (const r of await this.db.query<{ status: OutboxStatus; n: number }>('SELECT status, COUNT(*) AS n FROM digest_outbox GROUP BY status'))
      counts[r.status] = r.n;
    return counts;
  }
}

/**
 * What each reservation would insert, in order, by what the database holds now: keys free,
 * subscriptions there, papers not yet sent to the address (nor to an earlier reservation here).
 */
async function plan(q: PgQuery, reservations: readonly DigestReservation[]): Promise<Planned[]> {
  const keys = reservations.map((r) => outboxKey(r.subscriptionId, r.period));
  const pairs = new Map<string, { email: string; paperId: string }>();
  for (const r of reservations) for (const i of r.items) pairs.set(pair(r.email, i.paperId), { email: r.email, paperId: i.paperId });
  const list = [...pairs.values()];
  const taken = await q.query<{ key: string }>('SELECT key FROM digest_outbox WHERE key = ANY($1::text[])', [keys]);
  const subscribed = await q.query<{ id: string }>('SELECT id FROM subscriptions WHERE id = ANY($1::text[])', [
    [...new Set(reservations.map((r) => r.subscriptionId))],
  ]);
  const sentRows = await q.query<{ email: string; paper_id: string }>(
    `SELECT s.email, s.paper_id FROM sent_papers s
     JOIN unnest($1::text[], $2::text[]) AS u(email, paper_id) ON s.email = u.email AND s.paper_id = u.paper_id`,
    [list.map((p) => p.email), list.map((p) => p.paperId)],
  );
  const busy = new Set(taken.map((t) => t.key));
  const subs = new Set(subscribed.map((s) => s.id));
  const sent = new Set(sentRows.map((s) => pair(s.email, s.paper_id)));
  const planned: Planned[] = [];
  reservations.forEach((r, n) => {
    const key = keys[n]!;
    if (busy.has(key) || !subs.has(r.subscriptionId)) return;
    const items = distinctItems(r.items).filter((i) => !sent.has(pair(r.email, i.paperId)));
    if (items.length === 0) return;
    busy.add(key);
    for (const i of items) sent.add(pair(r.email, i.paperId));
    planned.push({ key, r, items });
  });
  return planned;
}

/**
 * Papers another transaction recorded for the same address between plan() and the insert (a
 * race between nodes; rare): they leave this message, and a message left with none goes (its
 * sent papers with it). `got` holds the pairs this transaction recorded.
 */
async function dropTakenElsewhere(q: PgQuery, mine: Planned[], got: Set<string>): Promise<void> {
  for (const p of mine) {
    const items = p.items.filter((i) => got.has(pair(p.r.email, i.paperId)));
    if (items.length === p.items.length) continue;
    if (items.length === 0) await q.query('DELETE FROM digest_outbox WHERE key = $1', [p.key]);
    else await q.query('UPDATE digest_outbox SET items = $2::jsonb WHERE key = $1', [p.key, JSON.stringify(items)]);
    p.items = items;
  }
  mine.splice(0, mine.length, ...mine.filter((p) => p.items.length > 0));
}

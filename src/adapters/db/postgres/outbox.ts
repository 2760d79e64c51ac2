/**
 * The PostgreSQL store's digest outbox (issue 11, decision 016). Several senders on several
 * nodes claim with FOR UPDATE SKIP LOCKED, so none waits for another and none gets a message
 * another holds. A batch of reservations is four statements over arrays (unnest), not a round
 * trip per paper; the primary key of sent_papers has the last word on a paper an address
 * already has, even against another node reserving at the same moment.
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
      // the papers first: the primary key says which are new to their address (another node
      // reserving the same ones at once waits for this one, then gets none of them); rows in
      // key order, so that two such transactions take their locks in the same order
      const pairs = planned.flatMap((p) => p.items.map((i) => [p.r.email, i.paperId, p.key] as const));
      const got = await q.query<{ email: string; paper_id: string }>(
        `INSERT INTO sent_papers (email, paper_id, outbox_key)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ORDER BY 1, 2
         ON CONFLICT (email, paper_id) DO NOTHING RETURNING email, paper_id`,
        [pairs.map((x) => x[0]), pairs.map((x) => x[1]), pairs.map((x) => x[2])],
      );
      const recorded = new Set(got.map((g) => pair(g.email, g.paper_id)));
      for (const p of planned) p.items = p.items.filter((i) => recorded.has(pair(p.r.email, i.paperId)));
      const messages = planned.filter((p) => p.items.length > 0);
      const col = <T>(f: (p: Planned) => T) => messages.map(f);
      const inserted = await q.query<{ key: string }>(
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
      const ours = new Set(inserted.map((r) => r.key));
      await giveBack(q, messages.filter((p) => !ours.has(p.key)));
      return messages.filter((p) => ours.has(p.key)).map((p) => p.key);
    });
  }

  async claimDue(now: string, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const until = isoPlus(now, leaseMs);
    // a dead sender's messages first (they were due before), then the queued ones: two index
    // ranges, where one OR would read the whole table at every claim
    const claim = async (due: string, n: number) =>
      (
        await this.db.query<Row>(
          `UPDATE digest_outbox o SET status = 'sending', claimed_until = $2, attempts = o.attempts + 1
           FROM (${due} LIMIT $3 FOR UPDATE SKIP LOCKED) due
           WHERE o.key = due.key
           RETURNING o.*`,
          [now, until, n],
        )
      )
        .map(rowToMessage)
        .sort(byDue);
    const stale = await claim(STALE, limit);
    return stale.length < limit ? [...stale, ...(await claim(QUEUED, limit - stale.length))] : stale;
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

const STALE = `SELECT key FROM digest_outbox WHERE status = 'sending' AND claimed_until <= $1 ORDER BY claimed_until, key`;
const QUEUED = `SELECT key FROM digest_outbox WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at, key`;

/**
 * What each reservation would insert, in order, by what the database holds now: keys free,
 * subscriptions there, and each paper once per address in this call (the first reservation
 * that names it has it). Papers sent before are found by the insert into sent_papers.
 */
async function plan(q: PgQuery, reservations: readonly DigestReservation[]): Promise<Planned[]> {
  const keys = reservations.map((r) => outboxKey(r.subscriptionId, r.period));
  const taken = await q.query<{ key: string }>('SELECT key FROM digest_outbox WHERE key = ANY($1::text[])', [keys]);
  const subscribed = await q.query<{ id: string }>('SELECT id FROM subscriptions WHERE id = ANY($1::text[])', [
    [...new Set(reservations.map((r) => r.subscriptionId))],
  ]);
  const busy = new Set(taken.map((t) => t.key));
  const subs = new Set(subscribed.map((s) => s.id));
  const named = new Set<string>();
  const planned: Planned[] = [];
  reservations.forEach((r, n) => {
    const key = keys[n]!;
    if (busy.has(key) || !subs.has(r.subscriptionId)) return;
    const items = distinctItems(r.items).filter((i) => !named.has(pair(r.email, i.paperId)));
    if (items.length === 0) return;
    busy.add(key);
    for (const i of items) named.add(pair(r.email, i.paperId));
    planned.push({ key, r, items });
  });
  return planned;
}

/**
 * Messages whose key another node reserved between plan() and the insert (rare): the papers
 * this transaction recorded for them are not theirs to keep.
 */
async function giveBack(q: PgQuery, lost: Planned[]): Promise<void> {
  if (lost.length === 0) return;
  const pairs = lost.flatMap((p) => p.items.map((i) => [p.r.email, i.paperId, p.key] as const));
  await q.query(
    `DELETE FROM sent_papers s USING unnest($1::text[], $2::text[], $3::text[]) AS u(email, paper_id, key)
     WHERE s.email = u.email AND s.paper_id = u.paper_id AND s.outbox_key = u.key`,
    [pairs.map((x) => x[0]), pairs.map((x) => x[1]), pairs.map((x) => x[2])],
  );
}

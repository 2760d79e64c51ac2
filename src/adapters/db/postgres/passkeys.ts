/** The PostgreSQL store's passkeys and their ceremonies' challenges (ports/passkeys.ts, decision 034). */
import type { Passkey, PasskeyCeremony, PasskeyChallenge, Passkeys } from '../../../ports/passkeys.js';
import { rowToPasskey } from '../passkey-rows.js';
import { lockAccount } from './account-lock.js';
import { PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

export class PostgresPasskeys extends PostgresPart implements Passkeys {
  async addPasskey(p: Passkey, max?: number): Promise<boolean | null> {
    return this.db.transaction(async (q) => {
      if (max !== undefined) {
        await lockAccount(q, p.accountId); // another registration of this account waits here, then counts this one
        const [r] = await q.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM passkeys WHERE account_id = $1', [p.accountId]);
        if (Number(r!.n) >= max) return null;
      }
      const rows = await q.query<Row>(
        `INSERT INTO passkeys (id, account_id, public_key, counter, transports, name, created_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [p.id, p.accountId, p.publicKey, p.counter, JSON.stringify(p.transports), p.name, p.createdAt, p.lastUsedAt],
      );
      return rows.length === 1;
    });
  }

  async passkey(id: string): Promise<Passkey | null> {
    const rows = await this.db.query<Row>('SELECT * FROM passkeys WHERE id = $1', [id]);
    return rows[0] ? rowToPasskey(rows[0]) : null;
  }

  async passkeysOf(accountId: string): Promise<Passkey[]> {
    return (await this.db.query<Row>('SELECT * FROM passkeys WHERE account_id = $1 ORDER BY created_at, id', [accountId])).map(rowToPasskey);
  }

  async recordPasskeyUse(id: string, counter: number, now: string): Promise<boolean> {
    // the row lock makes a concurrent use wait, then re-check the counter it raised
    const rows = await this.db.query<Row>(
      'UPDATE passkeys SET counter = $2, last_used_at = $3 WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0)) RETURNING id',
      [id, counter, now],
    );
    return rows.length === 1;
  }

  async renamePasskey(accountId: string, id: string, name: string): Promise<boolean> {
    return (await this.db.query<Row>('UPDATE passkeys SET name = $3 WHERE account_id = $1 AND id = $2 RETURNING id', [accountId, id, name])).length === 1;
  }

  async deletePasskey(accountId: string, id: string): Promise<boolean> {
    return (await this.db.query<Row>('DELETE FROM passkeys WHERE account_id = $1 AND id = $2 RETURNING id', [accountId, id])).length === 1;
  }

  async saveChallenge(c: PasskeyChallenge): Promise<void> {
    await this.db.query('INSERT INTO passkey_challenges (hash, ceremony, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      c.hash,
      c.ceremony,
      c.accountId,
      c.createdAt,
      c.expiresAt,
    ]);
  }

  async takeChallenge(hash: string, ceremony: PasskeyCeremony, now: string): Promise<{ accountId: string | null } | undefined> {
    // gone whatever it was: a challenge is tried once; a concurrent take waits on the row lock and finds it deleted
    const rows = await this.db.query<Row>('DELETE FROM passkey_challenges WHERE hash = $1 RETURNING ceremony, account_id, expires_at > $2 AS live', [hash, now]);
    const r = rows[0];
    if (!r || r.ceremony !== ceremony || r.live !== true) return undefined;
    return { accountId: r.account_id === null ? null : String(r.account_id) };
  }

  async pruneChallenges(before: string): Promise<number> {
    return (await this.db.query<Row>('DELETE FROM passkey_challenges WHERE expires_at < $1 RETURNING hash', [before])).length;
  }
}

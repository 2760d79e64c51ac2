/** The SQLite store's passkeys and their ceremonies' challenges (ports/passkeys.ts, decision 034). */
import type { Passkey, PasskeyCeremony, PasskeyChallenge, Passkeys } from '../../../ports/passkeys.js';
import { rowToPasskey } from '../passkey-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqlitePasskeys extends SqliteInboxPart implements Passkeys {
  async addPasskey(p: Passkey, max?: number): Promise<boolean | null> {
    return this.write(() => {
      // counted inside the IMMEDIATE transaction: no other write to the file comes between
      if (max !== undefined && Number(this.st('SELECT COUNT(*) FROM passkeys WHERE account_id = ?').pluck().get(p.accountId)) >= max) return null;
      return (
        this.st(
          `INSERT INTO passkeys (id, account_id, public_key, counter, transports, name, created_at, last_used_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        ).run(p.id, p.accountId, p.publicKey, p.counter, JSON.stringify(p.transports), p.name, p.createdAt, p.lastUsedAt).changes === 1
      );
    });
  }

  async passkey(id: string): Promise<Passkey | null> {
    const r = this.st('SELECT * FROM passkeys WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToPasskey(r) : null;
  }

  async passkeysOf(accountId: string): Promise<Passkey[]> {
    return (this.st('SELECT * FROM passkeys WHERE account_id = ? ORDER BY created_at, id').all(accountId) as Row[]).map(rowToPasskey);
  }

  async recordPasskeyUse(id: string, counter: number, now: string): Promise<boolean> {
    return this.write(
      () => this.st('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ? AND (counter < ? OR (counter = 0 AND ? = 0))').run(counter, now, id, counter, counter).changes === 1,
    );
  }

  async renamePasskey(accountId: string, id: string, name: string): Promise<boolean> {
    return this.write(() => this.st('UPDATE passkeys SET name = ? WHERE account_id = ? AND id = ?').run(name, accountId, id).changes === 1);
  }

  async deletePasskey(accountId: string, id: string): Promise<boolean> {
    return this.write(() => this.st('DELETE FROM passkeys WHERE account_id = ? AND id = ?').run(accountId, id).changes === 1);
  }

  async saveChallenge(c: PasskeyChallenge): Promise<void> {
    await this.write(() =>
      this.st('INSERT INTO passkey_challenges (hash, ceremony, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(c.hash, c.ceremony, c.accountId, c.createdAt, c.expiresAt),
    );
  }

  async takeChallenge(hash: string, ceremony: PasskeyCeremony, now: string): Promise<{ accountId: string | null } | undefined> {
    return this.write(() => {
      // gone whatever it was: a challenge is tried once
      const r = this.st('DELETE FROM passkey_challenges WHERE hash = ? RETURNING ceremony, account_id, expires_at').get(hash) as Row | undefined;
      if (!r || r.ceremony !== ceremony || String(r.expires_at) <= now) return undefined;
      return { accountId: r.account_id === null ? null : String(r.account_id) };
    });
  }

  async pruneChallenges(before: string): Promise<number> {
    return this.write(() => this.st('DELETE FROM passkey_challenges WHERE expires_at < ?').run(before).changes);
  }
}

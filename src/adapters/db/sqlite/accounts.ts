/** The SQLite store's accounts, sign-in tokens, sessions and access tokens (issue 13, decision 027). */
import { emailKey, type Role } from '../../../core/accounts.js';
import type { AccessToken, AccessTokens } from '../../../ports/access-tokens.js';
import type { Account, Accounts, NewAccount } from '../../../ports/accounts.js';
import type { Sessions } from '../../../ports/sessions.js';
import type { SignInTokens } from '../../../ports/sign-in-tokens.js';
import { byHandle, handleKeys, rowToAccessToken, rowToAccount, rowToMember } from '../account-rows.js';
import type { Member, Members } from '../../../ports/members.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteAccounts extends SqliteInboxPart implements Accounts, Members {
  async ensureAccount(fresh: NewAccount): Promise<{ account: Account; created: boolean }> {
    return this.write(() => {
      // the unique email_key decides; the write lock makes a concurrent first sign-in find this one
      const inserted = this.st(
        `INSERT INTO accounts (id, email, email_key, display_name, role, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'reader', ?, ?) ON CONFLICT (email_key) DO NOTHING RETURNING *`,
      ).get(fresh.id, fresh.email, emailKey(fresh.email), fresh.displayName, fresh.now, fresh.now) as Row | undefined;
      if (inserted) return { account: rowToAccount(inserted), created: true };
      const existing = this.st('SELECT * FROM accounts WHERE email_key = ?').get(emailKey(fresh.email)) as Row | undefined;
      if (!existing) throw new Error(`account ${fresh.id}: not inserted and none has its address (is the id taken?)`);
      return { account: rowToAccount(existing), created: false };
    });
  }

  async account(id: string): Promise<Account | null> {
    const r = this.st('SELECT * FROM accounts WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToAccount(r) : null;
  }

  async membersByIds(ids: readonly string[]): Promise<Map<string, Member>> {
    if (ids.length === 0) return new Map();
    const rows = this.st('SELECT id, display_name, created_at FROM accounts WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...new Set(ids)])) as Row[];
    return new Map(rows.map((r) => [String(r.id), rowToMember(r)]));
  }

  async membersByHandles(handles: readonly string[]): Promise<Map<string, Member>> {
    const keys = handleKeys(handles);
    if (keys.length === 0) return new Map();
    const rows = this.st(
      `SELECT id, display_name, created_at, lower(replace(display_name, ' ', '_')) AS handle FROM accounts
       WHERE lower(replace(display_name, ' ', '_')) IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`,
    ).all(JSON.stringify(keys)) as Row[];
    return byHandle(rows);
  }

  async accountByEmail(email: string): Promise<Account | null> {
    const r = this.st('SELECT * FROM accounts WHERE email_key = ?').get(emailKey(email)) as Row | undefined;
    return r ? rowToAccount(r) : null;
  }

  async setDisplayName(id: string, displayName: string, now: string): Promise<Account | null> {
    return this.write(() => {
      const r = this.st('UPDATE accounts SET display_name = ?, updated_at = ? WHERE id = ? RETURNING *').get(displayName, now, id) as Row | undefined;
      return r ? rowToAccount(r) : null;
    });
  }

  async setRole(email: string, role: Role, now: string): Promise<Account | null> {
    return this.write(() => {
      const r = this.st('UPDATE accounts SET role = ?, updated_at = ? WHERE email_key = ? RETURNING *').get(role, now, emailKey(email)) as Row | undefined;
      return r ? rowToAccount(r) : null;
    });
  }

  async deleteAccount(id: string): Promise<boolean> {
    // its sessions go with it (ON DELETE CASCADE)
    return this.write(() => this.st('DELETE FROM accounts WHERE id = ?').run(id).changes === 1);
  }
}

export class SqliteSignInTokens extends SqliteInboxPart implements SignInTokens {
  async saveSignInToken(t: { hash: string; email: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.write(() => this.st('INSERT INTO sign_in_tokens (hash, email, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)').run(t.hash, t.email, t.createdAt, t.expiresAt));
  }

  async redeemSignInToken(hash: string, now: string): Promise<string | null> {
    return this.write(() => {
      const email = this.st('UPDATE sign_in_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING email').pluck().get(now, hash, now) as string | undefined;
      return email ?? null;
    });
  }

  async pruneSignInTokens(before: string): Promise<number> {
    return this.write(() => this.st('DELETE FROM sign_in_tokens WHERE expires_at < ?').run(before).changes);
  }
}

export class SqliteSessions extends SqliteInboxPart implements Sessions {
  async startSession(s: { hash: string; accountId: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.write(() => this.st('INSERT INTO sessions (hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(s.hash, s.accountId, s.createdAt, s.expiresAt));
  }

  async sessionAccount(hash: string, now: string): Promise<Account | null> {
    const r = this.st('SELECT a.* FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.hash = ? AND s.expires_at > ?').get(hash, now) as Row | undefined;
    return r ? rowToAccount(r) : null;
  }

  async endSession(hash: string): Promise<boolean> {
    return this.write(() => this.st('DELETE FROM sessions WHERE hash = ?').run(hash).changes === 1);
  }

  async endSessionsOf(accountId: string, keepHash: string | null): Promise<number> {
    return this.write(() => this.st('DELETE FROM sessions WHERE account_id = ? AND hash IS NOT ?').run(accountId, keepHash).changes);
  }

  async pruneSessions(before: string): Promise<number> {
    return this.write(() => this.st('DELETE FROM sessions WHERE expires_at < ?').run(before).changes);
  }
}

export class SqliteAccessTokens extends SqliteInboxPart implements AccessTokens {
  async createAccessToken(t: AccessToken & { hash: string }, max?: number): Promise<boolean> {
    return this.write(() => {
      // counted inside the IMMEDIATE transaction: no other write to the file comes between
      if (max !== undefined && Number(this.st('SELECT COUNT(*) FROM access_tokens WHERE account_id = ?').pluck().get(t.accountId)) >= max) return false;
      this.st('INSERT INTO access_tokens (id, account_id, name, hash, created_at) VALUES (?, ?, ?, ?, ?)').run(t.id, t.accountId, t.name, t.hash, t.createdAt);
      return true;
    });
  }

  async accessTokensOf(accountId: string): Promise<AccessToken[]> {
    return (this.st('SELECT * FROM access_tokens WHERE account_id = ? ORDER BY created_at, id').all(accountId) as Row[]).map(rowToAccessToken);
  }

  async revokeAccessToken(accountId: string, id: string): Promise<boolean> {
    return this.write(() => this.st('DELETE FROM access_tokens WHERE account_id = ? AND id = ?').run(accountId, id).changes === 1);
  }

  async accessTokenAccount(hash: string): Promise<Account | null> {
    const r = this.st('SELECT a.* FROM access_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = ?').get(hash) as Row | undefined;
    return r ? rowToAccount(r) : null;
  }
}

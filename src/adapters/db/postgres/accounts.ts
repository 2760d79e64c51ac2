/** The PostgreSQL store's accounts, sign-in tokens, sessions and access tokens (issue 13, decision 027). */
import { emailKey, type Role } from '../../../core/accounts.js';
import type { AccessToken, AccessTokens } from '../../../ports/access-tokens.js';
import type { Account, Accounts, NewAccount } from '../../../ports/accounts.js';
import type { Sessions } from '../../../ports/sessions.js';
import type { SignInTokens } from '../../../ports/sign-in-tokens.js';
import { byHandle, handleKeys, rowToAccessToken, rowToAccount, rowToMember } from '../account-rows.js';
import type { Member, Members } from '../../../ports/members.js';
import { lockAccount } from './account-lock.js';
import { PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

export class PostgresAccounts extends PostgresPart implements Accounts, Members {
  async ensureAccount(fresh: NewAccount): Promise<{ account: Account; created: boolean }> {
    // a concurrent first sign-in's insert makes ours wait for it, then do nothing; the select
    // after it (a statement of its own, so a new snapshot) sees it. It can only miss if that
    // account was deleted in between: then one is made again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.db.query<Row>(
        `INSERT INTO accounts (id, email, email_key, display_name, role, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'reader', $5, $5) ON CONFLICT (email_key) DO NOTHING RETURNING *`,
        [fresh.id, fresh.email, emailKey(fresh.email), fresh.displayName, fresh.now],
      );
      if (inserted[0]) return { account: rowToAccount(inserted[0]), created: true };
      const existing = await this.accountByEmail(fresh.email);
      if (existing) return { account: existing, created: false };
    }
    throw new Error(`account ${fresh.id}: neither inserted nor found after 3 tries`);
  }

  async account(id: string): Promise<Account | null> {
    const rows = await this.db.query<Row>('SELECT * FROM accounts WHERE id = $1', [id]);
    return rows[0] ? rowToAccount(rows[0]) : null;
  }

  async membersByIds(ids: readonly string[]): Promise<Map<string, Member>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<Row>('SELECT id, display_name, created_at FROM accounts WHERE id = ANY($1::text[])', [[...new Set(ids)]]);
    return new Map(rows.map((r) => [String(r.id), rowToMember(r)]));
  }

  async membersByHandles(handles: readonly string[]): Promise<Map<string, Member>> {
    const keys = handleKeys(handles);
    if (keys.length === 0) return new Map();
    const rows = await this.db.query<Row>(
      `SELECT id, display_name, created_at, lower(replace(display_name, ' ', '_')) AS handle FROM accounts
       WHERE lower(replace(display_name, ' ', '_')) = ANY($1::text[]) ORDER BY created_at, id`,
      [keys],
    );
    return byHandle(rows);
  }

  async accountByEmail(email: string): Promise<Account | null> {
    const rows = await this.db.query<Row>('SELECT * FROM accounts WHERE email_key = $1', [emailKey(email)]);
    return rows[0] ? rowToAccount(rows[0]) : null;
  }

  async setDisplayName(id: string, displayName: string, now: string): Promise<Account | null> {
    const rows = await this.db.query<Row>('UPDATE accounts SET display_name = $1, updated_at = $2 WHERE id = $3 RETURNING *', [displayName, now, id]);
    return rows[0] ? rowToAccount(rows[0]) : null;
  }

  async setRole(email: string, role: Role, now: string): Promise<Account | null> {
    const rows = await this.db.query<Row>('UPDATE accounts SET role = $1, updated_at = $2 WHERE email_key = $3 RETURNING *', [role, now, emailKey(email)]);
    return rows[0] ? rowToAccount(rows[0]) : null;
  }

  async deleteAccount(id: string): Promise<boolean> {
    // its sessions go with it (ON DELETE CASCADE)
    const rows = await this.db.query<Row>('DELETE FROM accounts WHERE id = $1 RETURNING id', [id]);
    return rows.length === 1;
  }
}

export class PostgresSignInTokens extends PostgresPart implements SignInTokens {
  async saveSignInToken(t: { hash: string; email: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.db.query('INSERT INTO sign_in_tokens (hash, email, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, NULL)', [t.hash, t.email, t.createdAt, t.expiresAt]);
  }

  async redeemSignInToken(hash: string, now: string): Promise<string | null> {
    // the row lock makes a concurrent redeem wait, re-check used_at, and find it set
    const rows = await this.db.query<{ email: string }>(
      'UPDATE sign_in_tokens SET used_at = $2 WHERE hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING email',
      [hash, now],
    );
    return rows[0]?.email ?? null;
  }

  async pruneSignInTokens(before: string): Promise<number> {
    const rows = await this.db.query<Row>('DELETE FROM sign_in_tokens WHERE expires_at < $1 RETURNING hash', [before]);
    return rows.length;
  }
}

export class PostgresSessions extends PostgresPart implements Sessions {
  async startSession(s: { hash: string; accountId: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.db.query('INSERT INTO sessions (hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [s.hash, s.accountId, s.createdAt, s.expiresAt]);
  }

  async sessionAccount(hash: string, now: string): Promise<Account | null> {
    const rows = await this.db.query<Row>(
      'SELECT a.* FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.hash = $1 AND s.expires_at > $2',
      [hash, now],
      'session_account',
    );
    return rows[0] ? rowToAccount(rows[0]) : null;
  }

  async endSession(hash: string): Promise<boolean> {
    const rows = await this.db.query<Row>('DELETE FROM sessions WHERE hash = $1 RETURNING hash', [hash]);
    return rows.length === 1;
  }

  async endSessionsOf(accountId: string, keepHash: string | null): Promise<number> {
    const rows = await this.db.query<Row>('DELETE FROM sessions WHERE account_id = $1 AND hash IS DISTINCT FROM $2 RETURNING hash', [accountId, keepHash]);
    return rows.length;
  }

  async pruneSessions(before: string): Promise<number> {
    const rows = await this.db.query<Row>('DELETE FROM sessions WHERE expires_at < $1 RETURNING hash', [before]);
    return rows.length;
  }
}

export class PostgresAccessTokens extends PostgresPart implements AccessTokens {
  async createAccessToken(t: AccessToken & { hash: string }, max?: number): Promise<boolean> {
    return this.db.transaction(async (q) => {
      if (max !== undefined) {
        await lockAccount(q, t.accountId); // another creation by this account waits here, then counts this one
        const [r] = await q.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM access_tokens WHERE account_id = $1', [t.accountId]);
        if (Number(r!.n) >= max) return false;
      }
      await q.query('INSERT INTO access_tokens (id, account_id, name, hash, created_at) VALUES ($1, $2, $3, $4, $5)', [t.id, t.accountId, t.name, t.hash, t.createdAt]);
      return true;
    });
  }

  async accessTokensOf(accountId: string): Promise<AccessToken[]> {
    return (await this.db.query<Row>('SELECT * FROM access_tokens WHERE account_id = $1 ORDER BY created_at, id', [accountId])).map(rowToAccessToken);
  }

  async revokeAccessToken(accountId: string, id: string): Promise<boolean> {
    return (await this.db.query<Row>('DELETE FROM access_tokens WHERE account_id = $1 AND id = $2 RETURNING id', [accountId, id])).length === 1;
  }

  async accessTokenAccount(hash: string): Promise<Account | null> {
    const rows = await this.db.query<Row>('SELECT a.* FROM access_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = $1', [hash], 'access_token_account');
    return rows[0] ? rowToAccount(rows[0]) : null;
  }
}

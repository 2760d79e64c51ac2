/**
 * Per-account caps on PostgreSQL (a submission quota, collections and passkeys an account may
 * hold): the count and the insert it allows must be one step on every node, or two requests at
 * once both pass the count. Both happen in one transaction after the account's row is locked.
 * FOR NO KEY UPDATE: the inserts' own foreign-key checks (FOR KEY SHARE) do not wait on it, only
 * another capped write of the same account does. SQLite needs none of this: its writes are
 * IMMEDIATE transactions, one at a time on the file.
 */
import type { PgQuery } from '../pg-client.js';

export async function lockAccount(q: PgQuery, accountId: string): Promise<void> {
  await q.query('SELECT 1 FROM accounts WHERE id = $1 FOR NO KEY UPDATE', [accountId]);
}

/**
 * Signed-in sessions (issue 13), kept in the database so that every web node knows them and
 * "sign out everywhere" is one delete. The cookie carries a random id; only its hash is kept
 * (core/accounts.ts secretHash), so a copy of the table opens no session.
 * Contract: test/contracts/sessions.contract.ts.
 */
import type { Account } from './accounts.js';

export interface Sessions {
  startSession(session: { hash: string; accountId: string; createdAt: string; expiresAt: string }): Promise<void>;
  /** The account of a session that exists and has not expired at `now`; null otherwise. */
  sessionAccount(hash: string, now: string): Promise<Account | null>;
  /** Ends one session; whether it existed. */
  endSession(hash: string): Promise<boolean>;
  /** Ends every session of an account but `keepHash` (null: all of them); how many. */
  endSessionsOf(accountId: string, keepHash: string | null): Promise<number>;
  /** Forgets sessions that expired before `before`; how many. */
  pruneSessions(before: string): Promise<number>;
}

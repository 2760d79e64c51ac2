/**
 * What both dialects share for accounts (issue 13): an accounts row as the port's Account, and
 * the three account ports of one database as one object (as inbox-rows.ts does for the inbox).
 */
import type { Role } from '../../core/accounts.js';
import type { AccessToken, AccessTokens } from '../../ports/access-tokens.js';
import type { Account, Accounts } from '../../ports/accounts.js';
import type { Member, Members } from '../../ports/members.js';
import type { AccountPorts } from '../../ports/paper-store.js';
import type { Sessions } from '../../ports/sessions.js';
import type { SignInTokens } from '../../ports/sign-in-tokens.js';

type Row = Record<string, unknown>;

export function rowToAccount(r: Row): Account {
  return {
    id: String(r.id),
    email: String(r.email),
    displayName: String(r.display_name),
    role: r.role as Role,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

export function rowToMember(r: Row): Member {
  return { id: String(r.id), displayName: String(r.display_name), createdAt: String(r.created_at) };
}

/** Rows ordered oldest account first, keyed by handle: the first of each handle wins. */
export function byHandle(rows: Row[]): Map<string, Member> {
  const out = new Map<string, Member>();
  for (const r of rows) {
    const key = String(r.handle);
    if (!out.has(key)) out.set(key, rowToMember(r));
  }
  return out;
}

/** The handles worth asking the database for: lower-cased, distinct, at most 50 (a comment mentioning more is a list, not a conversation). */
export function handleKeys(handles: readonly string[]): string[] {
  return [...new Set(handles.map((h) => h.toLowerCase()))].slice(0, 50);
}

export function rowToAccessToken(r: Row): AccessToken {
  return { id: String(r.id), accountId: String(r.account_id), name: String(r.name), createdAt: String(r.created_at) };
}

/** The account ports of one database as one object (each method delegates to its part). */
export function joinAccounts(a: Accounts & Members, t: SignInTokens, s: Sessions, p: AccessTokens): AccountPorts {
  return {
    ensureAccount: (fresh) => a.ensureAccount(fresh),
    account: (id) => a.account(id),
    accountByEmail: (email) => a.accountByEmail(email),
    setDisplayName: (id, name, now) => a.setDisplayName(id, name, now),
    setRole: (email, role, now) => a.setRole(email, role, now),
    deleteAccount: (id) => a.deleteAccount(id),
    membersByIds: (ids) => a.membersByIds(ids),
    membersByHandles: (handles) => a.membersByHandles(handles),
    saveSignInToken: (token) => t.saveSignInToken(token),
    redeemSignInToken: (hash, now) => t.redeemSignInToken(hash, now),
    pruneSignInTokens: (before) => t.pruneSignInTokens(before),
    startSession: (session) => s.startSession(session),
    sessionAccount: (hash, now) => s.sessionAccount(hash, now),
    endSession: (hash) => s.endSession(hash),
    endSessionsOf: (accountId, keep) => s.endSessionsOf(accountId, keep),
    pruneSessions: (before) => s.pruneSessions(before),
    createAccessToken: (token, max) => p.createAccessToken(token, max),
    accessTokensOf: (accountId) => p.accessTokensOf(accountId),
    revokeAccessToken: (accountId, id) => p.revokeAccessToken(accountId, id),
    accessTokenAccount: (hash) => p.accessTokenAccount(hash),
  };
}

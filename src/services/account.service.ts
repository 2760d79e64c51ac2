/**
 * Accounts and sessions (issue 13, docs/decisions/027): passwordless sign-in by a single-use
 * emailed link, sessions kept in the database, sign out (here or everywhere), the profile's
 * display name, roles, and "export / delete my data". The web routes and the `users` command
 * call it; it takes only the ports it uses.
 *
 * Asking for a link answers the same whatever the address (known, unknown, over its budget):
 * what differs goes only into the email the address itself receives. Secrets (the link's, the
 * session's) are random, handed out once, and kept only as hashes.
 */
import type { Submission, Submissions } from '../ports/submissions.js';
import type { LibraryExport, LibraryService } from './library.service.js';
import { defaultDisplayName, checkDisplayName, newId, newSecret, secretHash, type Role } from '../core/accounts.js';
import { SECRET_SHAPE } from '../core/account-links.js';
import type { AccessToken, AccessTokens } from '../ports/access-tokens.js';
import type { Account, Accounts } from '../ports/accounts.js';
import type { Mailer } from '../ports/mailer.js';
import type { Passkeys } from '../ports/passkeys.js';
import type { VoteBallots } from '../ports/votes.js';
import type { Sessions } from '../ports/sessions.js';
import type { SignInTokens } from '../ports/sign-in-tokens.js';
import type { Subscription, Subscriptions } from '../ports/subscriptions.js';
import type { SignInMail } from './sign-in-mail.js';
import { checkEmail, SubscriptionInputError } from './subscription-input.js';
import { ShortMemo } from '../core/short-memo.js';

/** A sign-in link works this long: long enough to switch to the mailbox, short enough to go stale in it. */
export const SIGN_IN_TTL_MS = 15 * 60_000;
/** A session lasts this long from sign-in (then the reader signs in again). */
export const SESSION_TTL_MS = 30 * 86_400_000;
/**
 * The sign-in emails count against the per-address budget the subscribe form uses (migration
 * 10), under their own key, so that one form's emails never use up the other's.
 */
const BUDGET_KEY = (email: string) => `sign-in:${email.toLowerCase()}`;

/** Signing in is switched off (no SMTP_URL): the page says so. */
export class SignInOffError extends Error {
  readonly code = 'SIGN_IN_OFF';
  constructor() {
    super('signing in needs email, which is not switched on on this site');
    this.name = 'SignInOffError';
  }
}

/** A sign-in link that can't be used: not one we sent, already used, or expired (the same to the holder). */
export class SignInLinkError extends Error {
  readonly code = 'SIGN_IN_LINK_UNUSABLE';
  constructor() {
    super('this sign-in link has been used or has expired, or is not one this site sent');
    this.name = 'SignInLinkError';
  }
}

/** A value from a form that can't be used; `problem` says what to change. */
export class AccountInputError extends Error {
  readonly code = 'ACCOUNT_INPUT_INVALID';
  constructor(
    readonly field: 'email' | 'displayName' | 'role' | 'tokenName',
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'AccountInputError';
  }
}

export interface AccountServiceDeps {
  accounts: Accounts;
  signInTokens: SignInTokens;
  sessions: Sessions;
  accessTokens: AccessTokens;
  /** the per-address email budget of migration 10 (the subscribe form's, under another key) */
  budget: Pick<Subscriptions, 'takeAddressBudget'>;
  /** the profile shows the reader's subscriptions and exports them */
  subscriptions: Pick<Subscriptions, 'subscriptionsOf'>;
  /** null when SMTP_URL is not set: nobody can sign in */
  mailer: Mailer | null;
  mail: SignInMail;
  now: () => Date;
  /**
   * The account's submissions (decision 032): exported with it, and kept without it when it is
   * deleted. Absent in suites that do not wire them.
   */
  submissions?: Pick<Submissions, 'submissionsOf' | 'anonymiseSubmitter' | 'submitterRenamed'>;
  /** The account's library and collections (decision 033): exported with it; deleted with it by the database. */
  library?: Pick<LibraryService, 'exportOf'>;
  /** sign-in emails one address may get (default: 5 an hour) */
  addressBudget?: { max: number; windowMs: number };
  /** the account's passkeys (decision 034), for its export; absent: none are listed */
  passkeys?: Pick<Passkeys, 'passkeysOf'>;
  /** the account's comments, anonymised when it is deleted (CommentService) */
  comments?: { anonymise(accountId: string): Promise<number> };
  /** the account's votes, kept as anonymous counts when it is deleted */
  votes?: Pick<VoteBallots, 'anonymiseVoter'>;
}

/** An API access token as handed out: `pb_` and 43 base64url characters. */
const ACCESS_TOKEN_SHAPE = /^pb_([A-Za-z0-9_-]{43})$/;
/** Tokens one account may hold: enough for every script, few enough to review on the profile page. */
export const MAX_ACCESS_TOKENS = 20;

/** A session just started: the secret for the cookie (never kept) and whose it is. */
export interface StartedSession {
  secret: string;
  account: Account;
  /** this sign-in made the account */
  created: boolean;
  expiresAt: Date;
}

/** "Export my data": everything kept about the account. */
export interface AccountExport {
  exportedAt: string;
  account: Account;
  subscriptions: Subscription[];
  /** the passkeys' names and dates (never their keys or credential ids) */
  passkeys: { name: string; createdAt: string; lastUsedAt: string | null }[];
  /** the papers it submitted (decision 032) */
  submissions?: Submission[];
  /** its saved papers and collections (decision 033) */
  library?: LibraryExport;
}

export class AccountService {
  private readonly budget: { max: number; windowMs: number };
  /**
   * The accounts of the sessions seen in the last second, by session hash (decision 043): every
   * request of a signed-in reader asks, and on SQLite the read alone was an eighth of a vote's
   * cost on the thread that answers everyone. Sign-outs, deletions and role or name changes
   * through this process apply at once; another node's (or `paperboy users promote`'s) within a
   * second, as its other writes show.
   */
  private readonly sessions: ShortMemo<Account | null>;

  constructor(private readonly d: AccountServiceDeps) {
    this.budget = d.addressBudget ?? { max: 5, windowMs: 3_600_000 };
    this.sessions = new ShortMemo({ ttlMs: 1_000, maxEntries: 10_000, now: () => d.now().getTime() });
  }

  get enabled(): boolean {
    return this.d.mailer !== null;
  }

  /**
   * Emails a single-use sign-in link to the address, unless it is over its budget. Resolves the
   * same in every case; throws only on a bad address (AccountInputError), when signing in is off,
   * or when the mail server fails (MailError).
   */
  async requestSignIn(rawEmail: unknown): Promise<void> {
    const mailer = this.d.mailer;
    if (!mailer) throw new SignInOffError();
    const email = inputEmail(rawEmail);
    const now = this.d.now();
    if (!(await this.d.budget.takeAddressBudget(BUDGET_KEY(email), now.toISOString(), this.budget.max, this.budget.windowMs))) return;
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + SIGN_IN_TTL_MS);
    await this.d.signInTokens.saveSignInToken({ hash: secretHash(secret), email, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    // forgetting expired tokens now and then, on the same path that makes them
    if (Math.random() < 0.05) await this.d.signInTokens.pruneSignInTokens(new Date(now.getTime() - SIGN_IN_TTL_MS).toISOString());
    await mailer.send(this.d.mail(email, secret, now, expiresAt));
  }

  /** Uses a sign-in link (POST only): a new session for its address's account, made on first sign-in. */
  async completeSignIn(secret: string): Promise<StartedSession> {
    if (!SECRET_SHAPE.test(secret)) throw new SignInLinkError();
    const now = this.d.now();
    const email = await this.d.signInTokens.redeemSignInToken(secretHash(secret), now.toISOString());
    if (email === null) throw new SignInLinkError();
    const { account, created } = await this.d.accounts.ensureAccount({ id: newId(), email, displayName: defaultDisplayName(email), now: now.toISOString() });
    return { ...(await this.startSession(account.id, now)), account, created };
  }

  /**
   * A new session for an account that another way in has vouched for (a verified passkey,
   * services/passkey.service.ts): the same session the emailed link starts. Null when the
   * account is gone.
   */
  async signInAs(accountId: string): Promise<StartedSession | null> {
    const account = await this.d.accounts.account(accountId);
    if (!account) return null;
    return { ...(await this.startSession(account.id, this.d.now())), account, created: false };
  }

  /**
   * The account a session cookie's secret stands for, while the session lasts, with the session's
   * hash (what CSRF tokens are bound to): the secret is hashed once per request.
   */
  async session(sessionSecret: string): Promise<{ account: Account; hash: string } | null> {
    if (!SECRET_SHAPE.test(sessionSecret)) return null;
    const hash = secretHash(sessionSecret);
    const account = await this.sessions.get(hash, () => this.d.sessions.sessionAccount(hash, this.d.now().toISOString()));
    return account && { account, hash };
  }

  async signOut(sessionSecret: string): Promise<void> {
    if (!SECRET_SHAPE.test(sessionSecret)) return;
    const hash = secretHash(sessionSecret);
    await this.d.sessions.endSession(hash);
    this.sessions.forget(hash);
  }

  /** Ends every session of the account, this one too (the browser that asked signs in again); how many. */
  async signOutEverywhere(accountId: string): Promise<number> {
    // the sessions kept are by hash, not by account: all go
    return this.changed(await this.d.sessions.endSessionsOf(accountId, null));
  }

  /** After a write that changes what a session stands for: the sessions kept are asked again. */
  private changed<T>(result: T): T {
    this.sessions.clear();
    return result;
  }

  async rename(accountId: string, raw: unknown): Promise<Account> {
    const check = checkDisplayName(raw);
    if (!check.ok) throw new AccountInputError('displayName', check.problem);
    const account = this.changed(await this.d.accounts.setDisplayName(accountId, check.name, this.d.now().toISOString()));
    if (!account) throw new AccountInputError('displayName', 'this account no longer exists');
    // the cached day pages that name it on a submitted paper (decision 032)
    await this.d.submissions?.submitterRenamed(accountId);
    return account;
  }

  /** Gives the account of an address a role (`paperboy users promote`); AccountInputError when there is none. */
  async setRole(rawEmail: unknown, role: Role): Promise<Account> {
    const email = inputEmail(rawEmail);
    const account = this.changed(await this.d.accounts.setRole(email, role, this.d.now().toISOString()));
    if (!account) throw new AccountInputError('email', `no account has the address ${email} (it is made at the first sign-in)`);
    return account;
  }

  /** The email subscriptions of an account's address (the profile lists them). */
  async subscriptionsOf(email: string): Promise<Subscription[]> {
    return this.d.subscriptions.subscriptionsOf(email);
  }

  async exportData(accountId: string): Promise<AccountExport | null> {
    const account = await this.d.accounts.account(accountId);
    if (!account) return null;
    const [subscriptions, submissions, library, keys] = await Promise.all([
      this.subscriptionsOf(account.email),
      this.d.submissions?.submissionsOf(accountId),
      this.d.library?.exportOf(accountId),
      this.d.passkeys?.passkeysOf(account.id),
    ]);
    const passkeys = (keys ?? []).map((p) => ({ name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt }));
    return { exportedAt: this.d.now().toISOString(), account, subscriptions, passkeys, ...(submissions ? { submissions } : {}), ...(library ? { library } : {}) };
  }

  /**
   * Deletes the account, its sessions, tokens and passkeys. Its email subscriptions are the
   * address's, not the account's, and stay (each has its own "delete my data"). Its comments are
   * anonymised (kept, shown as a former member's: replies keep their context) and its votes kept
   * as anonymous counts (their account id replaced by a random one no account has), decisions 027
   * and 031; its submissions stay without a name (decision 032); its library and collections go
   * with it (ON DELETE CASCADE). Those go first: an account deleted but for them could be signed
   * in again and find them.
   */
  async deleteAccount(accountId: string): Promise<boolean> {
    // first nothing can act for the account any more (its sessions and API tokens end), so that no
    // comment or vote lands between the anonymising below and the deletion
    this.changed(await this.d.sessions.endSessionsOf(accountId, null));
    await Promise.all((await this.d.accessTokens.accessTokensOf(accountId)).map((t) => this.d.accessTokens.revokeAccessToken(accountId, t.id)));
    await this.d.comments?.anonymise(accountId);
    await this.d.votes?.anonymiseVoter(accountId);
    await this.d.submissions?.anonymiseSubmitter(accountId);
    return this.d.accounts.deleteAccount(accountId);
  }

  /** A new API access token for the account: the token itself is in the answer only, never kept. */
  async createAccessToken(accountId: string, rawName: unknown): Promise<{ token: string; info: AccessToken }> {
    // a name is checked as a display name is: it is shown on the profile page
    const check = checkDisplayName(rawName);
    if (!check.ok) throw new AccountInputError('tokenName', check.problem.replace('the display name', 'the token\'s name'));
    const secret = newSecret();
    const info: AccessToken = { id: newId(), accountId, name: check.name, createdAt: this.d.now().toISOString() };
    // the cap counted with the write: tokens made at once can't both pass it
    if (!(await this.d.accessTokens.createAccessToken({ ...info, hash: secretHash(secret) }, MAX_ACCESS_TOKENS)))
      throw new AccountInputError('tokenName', `an account holds at most ${MAX_ACCESS_TOKENS} tokens: revoke one first`);
    return { token: `pb_${secret}`, info };
  }

  async accessTokensOf(accountId: string): Promise<AccessToken[]> {
    return this.d.accessTokens.accessTokensOf(accountId);
  }

  async revokeAccessToken(accountId: string, id: unknown): Promise<boolean> {
    return typeof id === 'string' && id.length <= 100 && this.d.accessTokens.revokeAccessToken(accountId, id);
  }

  /** The account an `Authorization: Bearer pb_…` token stands for, until it is revoked. */
  async viewerByAccessToken(token: string): Promise<Account | null> {
    const m = ACCESS_TOKEN_SHAPE.exec(token);
    return m ? this.d.accessTokens.accessTokenAccount(secretHash(m[1]!)) : null;
  }

  private async startSession(accountId: string, now: Date): Promise<{ secret: string; expiresAt: Date }> {
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await this.d.sessions.startSession({ hash: secretHash(secret), accountId, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    if (Math.random() < 0.05) await this.d.sessions.pruneSessions(now.toISOString());
    return { secret, expiresAt };
  }
}

function inputEmail(raw: unknown): string {
  try {
    return checkEmail(raw);
  } catch (e) {
    if (e instanceof SubscriptionInputError) throw new AccountInputError('email', e.problem);
    throw e;
  }
}

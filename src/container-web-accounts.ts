/**
 * The account pages' part of the composition root (issue 13): AccountService on the database's
 * account ports, sending its sign-in links through the subscription pages' mailer (null: signing
 * in is off), and the key that signs CSRF tokens (from PAPERBOY_SECRET when set, else one kept in
 * the database, so that every web node checks alike). Imported by `serve` only.
 */
import { createHmac } from 'node:crypto';
import type { Container } from './container.js';
import type { WebAccounts } from './delivery/http/app.js';
import type { Mailer } from './ports/mailer.js';
import { AccountService } from './services/account.service.js';
import { PasskeyService } from './services/passkey.service.js';
import { VoteService } from './services/vote.service.js';
import type { ProfilePart } from './delivery/http/views/member.view.js';
import { memberCollections, memberSubmissions, PROFILE_SUBMISSIONS } from './delivery/http/views/member-parts.view.js';
import type { WebCommunity } from './delivery/http/community-reads.js';
import { signInMail } from './services/sign-in-mail.js';

export async function webAccounts(
  c: Pick<Container, 'config' | 'inbox' | 'accounts' | 'passkeys' | 'comments' | 'votes'> & Partial<Pick<Container, 'submissions' | 'library'>>,
  mailer: Mailer | null,
  o: { now?: () => Date } = {},
): Promise<WebAccounts> {
  const { config } = c;
  const now = o.now ?? (() => new Date());
  const service = new AccountService({
    accounts: c.accounts,
    signInTokens: c.accounts,
    sessions: c.accounts,
    accessTokens: c.accounts,
    budget: c.inbox,
    subscriptions: c.inbox,
    mailer,
    mail: signInMail({ publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM }),
    now,
    passkeys: c.passkeys,
    // the account's submissions and library join its export; its deletion keeps the submissions anonymously
    ...(c.submissions ? { submissions: c.submissions } : {}),
    ...(c.library ? { library: c.library } : {}),
    // deleting an account anonymises its comments and votes (decision 031)
    comments: c.comments,
    votes: c.votes,
  });
  // passkeys (decision 034): the relying party is PUBLIC_URL; a verified one signs in as the emailed link does
  const passkeys = new PasskeyService({ passkeys: c.passkeys, accounts: c.accounts, signInAs: (id) => service.signInAs(id), publicUrl: config.PUBLIC_URL, now });
  return { service, csrfKey: await csrfKey(config.PAPERBOY_SECRET, c.inbox), passkeys };
}

/** The community's part (issue 13, decision 031): votes, comments, moderation, members' pages. */
export function webCommunity(c: Pick<Container, 'comments' | 'votes' | 'accounts'> & Partial<Pick<Container, 'submissions' | 'library' | 'store'>>): WebCommunity {
  const profileParts: ProfilePart[] = [];
  // a member's page shows what they submitted and their public collections (issue 13's profile page)
  const { submissions, library, store } = c;
  if (submissions && store)
    profileParts.push(async (m) => {
      const mine = await submissions.submissionsOf(m.id);
      return memberSubmissions(mine, await store.getPapers(mine.slice(-PROFILE_SUBMISSIONS).map((s) => s.paperId)));
    });
  if (library) profileParts.push(async (m) => memberCollections(await library.publicCollectionsOf(m.id)));
  return { votes: new VoteService(c.votes), comments: c.comments, members: c.accounts, profileParts };
}

/** PAPERBOY_SECRET's own key for CSRF tokens (never the link key itself), else the database's. */
async function csrfKey(secret: string, keys: Container['inbox']): Promise<Buffer> {
  if (secret) return createHmac('sha256', secret).update('paperboy csrf tokens').digest();
  return keys.signingKey('csrf');
}

/**
 * The site with its inbox for the subscription suites: a harness store (SQLite file or the
 * PostgreSQL server) with the demo papers, the real SubscriptionService over the store's inbox
 * ports, nodemailer (createSmtpMailer) sending to a real SMTP server on loopback
 * (test/support/smtp-peer.ts), and a clock the test moves. Driven with app.inject(). Accounts
 * (issue 13) are wired too, on the same mailer: the subscription suites then run behind the
 * CSRF guard and the session hook, as `serve` does.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createSmtpMailer } from '../../src/adapters/mail/smtp.mailer.js';
import { loadConfig } from '../../src/config.js';
import { readServices } from '../../src/container.js';
import { buildApp } from '../../src/delivery/http/app.js';
import type { Mailer } from '../../src/ports/mailer.js';
import { digestPreview } from '../../src/services/digest-preview.js';
import { linkKey, LinkTokens } from '../../src/services/link-tokens.js';
import { subscriptionMails } from '../../src/services/subscription-mail.js';
import { SubscriptionService } from '../../src/services/subscription.service.js';
import { AccountService } from '../../src/services/account.service.js';
import { PoliteHttpClient } from '../../src/adapters/http/polite-client.js';
import { fetchArxivRecord } from '../../src/adapters/sources/arxiv-api.source.js';
import { SystemClock } from '../../src/adapters/system-clock.js';
import { IngestService } from '../../src/services/ingest.service.js';
import { LibraryService } from '../../src/services/library.service.js';
import { SubmissionService } from '../../src/services/submission.service.js';
import { PasskeyService } from '../../src/services/passkey.service.js';
import { CommentService } from '../../src/services/comment.service.js';
import { VoteService } from '../../src/services/vote.service.js';
import { signInMail } from '../../src/services/sign-in-mail.js';
import { digestWiring } from '../support/digest-fixture.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import type { OpenedStore } from '../support/store-harness.js';

export const PUBLIC_URL = 'https://papers.example.org';
export const HOOK_TOKEN = 'hook-secret-0123456789abcdef';

export interface InboxSite {
  app: FastifyInstance;
  opened: OpenedStore;
  service: SubscriptionService;
  accounts: AccountService;
  passkeys: PasskeyService;
  tokens: LinkTokens;
  peer: SmtpPeer;
  clock: { now: Date };
  /** a form POST as a browser on this site sends it (Sec-Fetch-Site: same-origin); a header given as '' is left out */
  form(url: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface InboxSiteOptions {
  /** no mailer: subscriptions off (no SMTP_URL) */
  off?: boolean;
  /** the arXiv API submissions fetch from (test/support/arxiv-id-server.ts); by default a closed port */
  arxivApiUrl?: string;
  env?: Record<string, string>;
  hookToken?: string | null;
  /** votes, comment forms, moderation and members' pages (issue 13), on the site's clock */
  community?: boolean;
}

export async function buildInboxSite(opened: OpenedStore, o: InboxSiteOptions = {}): Promise<InboxSite> {
  const peer = await startSmtpPeer();
  const mailer: Mailer | null = o.off ? null : createSmtpMailer({ url: peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
  const clock = { now: new Date('2026-07-01T08:00:00Z') };
  const now = () => clock.now;
  const tokens = new LinkTokens(linkKey(null, opened.inbox), now);
  const service = new SubscriptionService({
    subscriptions: opened.inbox,
    outbox: opened.inbox,
    mailer,
    mails: subscriptionMails({ publicUrl: PUBLIC_URL, from: 'Paperboy <papers@example.org>' }),
    tokens,
    now,
    addressBudget: { max: 3, windowMs: 3_600_000 },
  });
  const config = loadConfig({ PUBLIC_URL, PAPERBOY_DEMO_DATA: 'false', PAPERBOY_PAGES_AHEAD: 'false', ...o.env });
  // submissions and libraries (decisions 032, 033), fetching from a local arXiv API through the polite client
  const arxivHttp = new PoliteHttpClient({ userAgent: 'Paperboy-test', minIntervalMs: 0, maxRetries: 0, maxRetryAfterMs: 0, timeoutMs: 5000, clock: new SystemClock() });
  const library = new LibraryService({ library: opened.library, papers: opened.store, accounts: opened.accounts, now });
  const submissions = new SubmissionService({
    submissions: opened.submissions,
    papers: opened.store,
    ingest: new IngestService(opened.store),
    fetchRecord: (id) => fetchArxivRecord(arxivHttp, id, o.arxivApiUrl ?? 'http://127.0.0.1:9/api/query'),
    perDay: config.PAPERBOY_SUBMISSIONS_PER_DAY,
    now,
  });
  // one CommentService, as the container has: its writes make the pages read their discussions again
  const comments = new CommentService(opened.comments, opened.store, now);
  const accounts = new AccountService({
    accounts: opened.accounts,
    signInTokens: opened.accounts,
    sessions: opened.accounts,
    accessTokens: opened.accounts,
    budget: opened.inbox,
    subscriptions: opened.inbox,
    mailer,
    mail: signInMail({ publicUrl: PUBLIC_URL, from: 'Paperboy <papers@example.org>' }),
    now,
    submissions,
    library,
    passkeys: opened.passkeys,
    ...(o.community ? { comments, votes: opened.votes } : {}),
  });
  const passkeys = new PasskeyService({ passkeys: opened.passkeys, accounts: opened.accounts, signInAs: (id) => accounts.signInAs(id), publicUrl: PUBLIC_URL, now });
  const community = o.community ? { votes: new VoteService(opened.votes, now), comments, members: opened.accounts } : undefined;
  const reads = readServices(opened);
  const { digests } = digestWiring(opened, { now, publicUrl: PUBLIC_URL, from: 'Paperboy <papers@example.org>' });
  const preview = digestPreview({ listing: reads.listing, digests, outbox: opened.inbox, tokens, publicUrl: PUBLIC_URL, from: 'Paperboy <papers@example.org>', size: 5 });
  const app = await buildApp({
    config,
    store: opened.store,
    ...reads,
    webInbox: { subscriptions: service, preview, hookToken: o.hookToken === undefined ? HOOK_TOKEN : o.hookToken },
    webAccounts: { service: accounts, csrfKey: await opened.inbox.signingKey('csrf'), passkeys },
    webLibrary: { submissions, library },
    ...(community ? { comments, community } : {}),
  });
  return {
    app,
    opened,
    service,
    accounts,
    passkeys,
    tokens,
    peer,
    clock,
    form: (url, fields, headers = {}) =>
      app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(fields).toString(),
        headers: Object.fromEntries(Object.entries({ 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers }).filter(([, v]) => v !== '')),
      }),
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers }),
    async close() {
      await app.close();
      await mailer?.close();
      await peer.close();
    },
  };
}

/** The first link in a message's text part that goes to `path` on the site, as a local path. */
export function linkIn(text: string, path: string): string {
  const m = new RegExp(`${PUBLIC_URL.replace(/[.]/g, '\\.')}(${path}[^\\s<>"]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[1]!;
}

/** The token at the end of a local path such as /subscribe/confirm/<token>. */
export const tokenOf = (path: string) => decodeURIComponent(path.split('/').pop()!);

/** A confirmed subscription made through the service, as the journey makes it, with its manage token. */
export async function confirmedSubscription(site: InboxSite, email: string, frequency = 'daily') {
  site.clock.now = new Date(site.clock.now.getTime() + 3_600_001); // a fresh per-address budget
  await site.service.subscribe({ email, frequency });
  const mail = site.peer.received.filter((m) => m.to.includes(email)).at(-1)!;
  return site.service.confirm(tokenOf(linkIn(mail.parsed.text!, '/subscribe/confirm/')));
}

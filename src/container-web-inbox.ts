/**
 * The subscription pages' part of the composition root (issue 11): SubscriptionService on the
 * database's inbox ports, the SMTP mailer when SMTP_URL is set (null: the forms say
 * subscriptions are off, and the links in earlier emails still work), the link key
 * (PAPERBOY_SECRET, else the database's), the digest preview, and the bounce hook's token. Imported by `serve`
 * only, so that the other commands never load nodemailer.
 */
import { smtpMailerFromConfig } from './adapters/mail/mail-from-config.js';
import type { Container } from './container.js';
import type { WebInbox } from './delivery/http/app.js';
import type { Mailer } from './ports/mailer.js';
import { composedDigestMail } from './services/digest-mail.compose.js';
import { digestPreview } from './services/digest-preview.js';
import { DigestService } from './services/digest.service.js';
import { linkKey, LinkTokens } from './services/link-tokens.js';
import type { SiteReads } from './services/site-reads.js';
import { subscriptionMails } from './services/subscription-mail.js';
import { SubscriptionService } from './services/subscription.service.js';

export interface OpenedWebInbox extends WebInbox {
  /** the SMTP mailer (null: no SMTP_URL), which the sign-in emails share */
  mailer: Mailer | null;
  /** closes the mailer's connections (after the web app has stopped) */
  close(): Promise<void>;
}

/**
 * `site`: the reads the preview picks papers through (serve's read workers), as the pages do:
 * the preview calls only DigestService.pick, which reads through `site` alone.
 */
export function webInbox(c: Pick<Container, 'config' | 'inbox' | 'store' | 'semantic'>, site: Pick<SiteReads, 'listing' | 'search' | 'signals'>, o: { log: (m: string) => void; now?: () => Date }): OpenedWebInbox {
  const { config } = c;
  const mailer = smtpMailerFromConfig(config);
  const now = o.now ?? (() => new Date());
  const key = linkKey(config.PAPERBOY_SECRET, c.inbox);
  const tokens = new LinkTokens(key, now);
  const mail = composedDigestMail({ publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM, key, now });
  const digests = new DigestService({
    subscriptions: c.inbox,
    outbox: c.inbox,
    papers: c.store,
    listing: site.listing,
    search: site.search,
    mail,
    now,
    // topic alerts match by meaning too, as the sent digest does (decision 025): the neighbours are
    // found here, where the vectors are; the period's papers are read through `site`
    ...(c.semantic ? { semantic: { retriever: c.semantic, signals: site.signals } } : {}),
  });
  const subscriptions = new SubscriptionService({
    subscriptions: c.inbox,
    outbox: c.inbox,
    mailer,
    mails: subscriptionMails({ publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM }),
    tokens,
    now,
    log: o.log,
  });
  return {
    subscriptions,
    preview: digestPreview({ listing: site.listing, digests, outbox: c.inbox, tokens, publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM, size: config.PAPERBOY_DIGEST_SIZE }),
    hookToken: config.PAPERBOY_MAIL_HOOK_TOKEN || null,
    mailer,
    close: async () => mailer?.close(),
  };
}

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
import { digestPreview } from './services/digest-preview.js';
import { linkKey, LinkTokens } from './services/link-tokens.js';
import type { SiteReads } from './services/site-reads.js';
import { subscriptionMails } from './services/subscription-mail.js';
import { SubscriptionService } from './services/subscription.service.js';

export interface OpenedWebInbox extends WebInbox {
  /** closes the mailer's connections (after the web app has stopped) */
  close(): Promise<void>;
}

/** `site`: the reads the preview picks papers through (serve's read workers), as the pages do. */
export function webInbox(c: Pick<Container, 'config' | 'inbox'>, site: Pick<SiteReads, 'listing' | 'search'>, o: { log: (m: string) => void; now?: () => Date }): OpenedWebInbox {
  const { config } = c;
  const mailer = smtpMailerFromConfig(config);
  const now = o.now ?? (() => new Date());
  const tokens = new LinkTokens(linkKey(config.PAPERBOY_SECRET, c.inbox), now);
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
    preview: digestPreview({ ...site, outbox: c.inbox, tokens, publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM, size: config.PAPERBOY_DIGEST_SIZE }),
    hookToken: config.PAPERBOY_MAIL_HOOK_TOKEN || null,
    close: async () => mailer?.close(),
  };
}

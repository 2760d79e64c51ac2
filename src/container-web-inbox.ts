/**
 * The subscription pages' part of the composition root (issue 11): SubscriptionService on the
 * database's inbox ports, the SMTP mailer when SMTP_URL is set (null: the forms say
 * subscriptions are off, and the links in earlier emails still work), the link key
 * (PAPERBOY_SECRET, else the database's), and the bounce hook's token. Imported by `serve`
 * only, so that the other commands never load nodemailer.
 */
import { smtpMailerFromConfig } from './adapters/mail/mail-from-config.js';
import type { Container } from './container.js';
import type { DigestPreview } from './delivery/http/subscriptions.routes.js';
import type { WebInbox } from './delivery/http/app.js';
import { linkKey, LinkTokens } from './services/link-tokens.js';
import { subscriptionMails } from './services/subscription-mail.js';
import { SubscriptionService } from './services/subscription.service.js';

export interface OpenedWebInbox extends WebInbox {
  /** closes the mailer's connections (after the web app has stopped) */
  close(): Promise<void>;
}

export function webInbox(c: Pick<Container, 'config' | 'inbox'>, o: { log: (m: string) => void; preview?: DigestPreview | null; now?: () => Date }): OpenedWebInbox {
  const { config } = c;
  const mailer = smtpMailerFromConfig(config);
  const now = o.now ?? (() => new Date());
  const subscriptions = new SubscriptionService({
    subscriptions: c.inbox,
    outbox: c.inbox,
    mailer,
    mails: subscriptionMails({ publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM }),
    tokens: new LinkTokens(linkKey(config.PAPERBOY_SECRET, c.inbox), now),
    now,
    log: o.log,
  });
  return {
    subscriptions,
    preview: o.preview ?? null,
    hookToken: config.PAPERBOY_MAIL_HOOK_TOKEN || null,
    close: async () => mailer?.close(),
  };
}

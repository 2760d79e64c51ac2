/**
 * The digest sender's part of the composition root (issue 11): the queue and the sender on the
 * database's inbox ports, the listing and search services (one ranking, one search), the
 * composed digest mail with the site's link key, and a mailer: SMTP (SMTP_URL), or a folder of
 * .eml files for a dry run. Imported by the commands that send (digest send, serve), so that
 * the others never load nodemailer.
 */
import type { Config } from './config.js';
import type { Container } from './container.js';
import { PaperboyError } from './core/errors.js';
import type { Mailer } from './ports/mailer.js';
import { DigestService } from './services/digest.service.js';
import { composedDigestMail } from './services/digest-mail.compose.js';
import type { DigestMail } from './services/digest-mail.js';
import { DEFAULT_MAX_ATTEMPTS, DigestSender, type SendOptions } from './services/digest-sender.js';
import { linkKey } from './services/link-tokens.js';

export interface DigestParts {
  digests: DigestService;
  sender: DigestSender;
  mail: DigestMail;
  mailer: Mailer;
  /** papers per trending digest, and at most per topic */
  size: number;
  send: Omit<SendOptions, 'signal' | 'onMessage' | 'waitForStranded'>;
}

/**
 * The mailer: SMTP from the settings, or .eml files in `dryRunDir`. Without SMTP_URL and
 * without a dry run there is nothing to send with: a clear error, before any work.
 */
export async function openMailer(config: Config, dryRunDir?: string): Promise<Mailer> {
  const [{ dkimFromConfig, emlMailerFromConfig }, { createSmtpMailer }] = await Promise.all([
    import('./adapters/mail/mail-from-config.js'),
    import('./adapters/mail/smtp.mailer.js'),
  ]);
  if (dryRunDir !== undefined) return emlMailerFromConfig(config, dryRunDir);
  if (!config.SMTP_URL)
    throw new PaperboyError('CONFIG_INVALID', 'SMTP_URL is not set: digests need an SMTP server (smtp://user:pass@host:587 or smtps://…), or use --dry-run to write them to .eml files');
  // the sender paces messages itself (PAPERBOY_MAIL_RATE, across its workers): no second limit here
  return createSmtpMailer({ url: config.SMTP_URL, concurrency: config.PAPERBOY_MAIL_CONCURRENCY, ratePerSecond: 0, dkim: dkimFromConfig(config) });
}

export function digestParts(c: Container, mailer: Mailer, now: () => Date = () => new Date()): DigestParts {
  const { config, inbox } = c;
  const mail = composedDigestMail({
    publicUrl: config.PUBLIC_URL,
    from: config.MAIL_FROM,
    key: linkKey(config.PAPERBOY_SECRET, inbox), // the same key the web pages check links with
    now,
  });
  const digests = new DigestService({
    subscriptions: inbox,
    outbox: inbox,
    papers: c.store,
    listing: c.listing,
    search: c.search,
    mail,
    now,
    // topic alerts match by meaning too once embeddings are ready (decision 025)
    ...(c.semantic ? { semantic: { retriever: c.semantic, signals: c.store } } : {}),
  });
  const sender = new DigestSender({ subscriptions: inbox, outbox: inbox, papers: c.store, mail, mailer, now });
  return {
    digests,
    sender,
    mail,
    mailer,
    size: config.PAPERBOY_DIGEST_SIZE,
    send: {
      concurrency: config.PAPERBOY_MAIL_CONCURRENCY,
      rate: config.PAPERBOY_MAIL_RATE,
      leaseMs: config.PAPERBOY_MAIL_CLAIM_SECONDS * 1000,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
    },
  };
}

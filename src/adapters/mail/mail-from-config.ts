/**
 * The mail adapters as the settings ask for them (for the composition root): the SMTP mailer
 * when SMTP_URL is set, null when it is not (mail is off; the site still runs), and the DKIM
 * key read and checked once, at start.
 */
import type { Config } from '../../config.js';
import type { Mailer } from '../../ports/mailer.js';
import { createEmlFolderMailer } from './eml-folder.mailer.js';
import { createSmtpMailer, loadDkimKey, type DkimSettings } from './smtp.mailer.js';

type MailConfig = Pick<
  Config,
  'SMTP_URL' | 'PAPERBOY_DKIM_DOMAIN' | 'PAPERBOY_DKIM_SELECTOR' | 'PAPERBOY_DKIM_KEY_FILE' | 'PAPERBOY_MAIL_CONCURRENCY' | 'PAPERBOY_MAIL_RATE'
>;

export function dkimFromConfig(c: MailConfig): DkimSettings | undefined {
  if (c.PAPERBOY_DKIM_KEY_FILE === '') return undefined;
  return { domain: c.PAPERBOY_DKIM_DOMAIN, selector: c.PAPERBOY_DKIM_SELECTOR, privateKey: loadDkimKey(c.PAPERBOY_DKIM_KEY_FILE) };
}

/** The SMTP mailer, or null when SMTP_URL is empty. */
export function smtpMailerFromConfig(c: MailConfig): Mailer | null {
  if (c.SMTP_URL === '') return null;
  return createSmtpMailer({ url: c.SMTP_URL, concurrency: c.PAPERBOY_MAIL_CONCURRENCY, ratePerSecond: c.PAPERBOY_MAIL_RATE, dkim: dkimFromConfig(c) });
}

/** `digest send --dry-run`: the same messages, signed alike, as files in `folder`. */
export function emlMailerFromConfig(c: MailConfig, folder: string): Mailer {
  return createEmlFolderMailer(folder, { dkim: dkimFromConfig(c) });
}

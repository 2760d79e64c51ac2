/**
 * The Mailer port over SMTP, through nodemailer: a pool of connections (PAPERBOY_MAIL_CONCURRENCY),
 * a rate (PAPERBOY_MAIL_RATE messages a second, nodemailer's rateLimit per rateDelta across the
 * pool), optional DKIM signing, and every failure classified for the outbox: temporary (4xx, a
 * refused, reset or dropped connection, a timeout) or permanent (5xx). docs/decisions/017.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { PaperboyError } from '../../core/errors.js';
import { MailError, type Mailer, type OutgoingEmail } from '../../ports/mailer.js';
import { mailOptions } from './mail-options.js';

export interface DkimSettings {
  domain: string;
  selector: string;
  /** PEM */
  privateKey: string;
}

export interface SmtpMailerOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465 (TLS from the start) */
  url: string;
  /** connections in the pool */
  concurrency: number;
  /** messages a second across the pool; 0 for no limit */
  ratePerSecond: number;
  dkim?: DkimSettings;
  /** connect, greeting and socket idle timeouts (ms); 30 s by default */
  timeoutMs?: number;
}

export function createSmtpMailer(o: SmtpMailerOptions): Mailer {
  const server = parseSmtpUrl(o.url);
  const timeout = o.timeoutMs ?? 30_000;
  const transport = createTransport({
    pool: true,
    ...server,
    maxConnections: o.concurrency,
    // messages per connection before it is renewed: long runs do not lean on one session forever
    maxMessages: 1000,
    ...(o.ratePerSecond > 0 ? { rateDelta: 1000, rateLimit: o.ratePerSecond } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(o.dkim ? { dkim: { domainName: o.dkim.domain, keySelector: o.dkim.selector, privateKey: o.dkim.privateKey } } : {}),
  });
  return {
    async send(message: OutgoingEmail) {
      const options = mailOptions(message);
      try {
        const info = await transport.sendMail(options);
        return { response: String(info.response) };
      } catch (e) {
        throw classifyMailError(e);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (e) {
        throw classifyMailError(e);
      }
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}

/** The nodemailer options of an SMTP_URL: host, port, TLS and the credentials in it. */
export function parseSmtpUrl(raw: string): { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new PaperboyError('CONFIG_INVALID', 'SMTP_URL is not a URL (smtp://user:password@host:587 or smtps://…:465)');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new PaperboyError('CONFIG_INVALID', `SMTP_URL must start with smtp:// or smtps://, not ${u.protocol}//`);
  if (u.hostname === '') throw new PaperboyError('CONFIG_INVALID', 'SMTP_URL names no host');
  const secure = u.protocol === 'smtps:';
  const user = decodeURIComponent(u.username);
  const auth = user !== '' ? { auth: { user, pass: decodeURIComponent(u.password) } } : {};
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : secure ? 465 : 587, secure, ...auth };
}

/** Reads and checks a DKIM private key (PEM) at start: a bad key fails there, not on the first send. */
export function loadDkimKey(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PaperboyError('CONFIG_INVALID', `PAPERBOY_DKIM_KEY_FILE=${file}: cannot be read: ${(e as Error).message}`);
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key; DKIM signs with RSA or Ed25519`);
  } catch (e) {
    throw new PaperboyError('CONFIG_INVALID', `PAPERBOY_DKIM_KEY_FILE=${file}: not a usable PEM private key: ${(e as Error).message}`);
  }
  return pem;
}

/** Error codes of the connection itself: the server may take the message later. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EDNS', 'EPROTOCOL']);

/**
 * temporary or permanent, from what nodemailer reports. A reply code decides when there is one
 * (4xx temporary, 5xx permanent), except a refused login: our credentials, not the message, so
 * every message would fail alike; it is temporary so that fixing SMTP_URL sends them after all.
 */
export function classifyMailError(e: unknown): MailError {
  if (e instanceof MailError) return e;
  const err = e as { message?: string; code?: string; responseCode?: number; response?: string };
  const message = `${err.message ?? String(e)}`.slice(0, 500);
  const code = err.responseCode;
  if (err.code === 'EAUTH') return new MailError('temporary', `SMTP login refused (check SMTP_URL): ${message}`, code, { cause: e });
  if (typeof code === 'number' && code >= 400 && code < 500) return new MailError('temporary', message, code, { cause: e });
  if (typeof code === 'number' && code >= 500 && code < 600) return new MailError('permanent', message, code, { cause: e });
  if (err.code !== undefined && CONNECTION_CODES.has(err.code)) return new MailError('temporary', `${err.code}: ${message}`, code, { cause: e });
  const cause = (e as { cause?: { code?: string } }).cause;
  if (cause?.code !== undefined && CONNECTION_CODES.has(cause.code)) return new MailError('temporary', `${cause.code}: ${message}`, code, { cause: e });
  // anything else (a message nodemailer could not build) would fail the same way again
  return new MailError('permanent', `${err.code ?? 'error'}: ${message}`, code, { cause: e });
}

/**
 * Sending one email (issue 11): what the digest sender and the confirmation mail use. Adapters:
 * SMTP through nodemailer (adapters/mail/smtp.mailer.ts) and a folder of .eml files for
 * `digest send --dry-run` (adapters/mail/eml-folder.mailer.ts). Contract:
 * test/contracts/mailer.contract.ts.
 */
import type { ComposedEmail } from '../core/digest.js';

/**
 * A composed message (core/digest.ts: subject, parts, a Message-ID fixed so that a resend is the
 * same message, the List-* headers) with its sender and recipient. Header names and values may
 * not hold CR or LF: the mailers refuse them, never strip them.
 */
export type OutgoingEmail = Omit<ComposedEmail, 'headers'> & {
  from: string;
  to: string;
  /** extra headers */
  headers?: Record<string, string>;
};

/**
 * Why a send failed: `temporary` (4xx replies, connection loss, timeouts: try again later) or
 * `permanent` (5xx: the server will never take it). Carries the server's reply when there was one.
 */
export class MailError extends Error {
  constructor(
    readonly kind: 'temporary' | 'permanent',
    message: string,
    readonly responseCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailError';
  }
}

export interface Mailer {
  /** Sends one message; resolves when the server accepted it, throws MailError otherwise. */
  send(message: OutgoingEmail): Promise<{ response: string }>;
  /** Checks the server is reachable and accepts us (start-up, `doctor`); throws MailError. */
  verify(): Promise<void>;
  close(): Promise<void>;
}

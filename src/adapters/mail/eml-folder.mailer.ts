/**
 * The Mailer port as a folder of .eml files: what `paperboy digest send --dry-run` writes, one
 * file per message named after its Message-ID (so a second dry run of the same period writes the
 * same files again). Built by nodemailer's stream transport, so each file holds exactly the
 * headers (DKIM signature included when configured) the SMTP mailer would send.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { MailError, type Mailer, type OutgoingEmail } from '../../ports/mailer.js';
import { mailOptions } from './mail-options.js';
import type { DkimSettings } from './smtp.mailer.js';

export function createEmlFolderMailer(folder: string, opts: { dkim?: DkimSettings } = {}): Mailer {
  const transport = createTransport({
    streamTransport: true,
    buffer: true,
    // CRLF, as on the wire: the files open in any mail client and verify as sent
    newline: 'windows',
    ...(opts.dkim ? { dkim: { domainName: opts.dkim.domain, keySelector: opts.dkim.selector, privateKey: opts.dkim.privateKey } } : {}),
  });
  let ready: Promise<unknown> | null = null;
  const prepare = () => (ready ??= mkdir(folder, { recursive: true }));
  return {
    async send(message: OutgoingEmail) {
      const options = mailOptions(message);
      const file = join(folder, `${emlName(message.messageId)}.eml`);
      try {
        await prepare();
        const info = await transport.sendMail(options);
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, info.message as Buffer);
        await rename(tmp, file);
        return { response: `written to ${file}` };
      } catch (e) {
        ready = null;
        throw new MailError('temporary', `cannot write ${file}: ${(e as Error).message}`, undefined, { cause: e });
      }
    },
    async verify() {
      try {
        await prepare();
      } catch (e) {
        ready = null;
        throw new MailError('temporary', `cannot create ${folder}: ${(e as Error).message}`, undefined, { cause: e });
      }
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}

/** A file name from a Message-ID: <digest.2026-08-21.Ab_c@host> → digest.2026-08-21.Ab_c@host */
export function emlName(messageId: string): string {
  const name = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\.+/, '_');
  return name.slice(0, 200) || 'message';
}

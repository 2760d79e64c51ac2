/**
 * The Mailer contract (src/ports/mailer.ts): what every mail adapter must do, run on each of them
 * (test/mail/mailer.test.ts): the SMTP mailer against a real smtp-server peer, the .eml folder
 * by reading its files back. Both parse what came out with mailparser.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MailError, type Mailer, type OutgoingEmail } from '../../src/ports/mailer.js';
import type { DkimSettings } from '../../src/adapters/mail/smtp.mailer.js';
import type { ReceivedMessage } from '../support/smtp-peer.js';

export interface MailerHarness {
  name: string;
  /** a mailer, and how to read back what it delivered, in order */
  open(opts: { dkim?: DkimSettings }): Promise<{ mailer: Mailer; delivered(): Promise<Pick<ReceivedMessage, 'raw' | 'parsed' | 'headerLines'>[]>; close(): Promise<void> }>;
}

export function message(over: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    from: 'Paperboy <digest@papers.example.org>',
    to: 'reader@example.org',
    subject: 'Trending papers — 21 Aug 2026 · 2 papers',
    text: 'Trending papers — 21 Aug 2026\n\n1. A paper\nhttps://papers.example.org/papers/2608.00001\n',
    html: '<!doctype html><html><body><p>Trending papers — 21 Aug 2026</p></body></html>',
    messageId: '<digest.2026-08-21.abc@papers.example.org>',
    listId: 'Paperboy trending papers <trending.papers.example.org>',
    listUnsubscribe: { url: 'https://papers.example.org/unsubscribe/tok-u', mail: 'mailto:unsubscribe@papers.example.org?subject=unsubscribe%20tok-u' },
    headers: { Precedence: 'bulk' },
    ...over,
  };
}

export function dkimKey(): DkimSettings {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { domain: 'papers.example.org', selector: 'pb2026', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export function mailerContract(harness: MailerHarness): void {
  describe(`Mailer contract: ${harness.name}`, () => {
    const open: { close(): Promise<void> }[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((o) => o.close()));
    });
    const start = async (opts: { dkim?: DkimSettings } = {}) => {
      const h = await harness.open(opts);
      open.push(h);
      return h;
    };

    it('sends every list header exactly once: List-Unsubscribe with both URLs, One-Click, List-Id, the Message-ID given', async () => {
      const h = await start();
      await h.mailer.send(message());
      const [m] = await h.delivered();
      const once = (key: string) => {
        const lines = m!.headerLines.filter((l) => l.key === key);
        expect(lines, key).toHaveLength(1);
        return lines[0]!.line;
      };
      expect(once('list-unsubscribe')).toBe('List-Unsubscribe: <https://papers.example.org/unsubscribe/tok-u>, <mailto:unsubscribe@papers.example.org?subject=unsubscribe%20tok-u>');
      expect(once('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(once('list-id')).toMatch(/^List-ID: "?Paperboy trending papers"? <trending\.papers\.example\.org>$/i);
      expect(once('message-id')).toBe('Message-ID: <digest.2026-08-21.abc@papers.example.org>');
      expect(once('precedence')).toBe('Precedence: bulk');
      once('subject');
      once('date');
      expect(m!.parsed.messageId).toBe('<digest.2026-08-21.abc@papers.example.org>');
      expect(m!.parsed.subject).toBe('Trending papers — 21 Aug 2026 · 2 papers');
      expect(m!.parsed.to && !Array.isArray(m!.parsed.to) ? m!.parsed.to.value[0]!.address : null).toBe('reader@example.org');
    });

    it('encodes both text parts quoted-printable, whatever their script (readable source, no per-part scan)', async () => {
      const h = await start();
      // mostly non-Latin text: left to choose, nodemailer would pick base64 for it
      await h.mailer.send(message({ text: 'Трендовые статьи — 21 Aug 2026\n\n1. 大型语言模型的推理\n', html: '<p>Трендовые статьи — 大型语言模型</p>' }));
      const [m] = await h.delivered();
      const encodings = [...m!.raw.matchAll(/^Content-Transfer-Encoding: *(\S+)/gim)].map((x) => x[1]!.toLowerCase());
      expect(encodings).toEqual(['quoted-printable', 'quoted-printable']);
      expect(m!.parsed.text).toContain('1. 大型语言模型的推理');
      expect(m!.parsed.html).toContain('Трендовые статьи — 大型语言模型');
    });

    it('carries both an HTML and a plain-text part', async () => {
      const h = await start();
      await h.mailer.send(message());
      const [m] = await h.delivered();
      expect(m!.parsed.text).toContain('https://papers.example.org/papers/2608.00001');
      expect(m!.parsed.html).toContain('<p>Trending papers — 21 Aug 2026</p>');
      expect(m!.raw).toMatch(/Content-Type: multipart\/alternative/i);
    });

    it('signs with DKIM when configured, and not otherwise', async () => {
      const plain = await start();
      await plain.mailer.send(message());
      expect((await plain.delivered())[0]!.headerLines.some((l) => l.key === 'dkim-signature')).toBe(false);
      const signed = await start({ dkim: dkimKey() });
      await signed.mailer.send(message());
      const sig = (await signed.delivered())[0]!.headerLines.filter((l) => l.key === 'dkim-signature');
      expect(sig).toHaveLength(1);
      expect(sig[0]!.line).toMatch(/d=papers\.example\.org/);
      expect(sig[0]!.line).toMatch(/s=pb2026/);
      expect(sig[0]!.line).toMatch(/h=[^;]*List-Unsubscribe/i);
    });

    it('refuses CR or LF in any header before sending, as a permanent failure, and sends nothing', async () => {
      const h = await start();
      const bad: Partial<OutgoingEmail>[] = [
        { subject: 'Trending\r\nBcc: victim@example.org' },
        { to: 'reader@example.org\r\nBcc: victim@example.org' },
        { from: 'Paperboy <digest@papers.example.org>\nBcc: x@example.org' },
        { messageId: '<a@b>\r\nX-Evil: 1' },
        { listId: 'list\r\nX-Evil: 1 <l.example.org>' },
        { listUnsubscribe: { url: 'https://papers.example.org/u\r\nX-Evil: 1', mail: 'mailto:u@papers.example.org' } },
        { headers: { 'X-Topic': 'ai\r\nBcc: victim@example.org' } },
        { headers: { 'X-Bad\r\nBcc': 'x' } },
      ];
      for (const over of bad) {
        const err = await h.mailer.send(message(over)).then(() => null, (e: unknown) => e);
        expect(err, JSON.stringify(over)).toBeInstanceOf(MailError);
        expect((err as MailError).kind).toBe('permanent');
        expect((err as MailError).message).toMatch(/ CR | LF |control character|not a valid field name/);
      }
      expect(await h.delivered()).toHaveLength(0);
    });

    it('verifies and closes', async () => {
      const h = await start();
      await expect(h.mailer.verify()).resolves.toBeUndefined();
    });
  });
}

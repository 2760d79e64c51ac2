/**
 * The Mailer contract on both adapters, and what only SMTP has: failures classified for the
 * outbox (4xx and dropped or refused connections temporary, 5xx permanent), against a real
 * smtp-server peer on loopback that injects them.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmlFolderMailer } from '../../src/adapters/mail/eml-folder.mailer.js';
import { smtpMailerFromConfig } from '../../src/adapters/mail/mail-from-config.js';
import { createSmtpMailer } from '../../src/adapters/mail/smtp.mailer.js';
import { loadConfig } from '../../src/config.js';
import { MailError, type Mailer } from '../../src/ports/mailer.js';
import { dkimKey, mailerContract, message } from '../contracts/mailer.contract.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';

mailerContract({
  name: 'SMTP (nodemailer → smtp-server)',
  async open({ dkim }) {
    const peer = await startSmtpPeer();
    const mailer = createSmtpMailer({ url: peer.url, concurrency: 2, ratePerSecond: 0, dkim, timeoutMs: 5000 });
    return {
      mailer,
      delivered: () => Promise.resolve(peer.received.slice()),
      close: async () => {
        await mailer.close();
        await peer.close();
      },
    };
  },
});

mailerContract({
  name: '.eml folder',
  open({ dkim }) {
    const folder = join(mkdtempSync(join(tmpdir(), 'paperboy-eml-')), 'out');
    const mailer = createEmlFolderMailer(folder, { dkim });
    return Promise.resolve({
      mailer,
      async delivered() {
        let files: string[];
        try {
          files = readdirSync(folder).filter((f) => f.endsWith('.eml')).sort();
        } catch {
          return [];
        }
        return Promise.all(
          files.map(async (f) => {
            const raw = readFileSync(join(folder, f), 'utf8');
            const end = raw.indexOf('\r\n\r\n');
            const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
            return { raw, parsed: await simpleParser(raw), headerLines: head.split('\r\n').map((line) => ({ key: line.slice(0, line.indexOf(':')).toLowerCase(), line })) };
          }),
        );
      },
      close: () => mailer.close(),
    });
  },
});

describe('.eml folder mailer', () => {
  it('names each file after its Message-ID, so a second dry run writes the same file again', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'paperboy-eml-'));
    const mailer = createEmlFolderMailer(folder);
    await mailer.send(message());
    await mailer.send(message());
    await mailer.send(message({ messageId: '<digest.2026-08-22.x/y@papers.example.org>' }));
    expect(readdirSync(folder).sort()).toEqual(['digest.2026-08-21.abc@papers.example.org.eml', 'digest.2026-08-22.x_y@papers.example.org.eml']);
    await mailer.close();
  });
});

describe('SMTP mailer failures', () => {
  let peer: SmtpPeer;
  let mailer: Mailer;
  afterEach(async () => {
    await mailer?.close();
    await peer?.close();
  });
  const fails = (p: Promise<unknown>) => p.then(() => { throw new Error('sent, but should have failed'); }, (e: unknown) => e as MailError);

  it('classifies 4xx as temporary and 5xx as permanent, with the reply code, and goes on sending', async () => {
    peer = await startSmtpPeer();
    mailer = createSmtpMailer({ url: peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
    peer.failNext(1, 451);
    peer.failNext(1, 554);
    const t = await fails(mailer.send(message()));
    expect(t).toBeInstanceOf(MailError);
    expect([t.kind, t.responseCode]).toEqual(['temporary', 451]);
    const p = await fails(mailer.send(message()));
    expect([p.kind, p.responseCode]).toEqual(['permanent', 554]);
    await mailer.send(message());
    expect(peer.received).toHaveLength(1);
  });

  it('classifies a refused recipient by its code: 450 temporary, 550 permanent', async () => {
    peer = await startSmtpPeer();
    mailer = createSmtpMailer({ url: peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
    peer.failRecipient('grey@example.org', 450);
    peer.failRecipient('gone@example.org', 550);
    expect(await fails(mailer.send(message({ to: 'grey@example.org' })))).toMatchObject({ kind: 'temporary', responseCode: 450 });
    expect(await fails(mailer.send(message({ to: 'gone@example.org' })))).toMatchObject({ kind: 'permanent', responseCode: 550 });
    await mailer.send(message({ to: 'fine@example.org' }));
    expect(peer.received.map((m) => m.to)).toEqual([['fine@example.org']]);
  });

  it('classifies a connection dropped in the middle of a message as temporary, and reconnects for the next', async () => {
    peer = await startSmtpPeer();
    mailer = createSmtpMailer({ url: peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
    peer.dropNext(1);
    expect(await fails(mailer.send(message()))).toMatchObject({ kind: 'temporary' });
    await mailer.send(message());
    expect(peer.received).toHaveLength(1);
  });

  it('classifies a refused connection as temporary', async () => {
    const port = await freePort();
    mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, concurrency: 1, ratePerSecond: 0, timeoutMs: 3000 });
    const e = await fails(mailer.send(message()));
    expect(e).toMatchObject({ kind: 'temporary' });
    expect(e.message).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    await expect(mailer.verify()).rejects.toMatchObject({ kind: 'temporary' });
  });

  it('sends through a pool of connections at the configured rate', async () => {
    peer = await startSmtpPeer();
    mailer = createSmtpMailer({ url: peer.url, concurrency: 3, ratePerSecond: 5, timeoutMs: 5000 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 11 }, (_, i) => mailer.send(message({ messageId: `<m${i}@papers.example.org>` }))));
    // 5 a second: the 11th message waits for the third second to start
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(new Set(peer.received.map((m) => m.parsed.messageId)).size).toBe(11);
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('mail from the settings', () => {
  it('is off without SMTP_URL, and sends (DKIM-signed when configured) with it', async () => {
    expect(smtpMailerFromConfig(loadConfig({}))).toBeNull();
    const peer = await startSmtpPeer();
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-dkim-'));
    writeFileSync(join(dir, 'key.pem'), dkimKey().privateKey);
    const config = loadConfig({
      SMTP_URL: peer.url,
      MAIL_FROM: 'digest@papers.example.org',
      PAPERBOY_DKIM_DOMAIN: 'papers.example.org',
      PAPERBOY_DKIM_SELECTOR: 'pb2026',
      PAPERBOY_DKIM_KEY_FILE: join(dir, 'key.pem'),
    });
    const mailer = smtpMailerFromConfig(config)!;
    await mailer.verify();
    await mailer.send(message());
    expect(peer.received[0]!.headerLines.filter((l) => l.key === 'dkim-signature')).toHaveLength(1);
    await mailer.close();
    await peer.close();
  });
});

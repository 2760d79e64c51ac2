/**
 * A composed digest through the SMTP mailer to a real smtp-server peer, read back with
 * mailparser: what a reader's mail client gets. Hostile paper text arrives escaped in the HTML,
 * inert in the text, and the list headers are those the composition chose.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../src/adapters/mail/smtp.mailer.js';
import { composeConfirmation, composeDigest, digestMessageId } from '../../src/core/digest.js';
import { emptyPaper } from '../../src/core/paper.js';
import { signToken, tokenExpiry, verifyToken } from '../../src/core/tokens.js';
import { MailError } from '../../src/ports/mailer.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';

const site = 'https://papers.example.org';
const key = Buffer.alloc(32, 3);
const now = new Date('2026-08-21T07:00:00Z');
const sub = { id: 'sub_7f3a', email: 'Reader@example.org', frequency: 'daily' as const, topics: ['<b>graph</b> neural nets'] };

let peer: SmtpPeer;
afterEach(async () => {
  await peer?.close();
});

describe('a digest, sent and received', () => {
  it('arrives with its headers, both parts, links that verify, and hostile text escaped', async () => {
    peer = await startSmtpPeer();
    const mailer = createSmtpMailer({ url: peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
    const unsub = signToken(key, { sub: sub.id, purpose: 'unsubscribe', exp: tokenExpiry('unsubscribe', now) });
    const manage = signToken(key, { sub: sub.id, purpose: 'manage', exp: tokenExpiry('manage', now) });
    const composed = composeDigest({
      subscription: sub,
      period: '2026-08-21',
      papers: [{ paper: { ...emptyPaper('2608.00001'), title: 'Attack <img src=x onerror=alert(1)> on $\\mathcal{O}(n^2)$', abstract: '</p><script>alert(2)</script>' }, topic: sub.topics[0]! }],
      siteUrl: site,
      links: { manage: `${site}/subscriptions/${manage}`, unsubscribe: `${site}/unsubscribe/${unsub}`, unsubscribeMailto: `mailto:unsubscribe@papers.example.org?subject=${unsub}` },
    });
    await mailer.send({ from: 'Paperboy <digest@papers.example.org>', to: sub.email, ...composed });
    await mailer.close();
    const [m] = await peer.waitFor(1);
    expect(m!.to).toEqual(['Reader@example.org']);
    expect(m!.parsed.messageId).toBe(digestMessageId(sub.id, '2026-08-21', 'papers.example.org'));
    expect(m!.parsed.subject).toBe('New papers on “<b>graph</b> neural nets” — 21 Aug 2026 · 1 paper');
    const listUnsub = m!.headerLines.filter((l) => l.key === 'list-unsubscribe');
    expect(listUnsub).toHaveLength(1);
    const urls = [...listUnsub[0]!.line.matchAll(/<([^>]+)>/g)].map((x) => x[1]!);
    expect(urls).toHaveLength(2);
    const token = urls[0]!.split('/').pop()!;
    expect(verifyToken(key, token, 'unsubscribe', now)).toMatchObject({ ok: true, sub: sub.id });
    expect(verifyToken(key, token, 'manage', now).ok).toBe(false);
    expect(m!.headerLines.filter((l) => l.key === 'list-unsubscribe-post').map((l) => l.line)).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(m!.headerLines.filter((l) => l.key === 'list-id')).toHaveLength(1);
    const html = String(m!.parsed.html);
    expect(html).not.toMatch(/<script|<img|<b>graph/);
    expect(html).toContain('Attack &lt;img src=x onerror=alert(1)&gt; on O(n²)');
    expect(m!.parsed.text).toContain('1. Attack <img src=x onerror=alert(1)> on O(n²)\nhttps://papers.example.org/papers/2608.00001\n');
  });

  it('refuses a digest whose address was not normalised, before anything reaches the server', async () => {
    peer = await startSmtpPeer();
    const mailer = createSmtpMailer({ url: peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
    const confirmation = composeConfirmation({
      subscription: { ...sub, email: 'reader@example.org' },
      confirmUrl: `${site}/subscribe/confirm/x`,
      siteUrl: site,
      requestedAt: now.toISOString(),
      expiresAt: tokenExpiry('confirm', now),
    });
    const e = await mailer.send({ from: 'digest@papers.example.org', to: 'reader@example.org\r\nBcc: all@example.org', ...confirmation }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MailError);
    expect((e as MailError).kind).toBe('permanent');
    await mailer.send({ from: 'digest@papers.example.org', to: 'reader@example.org', ...confirmation });
    await mailer.close();
    const received = await peer.waitFor(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.parsed.text).toContain('If this was not you, ignore this email');
    expect(received[0]!.headerLines.some((l) => l.key === 'list-unsubscribe')).toBe(false);
  });
});

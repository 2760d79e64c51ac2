/**
 * Deciding and sending digests (issue 11, decision 018) on both stores, against a real SMTP
 * peer on loopback: the trending digest is the site's ranking, an alert the search's matches,
 * a rerun queues nothing, temporary failures are retried until sent and permanent ones fail and
 * give their papers back, a paper reaches an address once whatever the period, frequency or
 * topic, and nothing goes to a subscription that left or paused, or to a suppressed address.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDigestPeriod } from '../src/core/digest-schedule.js';
import type { Inbox } from '../src/ports/paper-store.js';
import { ListingService } from '../src/services/listing.service.js';
import type { DigestService } from '../src/services/digest.service.js';
import { DigestSender, type SendOptions } from '../src/services/digest-sender.js';
import { createSmtpMailer } from '../src/adapters/mail/smtp.mailer.js';
import type { Mailer } from '../src/ports/mailer.js';
import { DAYS, WEEK, arrivals, confirmed, digestWiring, saveWeek } from './support/digest-fixture.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import type { OpenedStore } from './support/store-harness.js';

const SIZE = 4;

for (const harness of STORE_HARNESSES) {
  describe(`digests: ${harness.name}`, () => {
    let opened: OpenedStore;
    let inbox: Inbox;
    let peer: SmtpPeer;
    let mailer: Mailer;
    /** the clock the sender reads: tests move it past a retry's wait */
    let now: Date;
    let digests: DigestService;
    let sender: DigestSender;
    const send: SendOptions = { concurrency: 3, rate: 0, leaseMs: 60_000, maxAttempts: 4 };

    beforeEach(async () => {
      opened = await harness.open();
      inbox = opened.inbox;
      await saveWeek(opened.store);
      await opened.index.refresh();
      peer = await startSmtpPeer();
      mailer = createSmtpMailer({ url: peer.url, concurrency: 3, ratePerSecond: 0 });
      now = new Date('2025-03-10T07:00:00Z');
      ({ digests, sender } = digestWiring(opened, { now: () => now, mailer, random: () => 0.5 }));
    });

    afterEach(async () => {
      await mailer?.close();
      await peer?.close();
      await opened?.store.close();
      await opened?.drop();
    });

    const queue = (period: string) => digests.queuePeriod(parseDigestPeriod(period), { size: SIZE, batch: 2 });
    const papersOf = async (subscriptionId: string) => (await inbox.messagesOf(subscriptionId)).flatMap((m) => m.items.map((i) => i.paperId));

    it('gives each trending subscription the period\'s top papers in the site\'s order, once: a rerun queues nothing', async () => {
      const subs = await Promise.all(['a@example.org', 'b@example.org', 'c@example.org'].map((e) => confirmed(inbox, e, 'daily')));
      await confirmed(inbox, 'weekly@example.org', 'weekly'); // another frequency: not this period's
      const r = await queue(DAYS[2]!);
      expect(r).toMatchObject({ period: DAYS[2], frequency: 'daily', papers: 5, subscriptions: 3, queued: 3 });
      const site = await new ListingService(opened.store, opened.votes).listing({ kind: 'day', key: DAYS[2]! }, { order: 'trending', page: 1, pageSize: SIZE });
      for (const s of subs) {
        const [m] = await inbox.messagesOf(s.id);
        expect(m!.items).toEqual(site.papers.map((p, i) => ({ paperId: p.id, rank: i + 1 })));
      }
      expect(await queue(DAYS[2]!)).toMatchObject({ subscriptions: 3, queued: 0 });
      // a day without papers walks nobody and queues nothing
      expect(await queue('2025-03-20')).toMatchObject({ papers: 0, subscriptions: 0, queued: 0 });
    });

    it('gives an alert the period\'s papers matching each topic, saying which topic matched', async () => {
      const s = await confirmed(inbox, 'alert@example.org', 'weekly', ['diffusion', 'retrieval']);
      await queue(WEEK);
      const [m] = await inbox.messagesOf(s.id);
      expect(m!.items.length).toBe(2 * SIZE);
      const titles = await opened.store.getPapers(m!.items.map((i) => i.paperId));
      for (const item of m!.items) expect(titles.get(item.paperId)!.title).toContain(item.topic);
      expect(new Set(m!.items.map((i) => i.topic))).toEqual(new Set(['diffusion', 'retrieval']));
      await sender.sendDue(send);
      const [mail] = arrivals(peer);
      expect(mail!.subject).toMatch(/“diffusion” and “retrieval”/);
      expect(mail!.text).toContain('Matches your topic “diffusion”');
    });

    it('pick (what the preview page shows) is what the queue reserves, for a trending digest and an alert', async () => {
      const trending = await confirmed(inbox, 'pick-t@example.org', 'weekly');
      const alert = await confirmed(inbox, 'pick-a@example.org', 'weekly', ['retrieval', 'diffusion']);
      const period = parseDigestPeriod(WEEK);
      const picked = new Map<string, { paperId: string; rank?: number; topic?: string }[]>();
      for (const s of [trending, alert]) {
        const entries = await digests.pick(s, period, SIZE);
        expect(entries.every((e) => typeof e.paper.title === 'string' && e.paper.title.length > 0)).toBe(true);
        picked.set(s.id, entries.map((e) => ({ paperId: e.paper.id, ...(e.rank !== undefined ? { rank: e.rank } : {}), ...(e.topic !== undefined ? { topic: e.topic } : {}) })));
      }
      expect(picked.get(trending.id)!.map((i) => i.rank)).toEqual([1, 2, 3, 4]);
      expect(picked.get(alert.id)![0]!.topic).toBe('retrieval'); // the reader's order
      await queue(WEEK);
      // distinct addresses, nothing sent before: the store keeps every pick
      for (const s of [trending, alert]) expect((await inbox.messagesOf(s.id))[0]!.items).toEqual(picked.get(s.id));
    });

    it('reads the papers of a whole claim at once, not once per message', async () => {
      for (let i = 0; i < 6; i++) await confirmed(inbox, `claim${i}@example.org`, 'daily');
      await queue(DAYS[1]!);
      const reads: number[] = [];
      const papers = { getPapers: (ids: readonly string[]) => (reads.push(ids.length), opened.store.getPapers(ids)) };
      const { mail } = digestWiring(opened, { now: () => now });
      const counted = new DigestSender({ subscriptions: inbox, outbox: inbox, papers, mail, mailer, now: () => now });
      // concurrency 3 claims 6 at a time: the six messages in one claim, one read of their papers
      expect(await counted.sendDue(send)).toEqual({ sent: 6, retry: 0, failed: 0 });
      expect(reads).toEqual([SIZE]); // six trending digests of the same day share their papers
      expect(arrivals(peer)).toHaveLength(6);
    });

    it('retries a temporary failure with backoff until it is sent; a permanent one fails and gives its papers back', async () => {
      const flaky = await confirmed(inbox, 'flaky@example.org', 'daily');
      const refused = await confirmed(inbox, 'refused@example.org', 'daily');
      const fine = await confirmed(inbox, 'fine@example.org', 'daily');
      peer.failRecipient('flaky@example.org', 451);
      peer.failRecipient('refused@example.org', 550);
      await queue(DAYS[0]!);

      expect(await sender.sendDue(send)).toEqual({ sent: 1, retry: 1, failed: 1 });
      const [f] = await inbox.messagesOf(flaky.id);
      expect(f).toMatchObject({ status: 'queued', attempts: 1 });
      // backoff: 1 min × 2^0, jittered to 45 s with random 0.5
      expect(Date.parse(f!.nextAttemptAt) - now.getTime()).toBe(45_000);
      expect(await sender.sendDue(send)).toEqual({ sent: 0, retry: 0, failed: 0 }); // not due yet
      now = new Date(now.getTime() + 46_000);
      expect(await sender.sendDue(send)).toEqual({ sent: 0, retry: 1, failed: 0 });
      expect(Date.parse((await inbox.messagesOf(flaky.id))[0]!.nextAttemptAt) - now.getTime()).toBe(90_000); // doubled
      now = new Date(now.getTime() + 91_000);
      peer.failRecipient('flaky@example.org', 0); // the server takes it now
      expect(await sender.sendDue(send)).toEqual({ sent: 1, retry: 0, failed: 0 });
      expect((await inbox.messagesOf(flaky.id))[0]).toMatchObject({ status: 'sent', attempts: 3 });

      const [r] = await inbox.messagesOf(refused.id);
      expect(r).toMatchObject({ status: 'failed', attempts: 1 });
      expect(r!.lastError).toMatch(/permanent \(550\)/);
      // its papers count as not sent: they are still the address's to receive
      expect(await inbox.alreadySent('refused@example.org', r!.items.map((i) => i.paperId))).toEqual(new Set());
      expect((await inbox.alreadySent('fine@example.org', r!.items.map((i) => i.paperId))).size).toBe(r!.items.length);

      const delivered = arrivals(peer);
      expect(delivered.map((m) => m.to).sort()).toEqual(['fine@example.org', 'flaky@example.org']);
      const [fm] = await inbox.messagesOf(fine.id);
      expect(delivered.find((m) => m.to === 'fine@example.org')!.messageId).toBe(fm!.messageId);
    });

    it('gives up a message that keeps failing temporarily after the bounded number of tries', async () => {
      const s = await confirmed(inbox, 'down@example.org', 'daily');
      peer.failRecipient('down@example.org', 452);
      await queue(DAYS[0]!);
      for (let i = 0; i < send.maxAttempts; i++) {
        await sender.sendDue(send);
        now = new Date(now.getTime() + 7 * 3_600_000); // past any wait
      }
      expect((await inbox.messagesOf(s.id))[0]).toMatchObject({ status: 'failed', attempts: send.maxAttempts });
      expect((await inbox.messagesOf(s.id))[0]!.lastError).toMatch(/gave up after 4 tries/);
      expect(arrivals(peer)).toEqual([]);
    });

    it('never sends a paper twice to an address, across periods, frequencies and topics', async () => {
      const email = 'reader@example.org';
      const subs = [
        await confirmed(inbox, email, 'daily'),
        await confirmed(inbox, email, 'weekly'),
        await confirmed(inbox, email, 'daily', ['diffusion']),
        await confirmed(inbox, email, 'weekly', ['diffusion', 'speculative decoding']),
      ];
      // another address with the same subscriptions gets its own copies
      await confirmed(inbox, 'other@example.org', 'weekly');
      for (const day of DAYS) {
        await queue(day);
        await sender.sendDue(send);
      }
      await queue(WEEK);
      await sender.sendDue(send);

      const sentIds = (await Promise.all(subs.map((s) => papersOf(s.id)))).flat();
      expect(sentIds.length).toBeGreaterThan(DAYS.length * SIZE); // the trending dailies alone fill this
      expect(new Set(sentIds).size).toBe(sentIds.length);
      // the weekly digest had candidates the dailies had sent: they were left out, not resent
      const weekly = await inbox.messagesOf(subs[1]!.id);
      expect(weekly.length === 0 || weekly[0]!.items.length < SIZE).toBe(true);
      const other = await papersOf((await inbox.subscriptionsOf('other@example.org'))[0]!.id);
      expect(other).toHaveLength(SIZE);
      // what arrived: one message per outbox row sent, each its own Message-ID
      const toReader = arrivals(peer).filter((m) => m.to === email);
      const rows = (await Promise.all(subs.map((s) => inbox.messagesOf(s.id)))).flat().filter((m) => m.status === 'sent');
      expect(toReader.map((m) => m.messageId).sort()).toEqual(rows.map((m) => m.messageId).sort());
    });

    it('sends nothing to a subscription unsubscribed, paused or gone, or to a suppressed address, saying why', async () => {
      const left = await confirmed(inbox, 'left@example.org', 'daily');
      const paused = await confirmed(inbox, 'paused@example.org', 'daily');
      const gone = await confirmed(inbox, 'gone@example.org', 'daily');
      const bounced = await confirmed(inbox, 'bounced@example.org', 'daily');
      await queue(DAYS[1]!);
      await inbox.update(left.id, { status: 'unsubscribed' }, now.toISOString());
      await inbox.update(paused.id, { status: 'paused' }, now.toISOString());
      await inbox.markAddress('bounced@example.org', 'hard-bounce', '550 no such user', now.toISOString());
      expect(await inbox.remove(gone.id)).toBe(true);
      // the removed one's row went with it; the hard bounce failed the address's queued rows at once
      // (the store does: the sender's own check covers a row claimed before the bounce came)
      expect(await sender.sendDue(send)).toEqual({ sent: 0, retry: 0, failed: 2 });
      expect((await inbox.messagesOf(left.id))[0]!.lastError).toMatch(/unsubscribed/);
      expect((await inbox.messagesOf(paused.id))[0]!.lastError).toMatch(/paused/);
      expect((await inbox.messagesOf(bounced.id))[0]!.lastError).toMatch(/suppressed/);
      expect(arrivals(peer)).toEqual([]);
    });
  });
}

/**
 * The DigestOutbox contract (issue 11, docs/decisions/016): reservations that never give an
 * address a paper twice, claims that never give a message to two senders, and the retry and
 * failure transitions. Run on every store adapter (test/sqlite.store.test.ts,
 * test/postgres.store.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Inbox } from '../../src/ports/paper-store.js';
import type { Subscription } from '../../src/ports/subscriptions.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { activeSubscription, at, otherInbox, reservation } from './inbox-fixtures.js';
import { storePerTest } from './store-per-test.js';

const MINUTE = 60_000;

export function digestOutboxContract(harness: StoreHarness): void {
  describe(`DigestOutbox contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let inbox: Inbox;
    let ada: Subscription;
    storePerTest(harness, (o) => {
      opened = o;
      inbox = o.inbox;
    });
    const setUp = async () => {
      ada = await activeSubscription(inbox, 'ada@example.org');
    };

    it('reserves a queued message under (subscription, period), with its papers in order', async () => {
      await setUp();
      const r = { ...reservation(ada, '2026-08-21', ['p2', 'p1']), items: [{ paperId: 'p2', rank: 1 }, { paperId: 'p1', topic: 'graphs' }] };
      expect(await inbox.reserve([r])).toEqual([`${ada.id}/2026-08-21`]);
      expect(await inbox.hasMessage(ada.id, '2026-08-21')).toBe(true);
      expect(await inbox.hasMessage(ada.id, '2026-08-22')).toBe(false);
      expect(await inbox.messagesOf(ada.id)).toEqual([
        {
          key: `${ada.id}/2026-08-21`,
          subscriptionId: ada.id,
          email: 'ada@example.org',
          period: '2026-08-21',
          messageId: r.messageId,
          items: [{ paperId: 'p2', rank: 1 }, { paperId: 'p1', topic: 'graphs' }],
          status: 'queued',
          attempts: 0,
          nextAttemptAt: r.now,
          lastError: null,
          createdAt: r.now,
          sentAt: null,
        },
      ]);
      expect(await inbox.alreadySent('ada@example.org', ['p1', 'p2', 'p3'])).toEqual(new Set(['p1', 'p2']));
      expect(await inbox.alreadySent('bob@example.org', ['p1'])).toEqual(new Set());
      expect(await inbox.alreadySent('ada@example.org', [])).toEqual(new Set());
    });

    it('leaves a key that exists alone, whatever its status', async () => {
      await setUp();
      await inbox.reserve([reservation(ada, '2026-08-21', ['p1'])]);
      const before = await inbox.messagesOf(ada.id);
      expect(await inbox.reserve([reservation(ada, '2026-08-21', ['p9'], at(50))])).toEqual([]);
      expect(await inbox.messagesOf(ada.id)).toEqual(before);
      expect(await inbox.alreadySent('ada@example.org', ['p9'])).toEqual(new Set());
      const [claimed] = await inbox.claimDue(at(60), 1, MINUTE);
      await inbox.markFailed(claimed!.key, '550 refused', at(61));
      expect(await inbox.reserve([reservation(ada, '2026-08-21', ['p1'], at(70))])).toEqual([]); // failed stays failed
      expect((await inbox.messagesOf(ada.id))[0]!.status).toBe('failed');
    });

    it('never reserves a paper an address already has, across periods, subscriptions and one call', async () => {
      await setUp();
      const alerts = await activeSubscription(inbox, 'ada@example.org', { topics: ['graphs'] });
      const bob = await activeSubscription(inbox, 'bob@example.org');
      expect(await inbox.reserve([reservation(ada, '2026-08-21', ['p1', 'p2'])])).toHaveLength(1);
      const keys = await inbox.reserve([
        reservation(ada, '2026-08-22', ['p2', 'p3', 'p3', 'p4']), // p2 went yesterday; p3 twice here
        reservation(alerts, '2026-08-22', ['p4', 'p5']), // p4 is in the reservation just before
        reservation(bob, '2026-08-22', ['p1', 'p4']), // another address: all its own
        reservation(alerts, '2026-08-23', ['p1', 'p5']), // nothing left: no message
      ]);
      expect(keys).toEqual([`${ada.id}/2026-08-22`, `${alerts.id}/2026-08-22`, `${bob.id}/2026-08-22`]);
      const papers = async (s: Subscription) => (await inbox.messagesOf(s.id)).map((m) => [m.period, m.items.map((i) => i.paperId)]);
      expect(await papers(ada)).toEqual([
        ['2026-08-22', ['p3', 'p4']],
        ['2026-08-21', ['p1', 'p2']],
      ]);
      expect(await papers(alerts)).toEqual([['2026-08-22', ['p5']]]);
      expect(await papers(bob)).toEqual([['2026-08-22', ['p1', 'p4']]]);
      expect(await inbox.hasMessage(alerts.id, '2026-08-23')).toBe(false);
      expect(await inbox.alreadySent('ada@example.org', ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'])).toEqual(new Set(['p1', 'p2', 'p3', 'p4', 'p5']));
    });

    it('reserves nothing for a subscription that is gone', async () => {
      await setUp();
      const gone = await activeSubscription(inbox, 'gone@example.org');
      await inbox.remove(gone.id);
      expect(await inbox.reserve([reservation(gone, '2026-08-21', ['p1']), reservation(ada, '2026-08-21', ['p1'])])).toEqual([`${ada.id}/2026-08-21`]);
    });

    it('claims due messages oldest first, each until its lease ends, counting attempts', async () => {
      await setUp();
      const subs = [ada, await activeSubscription(inbox, 'b@example.org'), await activeSubscription(inbox, 'c@example.org')];
      await inbox.reserve([reservation(subs[1]!, '2026-08-21', ['p1'], at(12))]);
      await inbox.reserve([reservation(subs[0]!, '2026-08-21', ['p1'], at(10)), reservation(subs[2]!, '2026-08-21', ['p1'], at(30))]);
      expect(await inbox.claimDue(at(5), 10, MINUTE)).toEqual([]); // nothing due yet
      const first = await inbox.claimDue(at(20), 10, 5 * MINUTE);
      expect(first.map((m) => [m.subscriptionId, m.status, m.attempts])).toEqual([
        [subs[0]!.id, 'sending', 1],
        [subs[1]!.id, 'sending', 1],
      ]);
      expect(await inbox.claimDue(at(24), 10, 5 * MINUTE)).toEqual([]); // leased until 25
      expect(await inbox.outboxCounts()).toEqual({ queued: 1, sending: 2, sent: 0, failed: 0 });
      // the sender died: past its lease another takes them over, and the one now due
      const second = await inbox.claimDue(at(31), 2, 5 * MINUTE);
      expect(second.map((m) => [m.subscriptionId, m.attempts])).toEqual([
        [subs[0]!.id, 2],
        [subs[1]!.id, 2],
      ]);
      expect((await inbox.claimDue(at(31), 10, 5 * MINUTE)).map((m) => m.subscriptionId)).toEqual([subs[2]!.id]);
    });

    it('never hands one message to two senders on two handles', async () => {
      const other = await otherInbox(opened);
      const subs = [];
      for (let i = 0; i < 40; i++) subs.push(await activeSubscription(inbox, `r${i}@example.org`));
      await inbox.reserve(subs.map((s) => reservation(s, '2026-08-21', ['p1'])));
      const claimed: string[] = [];
      const sender = async (handle: Inbox) => {
        for (;;) {
          const got = await handle.claimDue(at(20), 3, 10 * MINUTE);
          if (got.length === 0) return;
          claimed.push(...got.map((m) => m.key));
        }
      };
      await Promise.all([sender(inbox), sender(other), sender(inbox), sender(other)]);
      expect(claimed).toHaveLength(40);
      expect(new Set(claimed).size).toBe(40);
    });

    it('marks a message sent, and no later retry or failure of a stale sender undoes it', async () => {
      await setUp();
      await inbox.reserve([reservation(ada, '2026-08-21', ['p1'])]);
      const [m] = await inbox.claimDue(at(20), 1, MINUTE);
      await inbox.markSent(m!.key, at(21));
      await inbox.markRetry(m!.key, '421 late', at(40));
      await inbox.markFailed(m!.key, '550 late', at(22));
      expect(await inbox.messagesOf(ada.id)).toMatchObject([{ status: 'sent', sentAt: at(21), attempts: 1 }]);
      expect(await inbox.claimDue(at(100), 10, MINUTE)).toEqual([]);
      expect(await inbox.alreadySent('ada@example.org', ['p1'])).toEqual(new Set(['p1']));
      expect(await inbox.outboxCounts()).toEqual({ queued: 0, sending: 0, sent: 1, failed: 0 });
    });

    it('puts a message back with its error, due again at the time given', async () => {
      await setUp();
      await inbox.reserve([reservation(ada, '2026-08-21', ['p1'])]);
      const [m] = await inbox.claimDue(at(20), 1, MINUTE);
      await inbox.markRetry(m!.key, '451 try later', at(40));
      expect(await inbox.messagesOf(ada.id)).toMatchObject([{ status: 'queued', lastError: '451 try later', nextAttemptAt: at(40), attempts: 1 }]);
      expect(await inbox.claimDue(at(39), 1, MINUTE)).toEqual([]);
      expect(await inbox.claimDue(at(40), 1, MINUTE)).toMatchObject([{ key: m!.key, attempts: 2, lastError: '451 try later' }]);
    });

    it('fails a message for good and gives its papers back to later digests', async () => {
      await setUp();
      await inbox.reserve([reservation(ada, '2026-08-21', ['p1', 'p2'])]);
      await inbox.reserve([reservation(ada, '2026-08-22', ['p3'])]);
      const [m] = await inbox.claimDue(at(20), 1, MINUTE);
      await inbox.markFailed(m!.key, '550 mailbox unavailable', at(21));
      expect((await inbox.messagesOf(ada.id)).map((x) => [x.period, x.status, x.lastError])).toEqual([
        ['2026-08-22', 'queued', null],
        ['2026-08-21', 'failed', '550 mailbox unavailable'],
      ]);
      expect(await inbox.alreadySent('ada@example.org', ['p1', 'p2', 'p3'])).toEqual(new Set(['p3']));
      expect(await inbox.reserve([reservation(ada, '2026-08-23', ['p1', 'p3'])])).toHaveLength(1);
      expect((await inbox.messagesOf(ada.id))[0]!.items.map((i) => i.paperId)).toEqual(['p1']);
      expect(await inbox.outboxCounts()).toEqual({ queued: 2, sending: 0, sent: 0, failed: 1 });
    });

    it('gives each key and each paper of an address once when two handles reserve at once', async () => {
      const other = await otherInbox(opened);
      const subs = [];
      for (let i = 0; i < 30; i++) subs.push(await activeSubscription(inbox, `r${i % 10}@example.org`, { topics: [`t${i}`] }));
      // the same digests from both handles, and digests of sibling subscriptions sharing papers
      const batch = subs.map((s, i) => reservation(s, '2026-08-21', [`p${i % 4}`, `p${(i + 1) % 4}`, 'p9']));
      const [a, b] = await Promise.all([inbox.reserve(batch), other.reserve([...batch].reverse())]);
      expect(new Set([...a, ...b]).size).toBe(a.length + b.length);
      const counts = await inbox.outboxCounts();
      expect(counts.queued).toBe(a.length + b.length);
      for (let r = 0; r < 10; r++) {
        const email = `r${r}@example.org`;
        const papers: string[] = [];
        for (const s of await inbox.subscriptionsOf(email)) for (const m of await inbox.messagesOf(s.id)) papers.push(...m.items.map((i) => i.paperId));
        expect(papers.sort()).toEqual([...new Set(papers)].sort()); // no paper twice to one address
        expect(await inbox.alreadySent(email, ['p0', 'p1', 'p2', 'p3', 'p9'])).toEqual(new Set(papers));
      }
    });

    it('answers alreadySent for many papers at once', async () => {
      await setUp();
      const ids = Array.from({ length: 2000 }, (_, i) => `2501.${String(i).padStart(5, '0')}`);
      await inbox.reserve([reservation(ada, '2026-08-21', ids.filter((_, i) => i % 3 === 0))]);
      const sent = await inbox.alreadySent('ada@example.org', ids);
      expect(sent.size).toBe(667);
      expect(sent.has('2501.00003')).toBe(true);
      expect(sent.has('2501.00004')).toBe(false);
    });
  });
}

/**
 * The Subscriptions contract (readers' subscriptions and address marks, issue 11): what every
 * store adapter must do, run on each of them (test/sqlite.store.test.ts, test/postgres.store.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Inbox } from '../../src/ports/paper-store.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { activeSubscription, at, otherInbox, reservation, subscribe, subscriptionId } from './inbox-fixtures.js';
import { storePerTest } from './store-per-test.js';

export function subscriptionsContract(harness: StoreHarness): void {
  describe(`Subscriptions contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let inbox: Inbox;
    storePerTest(harness, (o) => {
      opened = o;
      inbox = o.inbox;
    });

    it('makes a pending subscription, and finds it again for the same address, frequency and topics', async () => {
      const id = subscriptionId();
      const first = await inbox.requestSubscription({ id, email: 'Ada@example.org', frequency: 'weekly', topics: ['graph neural networks', 'author:"Yue Ma"'], now: at(0) });
      expect(first).toEqual({
        created: true,
        subscription: {
          id,
          email: 'Ada@example.org', // as given: normalising is the caller's
          frequency: 'weekly',
          topics: ['graph neural networks', 'author:"Yue Ma"'],
          status: 'pending',
          createdAt: at(0),
          confirmedAt: null,
          updatedAt: at(0),
        },
      });
      const again = await inbox.requestSubscription({ id: subscriptionId(), email: 'Ada@example.org', frequency: 'weekly', topics: ['graph neural networks', 'author:"Yue Ma"'], now: at(5) });
      expect(again).toEqual({ created: false, subscription: first.subscription });
      expect(await inbox.subscription(id)).toEqual(first.subscription);
    });

    it('tells subscriptions apart by address as given, frequency, and topics in their order', async () => {
      const base = { email: 'ada@example.org', frequency: 'daily' as const, topics: ['a', 'b'], now: at(0) };
      const ids = new Set<string>();
      for (const input of [base, { ...base, topics: ['b', 'a'] }, { ...base, topics: [] }, { ...base, frequency: 'weekly' as const }, { ...base, email: 'ADA@example.org' }]) {
        const r = await inbox.requestSubscription({ ...input, id: subscriptionId() });
        expect(r.created).toBe(true);
        ids.add(r.subscription.id);
      }
      expect(ids.size).toBe(5);
      expect((await inbox.subscriptionsOf('ada@example.org')).map((s) => s.topics)).toEqual([['a', 'b'], ['b', 'a'], [], ['a', 'b']]);
      expect(await inbox.subscriptionsOf('ADA@example.org')).toHaveLength(1);
    });

    it('ends with one subscription when two handles ask for the same one at once', async () => {
      const other = await otherInbox(opened);
      const input = { email: 'ada@example.org', frequency: 'daily' as const, topics: ['retrieval'], now: at(0) };
      const results = await Promise.all([
        inbox.requestSubscription({ ...input, id: subscriptionId('A') }),
        other.requestSubscription({ ...input, id: subscriptionId('B') }),
        inbox.requestSubscription({ ...input, id: subscriptionId('C') }),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.subscription.id)).size).toBe(1);
      expect(await inbox.allSubscriptions('', 10)).toHaveLength(1);
    });

    it('lists every subscription of an address, any status, oldest first', async () => {
      const b = await subscribe(inbox, 'ada@example.org', { topics: ['b'], now: at(2) });
      const a = await subscribe(inbox, 'ada@example.org', { topics: ['a'], now: at(1) });
      await subscribe(inbox, 'bob@example.org', { now: at(0) });
      await inbox.update(b.id, { status: 'unsubscribed' }, at(3));
      expect((await inbox.subscriptionsOf('ada@example.org')).map((s) => [s.id, s.status])).toEqual([
        [a.id, 'pending'],
        [b.id, 'unsubscribed'],
      ]);
      expect(await inbox.subscriptionsOf('nobody@example.org')).toEqual([]);
      expect(await inbox.subscription('unknown')).toBeNull();
    });

    it('confirms a pending subscription once; an active or paused one stays as it is', async () => {
      const s = await subscribe(inbox, 'ada@example.org');
      const confirmed = await inbox.confirm(s.id, at(5));
      expect(confirmed).toEqual({ ...s, status: 'active', confirmedAt: at(5), updatedAt: at(5) });
      expect(await inbox.confirm(s.id, at(9))).toEqual(confirmed); // a second click changes nothing
      const paused = await inbox.update(s.id, { status: 'paused' }, at(10));
      expect(await inbox.confirm(s.id, at(11))).toEqual(paused);
      expect(paused).toMatchObject({ status: 'paused', confirmedAt: at(5) });
      await inbox.update(s.id, { status: 'unsubscribed' }, at(12));
      expect(await inbox.confirm(s.id, at(13))).toBeNull();
      expect(await inbox.confirm('unknown', at(13))).toBeNull();
    });

    it('changes what is given, replacing the topics whole; null for an unknown one', async () => {
      const s = await activeSubscription(inbox, 'ada@example.org', { topics: ['a', 'b'] });
      const changed = await inbox.update(s.id, { topics: ['c'] }, at(20));
      expect(changed).toEqual({ ...s, topics: ['c'], updatedAt: at(20) });
      expect(await inbox.update(s.id, { frequency: 'weekly' }, at(21))).toEqual({ ...s, topics: ['c'], frequency: 'weekly', updatedAt: at(21) });
      expect(await inbox.update(s.id, { status: 'paused' }, at(22))).toMatchObject({ status: 'paused', topics: ['c'], frequency: 'weekly' });
      expect(await inbox.update('unknown', { status: 'paused' }, at(22))).toBeNull();
    });

    it('refuses to make two live subscriptions of an address alike, and lets one that left be asked for again', async () => {
      const a = await subscribe(inbox, 'ada@example.org', { topics: ['a'] });
      const b = await subscribe(inbox, 'ada@example.org', { topics: ['b'] });
      await expect(inbox.update(b.id, { topics: ['a'] }, at(5))).rejects.toThrow(/already has a subscription/);
      expect((await inbox.subscription(b.id))!.topics).toEqual(['b']);
      await inbox.update(a.id, { status: 'unsubscribed' }, at(6));
      const again = await inbox.requestSubscription({ id: subscriptionId(), email: 'ada@example.org', frequency: 'daily', topics: ['a'], now: at(7) });
      expect(again.created).toBe(true);
      expect(again.subscription.id).not.toBe(a.id);
      expect((await inbox.subscription(a.id))!.status).toBe('unsubscribed'); // kept, for a late one-click
    });

    it('removes a subscription with its outbox messages and sent papers, and nothing of another', async () => {
      const mine = await activeSubscription(inbox, 'ada@example.org', { topics: ['a'] });
      const sibling = await activeSubscription(inbox, 'ada@example.org', { topics: ['b'] });
      await inbox.reserve([reservation(mine, '2026-08-21', ['p1', 'p2']), reservation(sibling, '2026-08-21', ['p3'])]);
      await inbox.reserve([reservation(mine, '2026-08-22', ['p4'])]);
      expect(await inbox.remove(mine.id)).toBe(true);
      expect(await inbox.subscription(mine.id)).toBeNull();
      expect(await inbox.messagesOf(mine.id)).toEqual([]);
      expect(await inbox.hasMessage(mine.id, '2026-08-21')).toBe(false);
      expect([...(await inbox.alreadySent('ada@example.org', ['p1', 'p2', 'p3', 'p4']))]).toEqual(['p3']);
      expect(await inbox.messagesOf(sibling.id)).toHaveLength(1);
      expect(await inbox.outboxCounts()).toEqual({ queued: 1, sending: 0, sent: 0, failed: 0 });
      expect(await inbox.remove(mine.id)).toBe(false);
    });

    it('expires pending subscriptions made before a time, and only those', async () => {
      const old = await subscribe(inbox, 'a@example.org', { now: at(0) });
      const fresh = await subscribe(inbox, 'b@example.org', { now: at(60) });
      const confirmed = await activeSubscription(inbox, 'c@example.org', { now: at(0) });
      expect(await inbox.expirePending(at(30))).toBe(1);
      expect(await inbox.subscription(old.id)).toBeNull();
      expect(await inbox.subscription(fresh.id)).not.toBeNull();
      expect(await inbox.subscription(confirmed.id)).not.toBeNull();
      expect(await inbox.expirePending(at(30))).toBe(0);
    });

    it('keeps a per-address budget of form emails: max a window, a new window once it has ended, shared by every handle', async () => {
      const take = (email: string, minutes: number, i: Inbox = inbox) => i.takeAddressBudget(email, at(minutes), 3, 60 * 60_000);
      expect([await take('a@example.org', 0), await take('a@example.org', 10), await take('a@example.org', 20), await take('a@example.org', 30)]).toEqual([true, true, true, false]);
      expect(await take('b@example.org', 30)).toBe(true); // another address: its own budget
      expect(await take('a@example.org', 59)).toBe(false); // the window opened at 0 still runs
      expect(await take('a@example.org', 60)).toBe(true); // ended: a new one opens at 60
      // a second handle on the same database (another node) sees the same budget
      const other = await otherInbox(opened);
      expect([await take('a@example.org', 70, other), await take('a@example.org', 80, other), await take('a@example.org', 90)]).toEqual([true, true, false]);
      // concurrent takes never let more than the budget through
      const many = await Promise.all(Array.from({ length: 8 }, (_, i) => take('c@example.org', 100, i % 2 ? other : inbox)));
      expect(many.filter(Boolean)).toHaveLength(3);
      // windows opened before a time are forgotten; a forgotten address starts afresh
      expect(await inbox.pruneAddressBudgets(at(61))).toBe(2); // b (opened at 30) and a (at 60)
      expect(await take('c@example.org', 101)).toBe(false); // c's window (100) kept
      expect(await take('a@example.org', 62)).toBe(true);
    });

    it('pages active subscriptions of a frequency in id order, past suppressed addresses', async () => {
      const ids = ['s-b', 's-A', 's_c', 's-a', 'sZ', 's0'];
      for (const [n, id] of ids.entries()) await activeSubscription(inbox, `r${n}@example.org`, { id });
      await subscribe(inbox, 'pending@example.org', { id: 's-p' });
      await activeSubscription(inbox, 'weekly@example.org', { id: 's-w', frequency: 'weekly' });
      const paused = await activeSubscription(inbox, 'paused@example.org', { id: 's-q' });
      await inbox.update(paused.id, { status: 'paused' }, at(5));
      const byCode = [...ids].sort(); // byte order, the same on every store
      const page1 = await inbox.activeSubscriptions('daily', '', 4);
      const page2 = await inbox.activeSubscriptions('daily', page1.at(-1)!.id, 4);
      expect([...page1, ...page2].map((s) => s.id)).toEqual(byCode);
      expect(page2).toHaveLength(2);
      expect((await inbox.activeSubscriptions('weekly', '', 10)).map((s) => s.id)).toEqual(['s-w']);

      await inbox.markAddress('r0@example.org', 'soft-bounce', '452 mailbox full', at(6));
      expect(await inbox.activeSubscriptions('daily', '', 10)).toHaveLength(6); // a soft bounce stops nothing
      await inbox.markAddress('r0@example.org', 'hard-bounce', '550 no such user', at(7));
      await inbox.markAddress('r1@example.org', 'complaint', 'abuse report', at(7));
      expect((await inbox.activeSubscriptions('daily', '', 10)).map((s) => s.id)).toEqual(byCode.filter((id) => id !== 's-b' && id !== 's-A'));
    });

    it('pages every subscription, any status, in id order', async () => {
      for (const id of ['b', 'A', 'a', '_']) await subscribe(inbox, `${id}@example.org`, { id });
      await inbox.update('a', { status: 'unsubscribed' }, at(3));
      const first = await inbox.allSubscriptions('', 3);
      expect(first.map((s) => s.id)).toEqual(['A', '_', 'a']);
      expect((await inbox.allSubscriptions('a', 3)).map((s) => s.id)).toEqual(['b']);
    });

    it('keeps marks per address, newest first, whether or not it has subscriptions', async () => {
      expect(await inbox.addressState('ada@example.org')).toEqual({ email: 'ada@example.org', marks: [], suppressed: false });
      const soft = await inbox.markAddress('ada@example.org', 'soft-bounce', '421 try later', at(1));
      expect(soft).toEqual({ email: 'ada@example.org', marks: [{ kind: 'soft-bounce', at: at(1), detail: '421 try later' }], suppressed: false });
      await inbox.markAddress('ada@example.org', 'complaint', 'ARF report', at(2));
      const state = await inbox.addressState('ada@example.org');
      expect(state.marks.map((m) => m.kind)).toEqual(['complaint', 'soft-bounce']);
      expect(state.suppressed).toBe(true);
      expect((await inbox.addressState('Ada@example.org')).marks).toEqual([]); // compared as given
    });

    it('fails what is queued for an address when it hard-bounces, giving its papers back', async () => {
      const s = await activeSubscription(inbox, 'ada@example.org');
      const other = await activeSubscription(inbox, 'bob@example.org');
      await inbox.reserve([reservation(s, '2026-08-21', ['p1']), reservation(other, '2026-08-21', ['p1'])]);
      await inbox.markAddress('ada@example.org', 'hard-bounce', '550 5.1.1 unknown user', at(20));
      expect(await inbox.messagesOf(s.id)).toMatchObject([{ status: 'failed', lastError: expect.stringContaining('hard-bounce') }]);
      expect(await inbox.alreadySent('ada@example.org', ['p1'])).toEqual(new Set());
      expect((await inbox.claimDue(at(30), 10, 60_000)).map((m) => m.email)).toEqual(['bob@example.org']);
    });
  });
}

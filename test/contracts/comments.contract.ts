/**
 * The Comments contract (comments on papers and their moderation, issue 13): what every store
 * adapter must do, run on each of them (test/sqlite.store.test.ts, test/postgres.store.test.ts).
 * The paper store's ports serve to set up pages rendered ahead: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import type { Comment, Comments } from '../../src/ports/comments.js';
import { samplePaper, write } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { at } from './inbox-fixtures.js';
import { storePerTest } from './store-per-test.js';

const P = '2405.15738';
const Q = '2405.15739';
const ADA = 'ada';
const BOB = 'bob';
const MOD = 'mod-99';

export function commentsContract(harness: StoreHarness): void {
  describe(`Comments contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let comments: Comments;
    storePerTest(harness, (o) => {
      opened = o;
      comments = o.comments;
    });
    const add = async (authorId: string, body: string, opts: { paperId?: string; parentId?: number | null; now?: string } = {}) =>
      (await comments.addComment({ paperId: opts.paperId ?? P, parentId: opts.parentId ?? null, authorId, body, now: opts.now ?? at(0) }))!;
    const shown = async (paperId = P) => (await comments.discussion(paperId, 100)).map((c) => `${c.id}${c.parentId === null ? '' : `<${c.parentId}`}:${c.status}:${c.body}`);

    it('keeps a comment as written, with its author and time, and reads it back', async () => {
      const c = await add(ADA, 'Nice **result**: $O(n)$', { now: at(3) });
      const expected: Comment = {
        id: c.id,
        paperId: P,
        parentId: null,
        authorId: ADA,
        body: 'Nice **result**: $O(n)$',
        status: 'visible',
        createdAt: at(3),
        editedAt: null,
        hiddenAt: null,
        hiddenBy: null,
        deletedAt: null,
      };
      expect(c).toEqual(expected);
      expect(await comments.comment(c.id)).toEqual(expected);
      expect(await comments.comment(c.id + 1000)).toBeNull();
      expect(await comments.discussion(P, 10)).toEqual([expected]);
      expect(await comments.discussion(Q, 10)).toEqual([]);
    });

    it('keeps replies one level deep: a reply to a reply joins its top-level thread', async () => {
      const top = await add(ADA, 'top');
      const reply = await add(BOB, 'reply', { parentId: top.id });
      const deeper = await add(ADA, 'reply to the reply', { parentId: reply.id });
      expect(reply.parentId).toBe(top.id);
      expect(deeper.parentId).toBe(top.id);
      const second = await add(BOB, 'second top');
      const late = await add(ADA, 'late reply to the first', { parentId: top.id });
      // threads in order, each parent before its replies
      expect(await shown()).toEqual([
        `${top.id}:visible:top`,
        `${reply.id}<${top.id}:visible:reply`,
        `${deeper.id}<${top.id}:visible:reply to the reply`,
        `${late.id}<${top.id}:visible:late reply to the first`,
        `${second.id}:visible:second top`,
      ]);
      expect((await comments.discussion(P, 2)).map((c) => c.id)).toEqual([top.id, reply.id]);
    });

    it('refuses a reply to a comment that is unknown, on another paper or deleted', async () => {
      const other = await add(ADA, 'elsewhere', { paperId: Q });
      const gone = await add(ADA, 'gone');
      await comments.deleteComment(gone.id, ADA, at(1));
      for (const parentId of [other.id, gone.id, gone.id + 1000])
        expect(await comments.addComment({ paperId: P, parentId, authorId: BOB, body: 'x', now: at(2) })).toBeNull();
      expect(await shown()).toEqual([]);
    });

    it('lets only the author edit or delete, and never a deleted comment', async () => {
      const c = await add(ADA, 'first words');
      expect(await comments.editComment(c.id, BOB, 'hijacked', at(1))).toBeNull();
      expect(await comments.deleteComment(c.id, BOB, at(1))).toBe(false);
      const edited = await comments.editComment(c.id, ADA, 'better words', at(2));
      expect(edited).toMatchObject({ body: 'better words', editedAt: at(2), createdAt: at(0), status: 'visible' });
      expect(await comments.deleteComment(c.id, ADA, at(3))).toBe(true);
      expect(await comments.deleteComment(c.id, ADA, at(4))).toBe(false);
      expect(await comments.editComment(c.id, ADA, 'back from the dead', at(5))).toBeNull();
      expect(await comments.comment(c.id)).toMatchObject({ status: 'deleted', body: '', deletedAt: at(3) });
    });

    it('shows a deleted comment only while a reply not deleted hangs on it', async () => {
      const lonely = await add(ADA, 'lonely');
      const parent = await add(ADA, 'parent');
      const reply = await add(BOB, 'reply', { parentId: parent.id });
      await comments.deleteComment(lonely.id, ADA, at(1));
      await comments.deleteComment(parent.id, ADA, at(1));
      expect(await shown()).toEqual([`${parent.id}:deleted:`, `${reply.id}<${parent.id}:visible:reply`]);
      await comments.deleteComment(reply.id, BOB, at(2));
      expect(await shown()).toEqual([]);
    });

    it('takes one report per account and comment, and queues reported comments for moderators', async () => {
      const a = await add(ADA, 'a');
      const b = await add(ADA, 'b');
      const gone = await add(ADA, 'gone');
      await comments.deleteComment(gone.id, ADA, at(1));
      expect(await comments.reportComment(a.id, BOB, 'spam', at(5))).toBe('reported');
      expect(await comments.reportComment(a.id, BOB, 'spam again', at(6))).toBe('already-reported');
      expect(await comments.reportComment(b.id, BOB, 'rude', at(2))).toBe('reported');
      expect(await comments.reportComment(b.id, 'carol', 'off topic', at(7))).toBe('reported');
      expect(await comments.reportComment(gone.id, BOB, 'x', at(8))).toBeNull();
      expect(await comments.reportComment(gone.id + 1000, BOB, 'x', at(8))).toBeNull();
      const queue = await comments.reportQueue(10);
      expect(queue.map((r) => [r.comment.id, r.reports, r.firstReportedAt, r.reasons])).toEqual([
        [b.id, 2, at(2), ['rude', 'off topic']],
        [a.id, 1, at(5), ['spam']],
      ]);
      expect(queue[0]!.comment).toEqual(await comments.comment(b.id));
      expect(await comments.reportQueue(1)).toHaveLength(1);
    });

    it('lets moderators hide and restore, either closing the open reports', async () => {
      const a = await add(ADA, 'a');
      const b = await add(ADA, 'b');
      await comments.reportComment(a.id, BOB, 'rude', at(1));
      await comments.reportComment(b.id, BOB, 'fine really', at(1));
      const hidden = await comments.setHidden(a.id, true, MOD, at(2));
      expect(hidden).toMatchObject({ status: 'hidden', hiddenAt: at(2), hiddenBy: MOD, body: 'a' });
      expect(await shown()).toEqual([`${a.id}:hidden:a`, `${b.id}:visible:b`]); // shown as hidden, not dropped
      // restoring a visible comment dismisses its reports
      expect(await comments.setHidden(b.id, false, MOD, at(3))).toMatchObject({ status: 'visible', hiddenAt: null, hiddenBy: null });
      expect(await comments.reportQueue(10)).toEqual([]);
      // a report after the decision opens the queue again; the same account's cannot
      expect(await comments.reportComment(a.id, BOB, 'again', at(4))).toBe('already-reported');
      expect(await comments.reportComment(a.id, 'carol', 'new reporter', at(4))).toBe('reported');
      expect((await comments.reportQueue(10)).map((r) => r.comment.id)).toEqual([a.id]);
      expect(await comments.setHidden(a.id, false, MOD, at(5))).toMatchObject({ status: 'visible' });
      expect(await comments.reportQueue(10)).toEqual([]);
      await comments.deleteComment(a.id, ADA, at(6));
      expect(await comments.setHidden(a.id, true, MOD, at(7))).toBeNull();
      expect(await comments.setHidden(a.id + 1000, true, MOD, at(7))).toBeNull();
    });

    it('moves a paper’s discussion version with every change to it, and only that paper’s', async () => {
      const state = () => Promise.all([comments.discussionState(P), comments.discussionState(Q)]);
      expect(await state()).toEqual([
        { version: 0, comments: 0 },
        { version: 0, comments: 0 },
      ]);
      const versions: number[] = [];
      const overall = [await comments.discussionsVersion()];
      const step = async (what: () => Promise<unknown>) => {
        await what();
        overall.push(await comments.discussionsVersion());
        const [p, q] = await state();
        expect(q).toEqual({ version: 0, comments: 0 });
        versions.push(p.version);
        return p.comments;
      };
      const c = await add(ADA, 'a');
      versions.push((await comments.discussionState(P)).version);
      expect(await step(() => add(BOB, 'b', { parentId: c.id }))).toBe(2);
      expect(await step(() => comments.editComment(c.id, ADA, 'a2', at(1)))).toBe(2);
      expect(await step(() => comments.setHidden(c.id, true, MOD, at(2)))).toBe(2);
      expect(await step(() => comments.setHidden(c.id, false, MOD, at(3)))).toBe(2);
      expect(await step(() => comments.deleteComment(c.id, ADA, at(4)))).toBe(1);
      expect(await step(() => comments.anonymiseAuthor(BOB))).toBe(1);
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
      // every change moved the version of all discussions too, each time to one not seen before
      expect(new Set(overall).size).toBe(overall.length);
      // a report is no change to what the page shows
      const before = await comments.discussionState(P);
      const beforeAll = await comments.discussionsVersion();
      await comments.reportComment(c.id + 1, ADA, 'x', at(5));
      expect(await comments.discussionState(P)).toEqual(before);
      expect(await comments.discussionsVersion()).toBe(beforeAll);
    });

    it('makes the paper’s page rendered ahead stale with any change to its discussion, and no other page', async () => {
      const store = opened.store;
      await store.transaction((tx) => tx.savePapers([write(samplePaper(P)), write(samplePaper(Q))], []));
      await store.saveRelated([
        { id: P, related: [Q] },
        { id: Q, related: [P] },
      ]);
      const saveAll = async () =>
        store.savePages((await store.pagesToRender('L', 1, '', 10)).pages.map((i) => ({ ...i, layout: 'L', etag: `e-${i.id}`, body: Buffer.from(i.id) })));
      await saveAll();
      const c = await add(ADA, 'a');
      expect(await store.storedPage(P, 'L', 1)).toBeNull();
      expect(await store.storedPage(Q, 'L', 1)).not.toBeNull();
      expect((await store.pagesToRender('L', 1, '', 10)).pages.map((p) => p.id)).toEqual([P]);
      for (const change of [() => comments.editComment(c.id, ADA, 'b', at(1)), () => comments.setHidden(c.id, true, MOD, at(2)), () => comments.anonymiseAuthor(ADA)]) {
        await saveAll();
        expect(await store.storedPage(P, 'L', 1)).not.toBeNull();
        await change();
        expect(await store.storedPage(P, 'L', 1)).toBeNull();
        expect(await store.storedPage(Q, 'L', 1)).not.toBeNull();
      }
      // a comment that lands while the page is being rendered: the page is saved with what it
      // was read from, and is stale at once (never served as current without the comment)
      const inputs = (await store.pagesToRender('L', 1, '', 10)).pages;
      expect(inputs.map((i) => i.id)).toEqual([P]);
      await add(BOB, 'during the rendering');
      await store.savePages(inputs.map((i) => ({ ...i, layout: 'L', etag: 'e', body: Buffer.from('old') })));
      expect(await store.storedPage(P, 'L', 1)).toBeNull();
      expect((await store.pagesToRender('L', 1, '', 10)).pages.map((i) => i.id)).toEqual([P]);
    });

    it('counts an author’s recent comments, deleted ones included', async () => {
      await add(ADA, 'one', { now: at(0) });
      const two = await add(ADA, 'two', { now: at(10) });
      await add(ADA, 'three', { now: at(20) });
      await add(BOB, 'other', { now: at(20) });
      await comments.deleteComment(two.id, ADA, at(21));
      expect(await comments.commentsSince(ADA, at(10))).toBe(2);
      expect(await comments.commentsSince(ADA, at(0))).toBe(3);
      expect(await comments.commentsSince(ADA, at(21))).toBe(0);
      expect(await comments.commentsSince('nobody', at(0))).toBe(0);
    });

    it('lists an author’s visible comments for their profile, newest first, none hidden or deleted', async () => {
      const one = await add(ADA, 'one', { now: at(0) });
      const two = await add(ADA, 'two', { now: at(10), paperId: Q });
      const hidden = await add(ADA, 'hidden', { now: at(20) });
      const gone = await add(ADA, 'gone', { now: at(30) });
      await add(BOB, 'not hers', { now: at(40) });
      await comments.setHidden(hidden.id, true, MOD, at(41));
      await comments.deleteComment(gone.id, ADA, at(42));
      expect((await comments.commentsBy(ADA, 10)).map((c) => c.id)).toEqual([two.id, one.id]);
      expect((await comments.commentsBy(ADA, 1)).map((c) => c.id)).toEqual([two.id]);
      expect(await comments.commentsBy('nobody', 10)).toEqual([]);
    });

    it('anonymises an account: its comments kept without it, its reports forgotten', async () => {
      const a = await add(ADA, 'kept words');
      const b = await add(ADA, 'elsewhere', { paperId: Q });
      const theirs = await add(BOB, 'bob writes');
      await comments.reportComment(theirs.id, ADA, 'ada reports', at(1));
      await comments.reportComment(a.id, BOB, 'bob reports', at(1));
      expect(await comments.anonymiseAuthor(ADA)).toBe(2);
      expect(await comments.comment(a.id)).toMatchObject({ authorId: null, body: 'kept words', status: 'visible' });
      expect(await comments.comment(b.id)).toMatchObject({ authorId: null, body: 'elsewhere' });
      expect(await comments.comment(theirs.id)).toMatchObject({ authorId: BOB });
      expect((await comments.reportQueue(10)).map((r) => r.reasons)).toEqual([['bob reports']]);
      // nothing of theirs is left to edit, delete or count
      expect(await comments.editComment(a.id, ADA, 'x', at(2))).toBeNull();
      expect(await comments.deleteComment(a.id, ADA, at(2))).toBe(false);
      expect(await comments.commentsSince(ADA, at(0))).toBe(0);
      expect(await comments.commentsBy(ADA, 10)).toEqual([]);
      expect(await comments.anonymiseAuthor(ADA)).toBe(0);
    });

    it('keeps one report when two handles report the same comment at once', async () => {
      const other = (await opened.reopenDatabase()).comments;
      const c = await add(ADA, 'contested');
      const outcomes = await Promise.all([
        comments.reportComment(c.id, BOB, 'one', at(1)),
        other.reportComment(c.id, BOB, 'two', at(1)),
        comments.reportComment(c.id, BOB, 'three', at(1)),
        other.reportComment(c.id, BOB, 'four', at(1)),
      ]);
      expect(outcomes.filter((o) => o === 'reported')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'already-reported')).toHaveLength(3);
      expect((await comments.reportQueue(10))[0]!.reports).toBe(1);
    });
  });
}

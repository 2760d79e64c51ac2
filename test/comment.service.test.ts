/**
 * CommentService on a real SQLite store: who may do what (authors edit and delete their own,
 * moderators hide, restore and read the queue), the rate limits by account age, and the errors
 * each refusal carries (a stable code and a message naming the comment or the limit).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_COMMENT_LENGTH } from '../src/core/comment-markdown.js';
import { commentWindows } from '../src/core/comment-rules.js';
import { PaperboyError } from '../src/core/errors.js';
import { CommentService, type Actor } from '../src/services/comment.service.js';
import { samplePaper, write } from './support/papers.js';
import { sqliteHarness } from './support/sqlite-harness.js';
import type { OpenedStore } from './support/store-harness.js';

const P = '2405.15738';
const DAY = 86_400_000;
const START = Date.parse('2026-09-01T12:00:00.000Z');

let opened: OpenedStore;
let clock: number;
let service: CommentService;

const account = (id: number, role: Actor['role'] = 'reader', ageMs = 30 * DAY): Actor => ({ id: String(id), role, createdAt: new Date(START - ageMs).toISOString() });
const ada = account(1);
const bob = account(2);
const mod = account(9, 'moderator');

beforeEach(async () => {
  opened = await sqliteHarness.open();
  await opened.store.transaction((tx) => tx.savePapers([write(samplePaper(P)), write(samplePaper('2405.00001', { deleted: true }))], []));
  clock = START;
  service = new CommentService(opened.comments, opened.store, () => new Date(clock));
});
afterEach(async () => {
  await opened.store.close();
});

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PaperboyError);
  return `${(e as PaperboyError).code}: ${(e as Error).message}`;
}

describe('CommentService', () => {
  it('posts a normalised comment and replies, on papers that exist', async () => {
    const c = await service.post(ada, P, '  Nice result\r\n');
    expect(c).toMatchObject({ paperId: P, authorId: '1', body: 'Nice result', createdAt: new Date(START).toISOString() });
    const r = await service.post(bob, P, 'Agreed', c.id);
    expect((await service.post(ada, P, 'Thanks', r.id)).parentId).toBe(c.id);
    expect((await service.discussion(P)).map((x) => x.body)).toEqual(['Nice result', 'Agreed', 'Thanks']);
    expect(await refusal(service.post(ada, '2405.99999', 'x'))).toBe('NOT_FOUND: paper 2405.99999: no such paper to comment on');
    expect(await refusal(service.post(ada, '2405.00001', 'x'))).toBe('NOT_FOUND: paper 2405.00001: no such paper to comment on');
    expect(await refusal(service.post(ada, P, 'x', 12345))).toBe(`NOT_FOUND: comment 12345: no such comment on paper ${P} to reply to`);
    expect(await refusal(service.post(ada, P, ' '))).toBe('RECORD_INVALID: comment body: empty (write something)');
    expect(await refusal(service.post(ada, P, 'x'.repeat(MAX_COMMENT_LENGTH + 1)))).toMatch(/^RECORD_INVALID: comment body: 10001 characters/);
  });

  it('lets only the author edit or delete a comment, moderators included', async () => {
    const c = await service.post(ada, P, 'mine');
    expect(await refusal(service.edit(bob, c.id, 'yours'))).toBe(`FORBIDDEN: comment ${c.id}: only its author may edit it`);
    expect(await refusal(service.edit(mod, c.id, 'moderated'))).toBe(`FORBIDDEN: comment ${c.id}: only its author may edit it`);
    expect(await refusal(service.remove(bob, c.id))).toBe(`FORBIDDEN: comment ${c.id}: only its author may delete it`);
    clock += 60_000;
    expect(await service.edit(ada, c.id, 'mine, better')).toMatchObject({ body: 'mine, better', editedAt: new Date(clock).toISOString() });
    await service.remove(ada, c.id);
    expect(await refusal(service.remove(ada, c.id))).toBe(`NOT_FOUND: comment ${c.id}: no such comment (or it was deleted)`);
    expect(await refusal(service.edit(ada, c.id, 'again'))).toBe(`NOT_FOUND: comment ${c.id}: no such comment (or it was deleted)`);
  });

  it('takes reports from others, and leaves hiding, restoring and the queue to moderators', async () => {
    const c = await service.post(ada, P, 'contested');
    expect(await refusal(service.report(ada, c.id, 'me'))).toBe(`RECORD_INVALID: comment ${c.id}: your own comment can be edited or deleted, not reported`);
    expect(await service.report(bob, c.id, '  rude\n')).toBe('reported');
    expect(await service.report(bob, c.id, 'still rude')).toBe('already-reported');
    expect(await refusal(service.report(bob, 4242, 'x'))).toBe('NOT_FOUND: comment 4242: no such comment (or it was deleted)');
    expect(await refusal(service.reportQueue(bob))).toBe('FORBIDDEN: only moderators may read the queue of reported comments');
    expect(await refusal(service.hide(bob, c.id))).toBe('FORBIDDEN: only moderators may hide comments');
    expect(await refusal(service.restore(ada, c.id))).toBe('FORBIDDEN: only moderators may restore comments');
    expect((await service.reportQueue(mod)).map((r) => r.reasons)).toEqual([['rude']]);
    expect(await service.hide(mod, c.id)).toMatchObject({ status: 'hidden', hiddenBy: '9' });
    expect(await service.reportQueue(account(10, 'admin'))).toEqual([]);
    expect(await service.restore(mod, c.id)).toMatchObject({ status: 'visible' });
    expect(await refusal(service.hide(mod, 4242))).toBe('NOT_FOUND: comment 4242: no such comment (or it was deleted)');
  });

  it('holds a new account to its tighter limits, and lets it post again once the window has passed', async () => {
    const fresh = account(5, 'reader', 60 * 60_000); // an hour old
    const [burst] = commentWindows(60 * 60_000);
    for (let i = 0; i < burst!.max; i++) await service.post(fresh, P, `hello ${i}`);
    expect(await refusal(service.post(fresh, P, 'one more'))).toBe(`RATE_LIMITED: at most ${burst!.max} comments in 10 minutes for a new account: try again later`);
    // an established member at the same moment is not held to the new account's limit
    for (let i = 0; i <= burst!.max; i++) await service.post(ada, P, `ada ${i}`);
    clock += burst!.windowMs + 1000;
    expect(await service.post(fresh, P, 'later')).toMatchObject({ body: 'later' });
    // deleting does not give the budget back
    const c = await service.post(fresh, P, 'second');
    await service.remove(fresh, c.id);
    expect(await refusal(service.post(fresh, P, 'third'))).toMatch(/^RATE_LIMITED/);
    // moderators answer floods: no limit
    for (let i = 0; i < 12; i++) await service.post(mod, P, `mod ${i}`);
  });

  it('anonymises an account’s comments for its deletion', async () => {
    const c = await service.post(ada, P, 'kept');
    expect(await service.anonymise(ada.id)).toBe(1);
    expect((await service.discussion(P))[0]).toMatchObject({ id: c.id, authorId: null, body: 'kept' });
  });
});

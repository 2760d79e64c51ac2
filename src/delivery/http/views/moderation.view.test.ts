import { describe, expect, it } from 'vitest';
import type { Comment, ReportedComment } from '../../../ports/comments.js';
import { moderationMain } from './moderation.view.js';

const comment = (o: Partial<Comment>): Comment => ({
  id: 7,
  paperId: '2405.15738',
  parentId: null,
  authorId: '3',
  body: 'plain words',
  status: 'visible',
  createdAt: '2026-09-01T10:00:00.000Z',
  editedAt: null,
  hiddenAt: null,
  hiddenBy: null,
  deletedAt: null,
  ...o,
});
const reported = (c: Partial<Comment>, reasons: string[]): ReportedComment => ({ comment: comment(c), reports: reasons.length, firstReportedAt: '2026-09-02T08:00:00.000Z', reasons });

describe('the moderators’ queue', () => {
  it('says when nothing is waiting', () => {
    expect(String(moderationMain([], 'tok'))).toContain('Nothing is waiting');
  });

  it('shows each reported comment with its paper, reasons and the decisions as POST forms with the CSRF token', () => {
    const out = String(moderationMain([reported({ body: 'Some **rude** words' }, ['rude', ''])], 'csrf-123'));
    expect(out).toContain('<a href="/papers/2405.15738#comment-7">Comment 7</a> on <a href="/papers/2405.15738">2405.15738</a> by member 3');
    expect(out).toContain('<strong>rude</strong> words');
    expect(out).toContain('2 reports since <time datetime="2026-09-02T08:00:00.000Z">Sep 2, 2026</time>');
    expect(out).toContain('<li>rude</li><li><em>no reason given</em></li>');
    expect(out).toContain('<form method="post" action="/moderation/comments/7/hide"><input type="hidden" name="_csrf" value="csrf-123"><button type="submit">Hide</button></form>');
    expect(out).toContain('action="/moderation/comments/7/restore"');
    expect(out).toContain('Dismiss the reports');
  });

  it('offers only restoring a hidden comment, and shows its text to the moderator', () => {
    const out = String(moderationMain([reported({ status: 'hidden', body: 'hidden words', authorId: null }, ['spam'])], 't'));
    expect(out).toContain('hidden words');
    expect(out).toContain('by a former member');
    expect(out).not.toContain('/hide"');
    expect(out).toContain('<button type="submit">Restore</button>');
  });

  it('keeps payloads in bodies, reasons and the token as text', () => {
    const out = String(moderationMain([reported({ body: '<img src=x onerror=alert(1)> [x](javascript:alert(2))' }, ['<script>alert(3)</script>'])], '"><script>alert(4)</script>'));
    expect(out).not.toMatch(/<script|<img|href="javascript/i);
    expect(out).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(out).toContain('value="&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"');
  });
});

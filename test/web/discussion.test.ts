/**
 * The discussion under a paper page (issue 13), on every store: comments stored through
 * CommentService show on the page with their Markdown and math rendered and nothing of a
 * payload left as markup; hidden and deleted ones say so; and a change to one paper's
 * discussion renders that page anew, in the response cache and ahead, and no other page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readServices } from '../../src/container.js';
import type { PagesAhead } from '../../src/delivery/http/pages-ahead.js';
import type { CommentService, Actor } from '../../src/services/comment.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { useSite, type Site } from './site.js';
import { SIMILAR } from '../../src/delivery/http/page-render.js';

const ID = '2606.90002'; // hand-made
const OTHER = 'hep-th/9901001'; // hand-made
const member = (id: number, role: Actor['role'] = 'reader'): Actor => ({ id: String(id), role, createdAt: '2020-01-01T00:00:00.000Z' });

for (const harness of STORE_HARNESSES) {
  describe(`a paper's discussion on its page: ${harness.name}`, () => {
    const theSite = useSite(harness);
    let site: Site;
    let comments: CommentService;
    let ahead: PagesAhead;
    const page = async (id = ID) => {
      const r = await site.get(`/papers/${id}`);
      expect(r.statusCode).toBe(200);
      return { body: r.body, etag: String(r.headers.etag) };
    };
    const discussionOf = (body: string) => body.slice(body.indexOf('<section class="discussion"'), body.indexOf('</section>', body.indexOf('<section class="discussion"')));

    beforeAll(async () => {
      site = theSite();
      comments = site.comments; // the site's own: its writes show on the next page
      ahead = site.app.pagesAhead!;
      await readServices(site.opened).related.refresh();
    }, 60_000);

    it('says there are no comments yet', async () => {
      expect(discussionOf((await page()).body)).toContain('<p class="empty">No comments yet.</p>');
    });

    it('shows threads with Markdown and math rendered, payloads as text, hidden and deleted ones as such', async () => {
      const top = await comments.post(member(1), ID, 'A **bold** claim: $x^2$ <script>alert(1)</script> [link](javascript:alert(2))');
      await comments.post(member(2), ID, 'A reply with `code` and https://example.org/x', top.id);
      const rude = await comments.post(member(3), ID, 'Something rude');
      await comments.hide(member(9, 'moderator'), rude.id);
      const gone = await comments.post(member(4), ID, 'Soon gone');
      await comments.post(member(1), ID, 'Answer to the gone one', gone.id);
      await comments.remove(member(4), gone.id);

      const d = discussionOf((await page()).body);
      expect(d).toContain('<h2 id="discussion-title">Discussion <span class="count">(4)</span></h2>');
      expect(d).toContain('<strong>bold</strong>');
      expect(d).toContain('class="katex"');
      expect(d).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(d).toContain('[link](javascript:alert(2))');
      expect(d).not.toMatch(/<script|href="javascript/i);
      expect(d).toContain('<code>code</code>');
      expect(d).toContain('<a href="https://example.org/x" rel="nofollow ugc noopener">');
      expect(d).toContain('This comment was hidden by a moderator.');
      expect(d).not.toContain('Something rude');
      expect(d).toContain('<p class="removed">[deleted]</p>');
      expect(d).not.toContain('Soon gone');
      expect(d).toContain('Answer to the gone one');
      // each reply in its thread's list
      expect(d.indexOf('A reply with')).toBeGreaterThan(d.indexOf('A <strong>bold</strong>'));
      expect(d.match(/<ol class="replies">/g)).toHaveLength(2);
      expect(d).toContain('member 1');
    });

    it('renders the page anew when its discussion changes, and no other page', async () => {
      const before = await page();
      const other = await page(OTHER);
      expect((await site.get(`/papers/${ID}`, { 'if-none-match': before.etag })).statusCode).toBe(304);
      await comments.post(member(5), ID, 'A new voice');
      const after = await page();
      expect(after.etag).not.toBe(before.etag);
      expect(after.body).toContain('A new voice');
      expect((await site.get(`/papers/${OTHER}`, { 'if-none-match': other.etag })).statusCode).toBe(304);
    });

    it('takes the page rendered ahead for stale with a change to its discussion, and renders it ahead again', async () => {
      await ahead.refresh();
      const stored = () => site.opened.store.storedPage(ID, ahead.layout, SIMILAR);
      expect(await stored()).not.toBeNull();
      expect(await site.opened.store.storedPage(OTHER, ahead.layout, SIMILAR)).not.toBeNull();
      await comments.post(member(6), ID, 'Posted after the pages were rendered');
      expect(await stored()).toBeNull();
      expect(await site.opened.store.storedPage(OTHER, ahead.layout, SIMILAR)).not.toBeNull();
      expect((await page()).body).toContain('Posted after the pages were rendered');
      expect((await ahead.refresh())!.rendered).toBe(1);
      expect(await stored()).not.toBeNull();
    });
  });
}

/**
 * Hostile comment bodies in a real browser: each payload is stored as a comment (through
 * CommentService on the served SQLite file, as the comment form will store it) under a paper of
 * the running `paperboy serve`, and the real paper page is opened in Chromium: nothing may run,
 * no injected element may reach the DOM, no request may go to a payload's URL, and every comment
 * must be there. The server reads the new comments from the file on the next request: the same
 * path a comment posted on another node takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/adapters/db/sqlite.store.js';
import type { OpenedDatabase } from '../../src/ports/paper-store.js';
import { CommentService, type Actor } from '../../src/services/comment.service.js';
import { browserSuite, screenshot } from './harness.js';
import { expectInertAt } from './inert.js';

/** Every payload that reaches a server is under /pwned: a request there is a payload that worked. */
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<SCRIPT SRC=/pwned.js></SCRIPT>',
  '<img src=/pwned.png onerror="window.__pwned=1">',
  '![an image](/pwned-image.png)',
  '![remote](http://127.0.0.1:9/pwned-remote.png)',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '<svg onload=window.__pwned=1><image href=/pwned.svg /></svg>',
  '<math><mtext><table><mglyph><style><img src=/pwned-mathml onerror=window.__pwned=1>',
  '[click](javascript:window.__pwned=1)',
  '[click](JaVaScRiPt:window.__pwned=1)',
  '[click](javascript&#58;window.__pwned=1)',
  '[click](&#x6A;avascript:window.__pwned=1)',
  '[click](data:text/html,<script>window.__pwned=1</script>)',
  '[ref link][r]\n\n[r]: javascript:window.__pwned=1',
  '<a href="javascript:window.__pwned=1" id=pwnlink>click</a>',
  '[x](https://ok.example/"onmouseover="window.__pwned=1)',
  '<div style="background:url(/pwned-style.png)">styled</div>',
  '<style>@import url(/pwned.css); body { display: none }</style>',
  '<link rel=stylesheet href=/pwned-link.css>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '$\\href{javascript:window.__pwned=1}{x}$',
  '$$\\url{javascript:window.__pwned=1}$$',
  '$<img src=/pwned-tex onerror=window.__pwned=1>$',
  '```\n</code></pre><script>window.__pwned=1</script>\n```',
  '`</code><img src=/pwned-code onerror=window.__pwned=1>`',
  '<form action=/pwned-form><button formaction=javascript:window.__pwned=1>go</button></form>',
  '@<img src=/pwned-mention onerror=window.__pwned=1>',
];

// in page.evaluate() callbacks only: they run in Chromium
declare const window: { __pwned?: unknown };

const suite = browserSuite();
let db: OpenedDatabase;
let paperId: string;

const reader = (id: number): Actor => ({ id: String(id), role: 'reader', createdAt: '2020-01-01T00:00:00.000Z' });

beforeAll(async () => {
  // the served file, opened beside the server as another node would
  db = openSqlite(suite.site.dbPath);
  await db.store.migrate();
  paperId = (await db.store.papersOnDay((await db.store.latestDay())!, 1))[0]!.id;
  const comments = new CommentService(db.comments, db.store);
  const first = await comments.post(reader(1), paperId, 'The first comment, with **Markdown** and $E = mc^2$.');
  // established members, a few payloads each: within the rate limits
  for (let i = 0; i < PAYLOADS.length; i++) await comments.post(reader(100 + i), paperId, PAYLOADS[i], i % 3 === 0 ? first.id : null);
  const hidden = await comments.post(reader(2), paperId, '<img src=/pwned-hidden onerror=window.__pwned=1> hidden text');
  await comments.hide({ id: '9', role: 'moderator', createdAt: '2020-01-01T00:00:00.000Z' }, hidden.id);
}, 60_000);

afterAll(async () => {
  await db?.store.close();
});

describe('stored payloads in comments', () => {
  it('the paper page shows every comment, and nothing in them runs, loads or injects markup', async () => {
    const w = await suite.page();
    await expectInertAt(w, suite.site.base, `/papers/${paperId}`, 200, /pwned/);
    const page = w.page;
    expect(await page.locator('main .discussion article.comment').count()).toBe(PAYLOADS.length + 2);
    expect(await page.locator('main .discussion .comment-body strong').first().innerText()).toBe('Markdown');
    expect(await page.locator('main .discussion .comment-body .katex').count()).toBeGreaterThan(0);
    expect(await page.locator('main .discussion .hidden-by-moderator').innerText()).toContain('hidden by a moderator');
    const text = await page.locator('main .discussion').innerText();
    expect(text).not.toContain('hidden text');
    expect(text).toContain('<script>window.__pwned=1</script>'); // as text, readable
    // every link in the discussion is one a reader may follow
    const hrefs = await page.locator('main .discussion a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    // (and the anonymous page's sign-in link, and members' pages)
    for (const h of hrefs) expect(h).toMatch(/^(https?:\/\/|mailto:|#comment-\d+$|\/auth\/signin$|\/users\/[A-Za-z0-9_-]+$)/);
    // hovering and clicking each link runs nothing either
    for (const a of await page.locator('main .discussion .comment-body a').all()) await a.hover();
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(w.watch.requests.filter((u) => /pwned/.test(u))).toEqual([]);
    await screenshot(page, 'comments-xss', true);
  });
});

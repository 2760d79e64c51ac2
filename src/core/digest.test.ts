import { describe, expect, it } from 'vitest';
import { composeConfirmation, composeDigest, digestMessageId, type DigestEntry, type DigestInput } from './digest.js';
import { emptyPaper, type Paper } from './paper.js';

const EVIL = `<script>alert(1)</script>"'&<img src=x onerror=alert(2)>`;

function paper(id: string, title: string, abstract: string, authors: string[] = ['A. One']): Paper {
  return { ...emptyPaper(id), title, abstract, authors };
}

function input(papers: DigestEntry[], over: Partial<DigestInput> = {}): DigestInput {
  return {
    subscription: { id: 'sub_1', email: 'reader@example.org', frequency: 'daily', topics: [] },
    period: '2026-08-21',
    papers,
    siteUrl: 'https://papers.example.org',
    links: {
      manage: 'https://papers.example.org/subscriptions/tok-m',
      unsubscribe: 'https://papers.example.org/unsubscribe/tok-u',
      unsubscribeMailto: 'mailto:unsubscribe@papers.example.org?subject=unsubscribe%20tok-u',
      preview: 'https://papers.example.org/subscriptions/tok-m/preview',
    },
    ...over,
  };
}

const twelve = Array.from({ length: 12 }, (_, i): DigestEntry => ({ paper: paper(`2608.0${1000 + i}`, `Paper ${i + 1}`, `Abstract ${i + 1}.`), rank: i + 1 }));

describe('composeDigest', () => {
  it('writes the subject as the issue asks: the date, then how many papers', () => {
    expect(composeDigest(input(twelve)).subject).toBe('Trending papers — 21 Aug 2026 · 12 papers');
    expect(composeDigest(input(twelve.slice(0, 1))).subject).toBe('Trending papers — 21 Aug 2026 · 1 paper');
    const weekly = input(twelve, { period: '2026-W34', subscription: { id: 'sub_1', email: 'reader@example.org', frequency: 'weekly', topics: [] } });
    expect(composeDigest(weekly).subject).toBe('Trending papers — 17–23 Aug 2026 · 12 papers');
    expect(composeDigest({ ...weekly, period: '2026-W36' }).subject).toBe('Trending papers — 31 Aug – 6 Sep 2026 · 12 papers');
    expect(composeDigest({ ...weekly, period: '2026-W53' }).subject).toBe('Trending papers — 28 Dec 2026 – 3 Jan 2027 · 12 papers');
  });

  it('names the topics of an alert in the subject, and each paper says why it is there', () => {
    const alert = input(
      [
        { paper: paper('2608.00001', 'Diffusion at scale', 'x'), topic: 'diffusion models' },
        { paper: paper('2608.00002', 'Agents that plan', 'y'), topic: 'LLM agents' },
      ],
      { subscription: { id: 'sub_2', email: 'reader@example.org', frequency: 'daily', topics: ['diffusion models', 'LLM agents'] } },
    );
    const m = composeDigest(alert);
    expect(m.subject).toBe('New papers on “diffusion models” and “LLM agents” — 21 Aug 2026 · 2 papers');
    expect(m.text).toContain('Why: Matches your topic “diffusion models”');
    expect(m.html).toContain('Matches your topic “LLM agents”');
    const trending = composeDigest(input(twelve));
    expect(trending.text).toContain('Why: #3 trending on 21 Aug 2026');
    expect(trending.html).toContain('#12 trending on 21 Aug 2026');
  });

  it('lays the text out like the daily pages: the date, then each title, link and abstract in order', () => {
    const t = composeDigest(input(twelve)).text;
    const at = (s: string) => t.indexOf(s);
    expect(at('21 Aug 2026')).toBeGreaterThanOrEqual(0);
    let last = at('21 Aug 2026');
    for (let i = 1; i <= 12; i++) {
      const order = [`${i}. Paper ${i}\n`, `https://papers.example.org/papers/2608.0${999 + i}\n`, `Abstract ${i}.`].map(at);
      expect(order[0], `paper ${i}`).toBeGreaterThan(last);
      expect(order[1]).toBeGreaterThan(order[0]!);
      expect(order[2]).toBeGreaterThan(order[1]!);
      last = order[2]!;
    }
    expect(at('Unsubscribe: https://papers.example.org/unsubscribe/tok-u')).toBeGreaterThan(last);
    expect(at('Change what you get: https://papers.example.org/subscriptions/tok-m\n')).toBeGreaterThan(last);
  });

  it('escapes hostile titles, abstracts, authors and topics in the HTML and keeps them inert in the text', () => {
    const m = composeDigest(
      input([{ paper: paper('2608.00001', `${EVIL}\r\nBcc: x@evil.example`, `${EVIL}\n\nsecond ${EVIL}`, [EVIL]), topic: `${EVIL}\r\nX-Evil: 1` }], {
        subscription: { id: 'sub_3', email: 'reader@example.org', frequency: 'daily', topics: [`${EVIL}\r\nX-Evil: 1`] },
      }),
    );
    expect(m.html).not.toMatch(/<script|<img|onerror=alert\(2\)>/i);
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img');
    // the only tags are ours
    const tags = new Set([...m.html.matchAll(/<\/?([a-z0-9]+)/gi)].map((x) => x[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['a', 'body', 'div', 'h1', 'h2', 'head', 'html', 'meta', 'p', 'span', 'style', 'table', 'td', 'title', 'tr'].sort());
    // in the text, a title cannot open a line of its own
    expect(m.text).not.toMatch(/^Bcc:/m);
    expect(m.text).not.toMatch(/^X-Evil/m);
    for (const v of [m.subject, m.messageId, m.listId!, ...Object.values(m.headers)]) expect(v).not.toMatch(/[\r\n]/);
    const folded = composeDigest(
      input([{ paper: paper('2608.00001', 't', 'a'), topic: 'a\r\nX-Evil: 1' }], {
        subscription: { id: 'sub_3', email: 'reader@example.org', frequency: 'daily', topics: ['a\r\nX-Evil: 1'] },
      }),
    );
    expect(folded.subject).toBe('New papers on “a X-Evil: 1” — 21 Aug 2026 · 1 paper');
  });

  it('reads TeX as Unicode text (mail clients run no KaTeX)', () => {
    const m = composeDigest(input([{ paper: paper('2608.00001', 'M$^3$Eval: $\\alpha$-NAS in $\\mathcal{O}(n^2)$', 'Costs $O(n^2)$ with $\\beta \\leq 1$.'), rank: 1 }]));
    expect(m.text).toContain('M³Eval: α-NAS in O(n²)');
    expect(m.html).toContain('M³Eval: α-NAS in O(n²)');
    expect(m.text).toContain('Costs O(n²) with β ≤ 1.');
    expect(m.html).not.toContain('$');
  });

  it('carries the list headers, a visible unsubscribe and manage link, and dark-mode and responsive styles', () => {
    const m = composeDigest(input(twelve));
    expect(m.listUnsubscribe).toEqual({ url: 'https://papers.example.org/unsubscribe/tok-u', mail: 'mailto:unsubscribe@papers.example.org?subject=unsubscribe%20tok-u' });
    expect(m.listId).toBe('Paperboy trending papers <trending.papers.example.org>');
    expect(m.html).toMatch(/<a [^>]*href="https:\/\/papers\.example\.org\/unsubscribe\/tok-u"[^>]*>Unsubscribe<\/a>/);
    expect(m.html).toMatch(/<a [^>]*href="https:\/\/papers\.example\.org\/subscriptions\/tok-m"[^>]*>Manage preferences<\/a>/);
    expect(m.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(m.html).toContain('prefers-color-scheme:dark');
    expect(m.html).toMatch(/@media \(max-width:\d+px\)/);
    expect(m.html).toContain('role="presentation"');
  });

  it('derives the Message-ID from (subscription, period): stable across calls, different for another period or subscription', () => {
    const a = composeDigest(input(twelve)).messageId;
    expect(composeDigest(input(twelve.slice(0, 3))).messageId).toBe(a);
    expect(a).toBe(digestMessageId('sub_1', '2026-08-21', 'papers.example.org'));
    expect(a).toMatch(/^<digest\.2026-08-21\.[A-Za-z0-9_-]+@papers\.example\.org>$/);
    expect(a).not.toContain('sub_1');
    expect(digestMessageId('sub_1', '2026-08-22', 'papers.example.org')).not.toBe(a);
    expect(digestMessageId('sub_2', '2026-08-21', 'papers.example.org')).not.toBe(a);
    expect(() => digestMessageId('sub_1', '2026-08-21', 'evil>\r\nBcc: x')).toThrow(/host name/);
  });

  it('refuses what must never be sent: no papers, a bad period, a link that is not http(s)/mailto, an address with CR/LF', () => {
    expect(() => composeDigest(input([]))).toThrow(/at least one paper/);
    expect(() => composeDigest(input(twelve, { period: '2026-13-01' }))).toThrow(/not a digest period/);
    expect(() => composeDigest(input(twelve, { links: { ...input(twelve).links, manage: 'javascript:alert(1)' } }))).toThrow(/http\(s\) or mailto/);
    expect(() => composeDigest(input(twelve, { listId: 'x\r\nBcc: y' }))).toThrow(/List-Id holds a CR/);
    const sub = { id: 's', email: 'a@b.org\r\nBcc: c@d.org', frequency: 'daily' as const, topics: [] };
    expect(() => composeDigest(input(twelve, { subscription: sub }))).toThrow(/normalised address/);
  });
});

describe('composeConfirmation', () => {
  const base = {
    subscription: { id: 'sub_9', email: 'reader@example.org', frequency: 'weekly' as const, topics: [`graph ${EVIL}`] },
    confirmUrl: 'https://papers.example.org/subscribe/confirm/tok-c',
    siteUrl: 'https://papers.example.org',
    requestedAt: '2026-08-21T10:00:00.000Z',
    expiresAt: new Date('2026-08-28T10:00:00Z'),
  };

  it('links to the confirm page, says what was asked for, and to ignore it if it was not you', () => {
    const m = composeConfirmation(base);
    expect(m.subject).toBe('Confirm your Paperboy subscription');
    expect(m.text).toContain('https://papers.example.org/subscribe/confirm/tok-c');
    expect(m.text).toContain('a weekly email of new papers on “graph');
    expect(m.text).toMatch(/If this was not you, ignore this email/);
    expect(m.text).toContain('28 August 2026');
    expect(m.html).toContain('href="https://papers.example.org/subscribe/confirm/tok-c"');
    expect(m.html).not.toMatch(/<script|<img/);
    expect(m.listUnsubscribe).toBeUndefined();
  });

  it('has one Message-ID per request', () => {
    const a = composeConfirmation(base).messageId;
    expect(composeConfirmation(base).messageId).toBe(a);
    expect(composeConfirmation({ ...base, requestedAt: '2026-08-22T10:00:00.000Z' }).messageId).not.toBe(a);
    expect(a).toMatch(/^<confirm\.[A-Za-z0-9_-]+@papers\.example\.org>$/);
  });
});

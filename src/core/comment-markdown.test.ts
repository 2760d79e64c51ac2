import { describe, expect, it } from 'vitest';
import { PaperboyError } from './errors.js';
import { MAX_COMMENT_LENGTH, mentionsIn, normaliseCommentBody, renderCommentBody, type CommentRenderer } from './comment-markdown.js';

/** Members "ada" and "bob_2"; formulas shown as <span class="m">…</span> with their TeX escaped. */
const renderer: CommentRenderer = {
  mention: (h) => (h === 'ada' || h === 'bob_2' ? `/members/${h}` : null),
  math: (tex, display) => `<span class="m${display ? ' d' : ''}">${tex.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</span>`,
};
const render = (s: string) => renderCommentBody(s, renderer);

const TAGS = new Set(['p', 'br', 'em', 'strong', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'span']);
const ATTRS = new Set(['href', 'class', 'rel', 'start']);

/** Every tag and attribute in `out` is one the subset makes, and every href a safe one. */
function expectOnlySafeMarkup(out: string, payload: string): void {
  const tag = /<\/?([a-zA-Z][^\s/>]*)([^>]*)>/g;
  for (let m = tag.exec(out); m; m = tag.exec(out)) {
    expect(TAGS.has(m[1]!.toLowerCase()), `tag <${m[1]}> from ${payload}: ${out}`).toBe(true);
    for (const a of m[2]!.matchAll(/([^\s=]+)="([^"]*)"/g)) {
      expect(ATTRS.has(a[1]!.toLowerCase()), `attribute ${a[1]} from ${payload}: ${out}`).toBe(true);
      if (a[1] === 'href') expect(a[2], `href from ${payload}`).toMatch(/^(https?:\/\/|mailto:|\/members\/)/);
    }
  }
  // nothing that looks like markup survives as markup: "<" only opens the tags checked above
  expect(out.replace(tag, ''), payload).not.toContain('<');
}

export const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '![x](http://evil.example/x.png "onerror=alert(1)")',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<svg onload=alert(1)><circle r=1 /></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[click](java\nscript:alert(1))',
  '[click](%6A%61%76%61script:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](<javascript:alert(1)>)',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](//evil.example/x)',
  '[click](/relative/path)',
  '<javascript:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '[x](http://ok.example/"onmouseover="alert(1))',
  '[x](http://ok.example/ "a\\" onmouseover=\\"alert(1)")',
  '[<img src=x onerror=alert(1)>](http://ok.example/)',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<style>body{display:none}</style>',
  '<p style="position:fixed;top:0">overlay</p>',
  '<link rel=stylesheet href=http://evil.example/x.css>',
  '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
  '<form action=http://evil.example/><input name=x></form>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<base href="http://evil.example/">',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '$<script>alert(1)</script>$',
  '$$\\href{javascript:alert(1)}{x}$$',
  '\uE0000\uE001 <b>\uE000' + '0\uE001</b>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<!-- <script>alert(1)</script> -->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '@<script>alert(1)</script>',
  'http://evil.example/<script>alert(1)</script>',
  '> <img src=x onerror=alert(1)>\n> > <svg/onload=alert(1)>',
  '* <iframe srcdoc="<script>alert(1)</script>">',
];

describe('renderCommentBody', () => {
  it('renders the Markdown subset: emphasis, code, quotes, lists, links, rules', () => {
    expect(render('Hello *world*, **bold**, ~~gone~~, `code`')).toBe(
      '<p>Hello <em>world</em>, <strong>bold</strong>, <s>gone</s>, <code>code</code></p>\n',
    );
    expect(render('> quoted\n\n- a\n- b\n\n3. c\n\n---')).toBe(
      '<blockquote>\n<p>quoted</p>\n</blockquote>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol start="3">\n<li>c</li>\n</ol>\n<hr />\n',
    );
    expect(render('```js\nlet a = 1 < 2;\n```')).toBe('<pre><code>let a = 1 &lt; 2;\n</code></pre>\n');
  });

  it('marks every link nofollow ugc noopener, and links bare http(s) addresses', () => {
    expect(render('[paper](https://arxiv.org/abs/2405.15738)')).toBe(
      '<p><a href="https://arxiv.org/abs/2405.15738" rel="nofollow ugc noopener">paper</a></p>\n',
    );
    expect(render('see https://example.org/a_b.')).toBe('<p>see <a href="https://example.org/a_b" rel="nofollow ugc noopener">https://example.org/a_b</a>.</p>\n');
    expect(render('[me](mailto:ada@example.org)')).toContain('href="mailto:ada@example.org"');
  });

  it('shows no images, headings or tables: their source stays text', () => {
    expect(render('![alt](https://example.org/x.png)')).not.toContain('<img');
    expect(render('# Title')).toBe('<p># Title</p>\n');
    expect(render('| a | b |\n|---|---|\n| 1 | 2 |')).not.toContain('<table');
  });

  it('renders math through the given renderer, before emphasis can split it', () => {
    expect(render('$a*b$ and $c*d$, $$x_1$$, \\(y\\) and \\[z\\]')).toBe(
      '<p><span class="m">a*b</span> and <span class="m">c*d</span>, <span class="m d">x_1</span>, <span class="m">y</span> and <span class="m d">z</span></p>\n',
    );
    expect(render('It costs $5 and $10.')).toBe('<p>It costs $5 and $10.</p>\n');
    expect(render('a `$x$` b')).toBe('<p>a <code>$x$</code> b</p>\n');
  });

  it('shows a formula the renderer declines as its escaped source', () => {
    const out = renderCommentBody('$x<y$ ok', { ...renderer, math: () => null });
    expect(out).toBe('<p><code class="tex">$x&lt;y$</code> ok</p>\n');
  });

  it('links mentions of members only, never inside another link or an address', () => {
    expect(render('@ada and @bob_2, not @carol')).toBe(
      '<p><a href="/members/ada" class="mention" rel="nofollow ugc noopener">@ada</a> and <a href="/members/bob_2" class="mention" rel="nofollow ugc noopener">@bob_2</a>, not @carol</p>\n',
    );
    expect(render('write to x@ada.org or [@ada](https://example.org)')).toBe(
      '<p>write to x@ada.org or <a href="https://example.org" rel="nofollow ugc noopener">@ada</a></p>\n',
    );
    expect(mentionsIn('@ada hi @bob-x, a@b.c @ada @-no')).toEqual(['ada', 'bob-x']);
  });

  it('lets no payload through as markup', () => {
    for (const p of XSS_PAYLOADS) {
      const out = render(p);
      expectOnlySafeMarkup(out, p);
      // the payload's words may remain as text (escaped), never inside a tag
      // (an http(s) href may hold any of them, percent-encoded: expectOnlySafeMarkup checked its scheme)
      const tags = (out.match(/<[^>]*>/g) ?? []).join(' ').replace(/href="[^"]*"/g, '').toLowerCase();
      expect(tags, p).not.toMatch(/javascript|vbscript|data:|onerror|onload|onmouseover|style|srcdoc/);
    }
  });

  it('cannot forge a math placeholder', () => {
    // the markers a formula takes while the sanitiser runs are replaced in the source first
    const out = renderCommentBody('\uE0000\uE001 $x$', { ...renderer, math: () => '<span class="m">X</span>' });
    expect(out).toBe('<p>\uFFFD0\uFFFD <span class="m">X</span></p>\n');
  });
});

describe('normaliseCommentBody', () => {
  it('trims, unifies newlines and drops control characters', () => {
    expect(normaliseCommentBody('  a\r\nb\rc\u0000\u0007\td  ')).toBe('a\nb\nc\td');
  });

  it('refuses what is missing, empty or too long, saying which', () => {
    const problem = (v: unknown) => {
      try {
        normaliseCommentBody(v);
        return null;
      } catch (e) {
        expect(e).toBeInstanceOf(PaperboyError);
        expect((e as PaperboyError).code).toBe('RECORD_INVALID');
        return (e as Error).message;
      }
    };
    expect(problem(undefined)).toMatch(/comment body: missing/);
    expect(problem(' \n\t ')).toMatch(/comment body: empty/);
    expect(problem('x'.repeat(MAX_COMMENT_LENGTH + 1))).toBe(`comment body: ${MAX_COMMENT_LENGTH + 1} characters, more than the ${MAX_COMMENT_LENGTH} allowed`);
    expect(problem('x'.repeat(MAX_COMMENT_LENGTH))).toBeNull();
  });
});

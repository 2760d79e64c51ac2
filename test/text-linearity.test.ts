/**
 * Every text path stays linear on adversarial input of the largest size Paperboy accepts
 * (core/validate.ts for paper fields, the API's query length for queries): nested and unbalanced
 * braces, runs of ")", "$", "\", "*", quotes, long words, many URLs, deeply nested \textbf{…}.
 * How growth is measured, and why not with a time limit: test/support/linear.ts. A path fails
 * when its time grows more than 24× from an eighth of the size to the whole (quadratic: 64×)
 * and the whole costs more than 25 ms (checked first, with one call). Below that no curve can
 * stall a server, and at that scale V8 alone makes linear code look super-linear: a global
 * String.replace over 5,000 then 20,000 matches grows 25×, and the garbage collector, whose
 * work grows with the live heap, takes 40% of highlighting 13,000 formulas. The quadratic
 * paths this test was written against cost 135 ms to 9 s at the maximum size. A failing
 * measurement is taken again twice, since noise only adds.
 */
import { describe, expect, it } from 'vitest';
import { bibtex, escapeField } from '../src/core/bibtex.js';
import { highlightParts, highlightSpec, snippetParts } from '../src/core/highlight.js';
import { emptyPaper, type Paper } from '../src/core/paper.js';
import { porterStem } from '../src/core/porter.js';
import { parseQuery, parseWords } from '../src/core/query.js';
import { candidateTerms } from '../src/core/similar.js';
import { textRuns, withoutTextCommands } from '../src/core/tex-text.js';
import { splitTex } from '../src/core/tex.js';
import { texPlainText } from '../src/core/tex-plain.js';
import { cleanAbstract, cleanLine, splitAuthors } from '../src/core/text.js';
import { terms, tokens } from '../src/core/tokenize.js';
import { LIMITS } from '../src/core/validate.js';
import { parseArxivAtom } from '../src/adapters/sources/arxiv-atom.parser.js';
import { parseHfDaily } from '../src/adapters/sources/hf-daily.parser.js';
import { parseKaggleLine } from '../src/adapters/sources/kaggle.parser.js';
import { parseOaiPmh } from '../src/adapters/sources/oai-pmh.parser.js';
import { MAX_QUERY_LENGTH } from '../src/delivery/http/api.params.js';
import { buildFeed } from '../src/delivery/http/feeds/feed.js';
import { renderFeed } from '../src/delivery/http/feeds/render.js';
import { esc } from '../src/delivery/http/views/html.js';
import { splitAbstract, texHighlight, texLine, texParagraphs, texProse } from '../src/delivery/http/views/math.js';
import { adversarial, superLinear } from './support/linear.js';
import { fixture } from './sources/harness.js';

/** [name, repeated pattern, what comes before it, what comes after it] */
const PATTERNS: [string, string, string, string?][] = [
  ['runs of ")" after a URL', ')', 'see http://a.b/'],
  ['runs of "]" after a URL', ']', 'see http://a.b/'],
  ['runs of "." after a URL', '.', 'see http://a.b/'],
  ['runs of "("', '(', ''],
  ['runs of "$"', '$', ''],
  ['"$a " repeated (dollars that never close)', '$a ', ''],
  ['"$1" repeated (closers followed by digits)', '$1', ''],
  ['many small formulas', '$a_1$ ', ''],
  ['"\\[" that never close', '\\[', ''],
  ['"\\(" that never close', '\\(', ''],
  ['runs of "$$"', '$$ ', ''],
  ['backslashes', '\\', ''],
  ['runs of "*"', '*', 'model'],
  ['a run of "*" inside a word', '*', 'a', 'b'],
  ['a run of ")" inside a URL', ')', 'see http://a.b/', 'x'],
  ['a run of "." inside a URL', '.', 'see http://a.b/', 'x'],
  ['a run of spaces before a word', ' ', '\n', 'x'],
  ['quotes', '"', ''],
  ['curly quotes', '\u201c', ''],
  ['unclosed braces', '{', ''],
  ['unopened braces', '}', ''],
  ['unclosed \\textbf{', '\\textbf{', ''],
  ['nested \\textbf{', '\\textbf{a', ''],
  ['unclosed \\href', '\\href{http://a.b}{', ''],
  ['nested \\emph and \\href', '\\emph{\\href{http://a.b/}{x', ''],
  ['many URLs', 'http://a.b/c ', ''],
  ['URLs run together', 'http://a.b/', ''],
  ['one long word', 'a', ''],
  ['blank lines', '\n \n', ''],
  ['runs of spaces', ' ', 'x'],
  ['comma-and lists', 'A, and ', ''],
  ['nested parentheses', '((a', ''],
  ['field-like words', 'author:a ', ''],
  ['HTML', '<b>&amp;</b>', ''],
];

function paper(title: string, abstract: string): Paper {
  return { ...emptyPaper('2401.00001'), title, abstract, authors: ['A. One'], categories: ['cs.CL'], submittedAt: '2024-01-01T00:00:00.000Z' };
}
const spec = highlightSpec(parseQuery('model http transform* "a b"'));
const feedOf = (s: string) =>
  buildFeed({ title: 't', description: 'd', homePath: '/', feedPath: () => '/f', emptyDate: '2024-01-01' }, [paper(s.slice(0, LIMITS.title), s)], 'http://x');

/** [path, function, the largest input it is given] */
const PATHS: [string, (s: string) => unknown, number][] = [
  ['tex-text textRuns (abstract)', textRuns, LIMITS.abstract],
  ['tex-text withoutTextCommands (abstract)', withoutTextCommands, LIMITS.abstract],
  ['tex splitTex (abstract)', splitTex, LIMITS.abstract],
  ['tex-plain texPlainText (title: feed titles)', texPlainText, LIMITS.title],
  ['tex-plain texPlainText (abstract-sized)', texPlainText, LIMITS.abstract],
  ['highlight highlightParts (abstract)', (s) => highlightParts(s, spec), LIMITS.abstract],
  ['highlight snippetParts (abstract)', (s) => snippetParts(s, spec), LIMITS.abstract],
  ['text cleanLine (comments)', cleanLine, LIMITS.comments],
  ['text cleanAbstract (abstract)', cleanAbstract, LIMITS.abstract],
  ['text splitAuthors (5,000 names of 20 characters)', splitAuthors, LIMITS.authors * 20],
  ['tokenize tokens (abstract)', tokens, LIMITS.abstract],
  ['tokenize terms, stemmed (abstract)', terms, LIMITS.abstract],
  ['porter porterStem (one word as long as an abstract)', porterStem, LIMITS.abstract],
  ['query parseQuery (longest query)', parseQuery, MAX_QUERY_LENGTH],
  ['query parseWords (longest query)', parseWords, MAX_QUERY_LENGTH],
  ['bibtex escapeField (abstract)', escapeField, LIMITS.abstract],
  ['bibtex bibtex (title)', (s) => bibtex(paper(s, '')), LIMITS.title],
  ['similar candidateTerms (abstract)', (s) => candidateTerms(s.slice(0, LIMITS.title), s), LIMITS.abstract],
  ['views texProse (abstract)', (s) => String(texProse(s)), LIMITS.abstract],
  ['views texParagraphs (abstract)', (s) => String(texParagraphs(s.split(/\n\s*\n/))), LIMITS.abstract],
  ['views texLine (title)', (s) => String(texLine(s)), LIMITS.title],
  ['views texLine (abstract-sized)', (s) => String(texLine(s)), LIMITS.abstract],
  ['views splitAbstract (abstract)', splitAbstract, LIMITS.abstract],
  ['views texHighlight (abstract)', (s) => String(texHighlight(snippetParts(s, spec))), LIMITS.abstract],
  ['views esc (abstract)', esc, LIMITS.abstract],
  ['feeds RSS (abstract)', (s) => renderFeed('rss', feedOf(s)), LIMITS.abstract],
  ['feeds Atom (abstract)', (s) => renderFeed('atom', feedOf(s)), LIMITS.abstract],
  ['feeds JSON Feed (abstract)', (s) => renderFeed('json', feedOf(s)), LIMITS.abstract],
  [
    'sources Kaggle line (abstract, title, comments, authors)',
    (s) => parseKaggleLine(JSON.stringify({ id: '2401.00001', title: s.slice(0, LIMITS.title), abstract: s, comments: s.slice(0, LIMITS.comments), authors: s }), 'f', 1),
    LIMITS.abstract,
  ],
  [
    'sources Hugging Face daily entry (summary, title, AI summary, authors)',
    (s) => parseHfDaily(JSON.stringify([{ paper: { id: '2401.00001', title: s.slice(0, LIMITS.title), summary: s, ai_summary: s.slice(0, LIMITS.aiSummary), authors: [{ name: s.slice(0, LIMITS.authorName) }] } }]), 'f', '2024-01-01'),
    LIMITS.abstract,
  ],
  ['sources arXiv Atom entry (summary)', (s) => parseArxivAtom(atomWith(s), 'f'), LIMITS.abstract],
  ['sources OAI-PMH record (abstract, title, comments, authors)', (s) => parseOaiPmh(oaiWith(s), 'f'), LIMITS.abstract],
];

/** The recorded responses with the text of their first entry replaced (XML-escaped: the parser sees it as sent). */
const ATOM = fixture('arxiv-atom/query.xml');
const OAI = fixture('oai-pmh/ListRecordsResponse.xml');
const xmlEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const atomWith = (s: string) => ATOM.replace(/<summary>[^<]*<\/summary>/, `<summary>${xmlEscape(s)}</summary>`);
const oaiWith = (s: string) =>
  OAI.replace(/<abstract>[^<]*<\/abstract>/, `<abstract>${xmlEscape(s)}</abstract>`)
    .replace(/<comments>[^<]*<\/comments>/, `<comments>${xmlEscape(s.slice(0, LIMITS.comments))}</comments>`)
    .replace(/<authors>[^<]*<\/authors>/, `<authors>${xmlEscape(s)}</authors>`);

describe('every text path is linear on adversarial input of the maximum size', () => {
  it('puts the adversarial text where each source parser reads it', () => {
    const text = 'An adversarial abstract';
    const abstracts = [
      parseHfDaily(JSON.stringify([{ paper: { id: '2401.00001', title: 't', summary: text } }]), 'f', '2024-01-01'),
      parseArxivAtom(atomWith(text), 'f'),
      parseOaiPmh(oaiWith(text), 'f'),
    ].map((r) => r.records.map((p) => p.abstract));
    for (const a of abstracts) expect(a).toContain(text);
  });

  for (const [path, fn, max] of PATHS)
    it(path, () => {
      const failures: string[] = [];
      for (const [name, pattern, prefix, suffix] of PATTERNS) {
        const why = superLinear(fn, (n) => adversarial(pattern, n, prefix, suffix), max);
        if (why) failures.push(`${name}: ${why}`);
      }
      expect(failures).toEqual([]);
    }, 300_000);
});

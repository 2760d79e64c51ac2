/**
 * parseArxivAtom on recorded arXiv API responses (../shared/fixtures/arxiv-atom, 2025 format), on
 * a legacy-format feed assembled from real pre-2025 entries, and on inputs that are no feed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArxivAtom } from './arxiv-atom.parser.js';
import { recordOf, unusableSync } from '../../../test/support/parse-helpers.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../shared/fixtures/arxiv-atom/${name}`, import.meta.url), 'utf8');

const unusable = unusableSync;
const record = recordOf;

describe('parseArxivAtom on query.xml (2025 format)', () => {
  const page = parseArxivAtom(fixture('query.xml'), 'query.xml');

  it('reads the OpenSearch counters as numbers', () => {
    expect(page.totalResults).toBe(7432);
    expect(page.startIndex).toBe(0);
    expect(page.itemsPerPage).toBe(10);
  });

  it('yields the ten entries in feed order, without errors', () => {
    expect(page.errors).toEqual([]);
    expect(page.records.map((r) => r.id)).toEqual([
      'nucl-ex/0408020',
      '1309.4668',
      '1606.02159',
      '1610.08734',
      '2102.00018',
      '0803.1617',
      '1205.6628',
      'nucl-th/9910021',
      '1602.03411',
      '1401.3666',
    ]);
    expect(page.records.every((r) => r.source === 'arxiv-atom')).toBe(true);
  });

  it('takes the version from the id and dates v1 by <published>, the newest by <updated>', () => {
    const r = record(page, '1610.08734');
    expect(r.version).toBe(3);
    expect(r.submittedAt).toBe('2016-10-27T12:08:30.000Z');
    expect(r.updatedAt).toBe('2018-05-10T00:01:43.000Z');
    expect(r.versions).toEqual([
      { version: 1, submittedAt: '2016-10-27T12:08:30.000Z', size: null },
      { version: 3, submittedAt: '2018-05-10T00:01:43.000Z', size: null },
    ]);
  });

  it('gives a v1 paper a single version', () => {
    const r = record(page, '1606.02159');
    expect(r.version).toBe(1);
    expect(r.versions).toEqual([{ version: 1, submittedAt: '2016-06-07T18:32:01.000Z', size: null }]);
  });

  it('reads old-style ids with their archive', () => {
    const r = record(page, 'nucl-th/9910021');
    expect(r.version).toBe(3);
    expect(r.title).toBe(
      'Solar proton burning, neutrino disintegration of the deuteron and pep process in the relativistic field theory model of the deuteron',
    );
  });

  it('keeps authors in order', () => {
    expect(record(page, 'nucl-ex/0408020').authors).toEqual([
      'J. Arrington',
      'V. F. Dmitriev',
      'R. J. Holt',
      'D. M. Nikolenko',
      'I. A. Rachek',
      'Yu. V. Shestakov',
      'V. N. Stibunov',
      'D. K. Toporkov',
      'H. de Vries',
    ]);
    expect(record(page, '1205.6628').authors).toEqual(['I. T. Lorenz', 'H. -W. Hammer', 'Ulf-G. Meißner']);
  });

  it('puts the primary category first, then the others in order', () => {
    expect(record(page, '1606.02159').categories).toEqual(['nucl-th', 'hep-ph', 'nucl-ex']);
    expect(record(page, '1401.3666').categories).toEqual(['physics.atom-ph', 'hep-ph', 'nucl-th']);
    expect(record(page, '1309.4668').categories).toEqual(['physics.acc-ph']);
  });

  it('reads the arxiv: extension elements, decoding entities', () => {
    const r = record(page, '1309.4668');
    expect(r.journalRef).toBe('CERN Yellow Report CERN-2013-002, pp.237-240');
    expect(r.doi).toBe('10.5170/CERN-2013-002.237');
    expect(r.comments).toMatch(/^4 pages, contribution to the Joint INFN-CERN-EuCARD-AccNet Workshop/);
    expect(record(page, '1610.08734').journalRef).toContain('Hanahoe, K., & Mete-Apsimon, O. (2017)');
    expect(record(page, '1606.02159').doi).toBeNull();
    expect(record(page, '1606.02159').journalRef).toBeNull();
  });

  it('cleans the abstract: trimmed, entities decoded', () => {
    const r = record(page, 'nucl-th/9910021');
    expect(r.abstract).toMatch(/^The astrophysical factor S_pp\(0\) for the solar proton burning, p \+ p -> D \+ positron/);
    expect(r.abstract?.endsWith('(ApJ. 155 (1969) 501).')).toBe(true);
  });
});

describe('parseArxivAtom on the other recorded responses', () => {
  it('reads an empty result as zero records', () => {
    const page = parseArxivAtom(fixture('query_empty.xml'), 'query_empty.xml');
    expect(page).toEqual({ records: [], errors: [], totalResults: 0, startIndex: 0, itemsPerPage: 10 });
  });

  it('returns the one paper found when some requested ids do not exist', () => {
    const page = parseArxivAtom(fixture('query_missing_id.xml'), 'query_missing_id.xml');
    expect(page.totalResults).toBe(1);
    expect(page.errors).toEqual([]);
    expect(page.records).toHaveLength(1);
    expect(page.records[0]).toMatchObject({
      id: '2201.13452',
      version: 1,
      title: 'Asymptotic Analysis for a Nonlinear Reaction-Diffusion System Modeling an Infectious Disease',
      authors: ['Hong-Ming Yin', 'Jun Zou'],
      categories: ['math.AP'],
      comments: '34 pages',
      submittedAt: '2022-01-31T18:59:34.000Z',
      updatedAt: '2022-02-01T04:27:03.000Z',
    });
  });
});

/**
 * The pre-2025 layout: no default prefixes on the root, per-element xmlns, `<title type="html">`,
 * a rel=self link, title="pdf" links, `<arxiv:primary_category>` with a scheme. Entries are real
 * API output (cs/9901002v1; 0710.2073v2), abstracts shortened.
 */
const LEGACY_FEED = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3Dcs%2F9901002v1%2C0710.2073v2%26start%3D0%26max_results%3D10" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=cs/9901002v1,0710.2073v2&amp;start=0&amp;max_results=10</title>
  <id>http://arxiv.org/api/eqh0wUfSoqUlr9BWqd8knMzmeUA</id>
  <updated>2015-08-16T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">10</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/cs/9901002v1</id>
    <updated>1999-01-10T03:21:23Z</updated>
    <published>1999-01-10T03:21:23Z</published>
    <title>KnightCap: A chess program that learns by combining TD(lambda) with
  game-tree search</title>
    <summary>  In this paper we present TDLeaf(lambda), a variation on the TD(lambda)
algorithm that enables it to be used in conjunction with game-tree search. We
present some experiments in which our chess program \`\`KnightCap'' used
TDLeaf(lambda) to learn its evaluation function while playing on the Free
Internet Chess Server (FICS, fics.onenet.net).
</summary>
    <author>
      <name>Jonathan Baxter</name>
    </author>
    <author>
      <name>Andrew Tridgell</name>
    </author>
    <author>
      <name>Lex Weaver</name>
    </author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">9 pages</arxiv:comment>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">MACHINE LEARNING Proceedings of the Fifteenth International
  Conference (ICML '98), ISBN 1-55860-556-8, ISSN 1049-1910, Madison WISCONSIN,
  July 24-27 1998, pages 28-36</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/cs/9901002v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/cs/9901002v1" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
    <category term="I.2.6" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry xmlns="http://www.w3.org/2005/Atom">
    <id xmlns="http://www.w3.org/2005/Atom">
      http://arxiv.org/abs/0710.2073v2
    </id>
    <updated xmlns="http://www.w3.org/2005/Atom">2007-10-12T11:18:49Z</updated>
    <published xmlns="http://www.w3.org/2005/Atom">2007-10-10T17:58:06Z</published>
    <title xmlns="http://www.w3.org/2005/Atom">On coincidence of Alday-Maldacena-regularized $σ$-model and
  Nambu-Goto areas of minimal surfaces</title>
    <summary xmlns="http://www.w3.org/2005/Atom">  For the $\\sigma$-model and Nambu-Goto actions, values of the
Alday-Maldacena-regularized actions are calculated on solutions of the
equations of motion with constant non-regularized Lagrangian.
</summary>
    <author xmlns="http://www.w3.org/2005/Atom">
      <name xmlns="http://www.w3.org/2005/Atom">A. Popolitov</name>
    </author>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1134/S0021364007210011</arxiv:doi>
    <link title="doi" href="http://dx.doi.org/10.1134/S0021364007210011" rel="related"/>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">3 pages, submitted to JETP Letters, corrected some misprints and
  missing factors in formulas (10) and (11)</arxiv:comment>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">JETP Lett.86:559-561,2008</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/0710.2073v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/0710.2073v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
    <category term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
`;

describe('parseArxivAtom on the legacy (pre-2025) format', () => {
  const page = parseArxivAtom(LEGACY_FEED, 'legacy.xml');

  it('reads the counters from prefixed, per-element namespaced elements', () => {
    expect([page.totalResults, page.startIndex, page.itemsPerPage]).toEqual([2, 0, 10]);
    expect(page.errors).toEqual([]);
    expect(page.records.map((r) => r.id)).toEqual(['cs/9901002', '0710.2073']);
  });

  it('unwraps hard-wrapped titles and journal references', () => {
    const r = record(page, 'cs/9901002');
    expect(r.title).toBe('KnightCap: A chess program that learns by combining TD(lambda) with game-tree search');
    expect(r.journalRef).toBe(
      "MACHINE LEARNING Proceedings of the Fifteenth International Conference (ICML '98), ISBN 1-55860-556-8, ISSN 1049-1910, Madison WISCONSIN, July 24-27 1998, pages 28-36",
    );
    expect(r.abstract).toMatch(/^In this paper we present TDLeaf\(lambda\), a variation on the TD\(lambda\) algorithm that/);
    expect(r.authors).toEqual(['Jonathan Baxter', 'Andrew Tridgell', 'Lex Weaver']);
  });

  it('keeps arXiv categories and drops the ACM class', () => {
    expect(record(page, 'cs/9901002').categories).toEqual(['cs.LG', 'cs.AI']);
  });

  it('reads a padded id, the doi and a v2 version history', () => {
    const r = record(page, '0710.2073');
    expect(r.version).toBe(2);
    expect(r.doi).toBe('10.1134/S0021364007210011');
    expect(r.comments).toBe(
      '3 pages, submitted to JETP Letters, corrected some misprints and missing factors in formulas (10) and (11)',
    );
    expect(r.categories).toEqual(['hep-th']);
    expect(r.versions).toEqual([
      { version: 1, submittedAt: '2007-10-10T17:58:06.000Z', size: null },
      { version: 2, submittedAt: '2007-10-12T11:18:49.000Z', size: null },
    ]);
  });
});

const feed = (entries: string): string =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">${entries}</feed>`;

const entry = (id: string | null, title: string): string =>
  `<entry>${id === null ? '' : `<id>${id}</id>`}<title>${title}</title>` +
  '<published>2024-05-24T17:59:59Z</published><updated>2024-05-27T10:00:00Z</updated>' +
  '<arxiv:primary_category term="cs.LG"/><category term="cs.LG"/><author><name>A. Author</name></author></entry>';

describe('parseArxivAtom record-level errors', () => {
  const page = parseArxivAtom(
    feed(
      entry('http://arxiv.org/abs/2405.15738v2', 'A good paper') +
        entry(null, 'An entry without id') +
        entry('http://arxiv.org/abs/not-an-id', 'A bad id') +
        entry('http://arxiv.org/abs/2405.00001v1', 'x'.repeat(2001)) +
        entry('http://arxiv.org/abs/2405.00002v1', '') +
        entry('https://arxiv.org/abs/2405.00003v1', 'Another good paper'),
    ),
    'mixed.xml',
  );

  it('keeps the good entries', () => {
    expect(page.records.map((r) => [r.id, r.version])).toEqual([
      ['2405.15738', 2],
      ['2405.00003', 1],
    ]);
  });

  it('reports each bad entry with its 1-based position and the reason', () => {
    expect(page.errors).toEqual([
      { source: 'mixed.xml', at: 'entry 2', reason: 'missing arXiv id' },
      { source: 'mixed.xml', at: 'entry 3', reason: 'not an arXiv id: "http://arxiv.org/abs/not-an-id"' },
      { source: 'mixed.xml', at: 'entry 4', reason: 'paper 2405.00001: title of 2001 characters exceeds 2000' },
      { source: 'mixed.xml', at: 'entry 5', reason: 'paper 2405.00002: missing title' },
    ]);
  });

  it('moves the primary category first even when the feed lists it later, each category once', () => {
    const xml = feed(
      '<entry><id>http://arxiv.org/abs/2405.15738v1</id><title>T</title><arxiv:primary_category term="cs.LG"/>' +
        '<category term="stat.ML"/><category term="cs.LG"/><category term="stat.ML"/><category term="68T05"/></entry>',
    );
    expect(parseArxivAtom(xml, 'x').records[0]?.categories).toEqual(['cs.LG', 'stat.ML']);
  });

  it('decodes numeric character references', () => {
    const one = parseArxivAtom(feed(entry('http://arxiv.org/abs/2405.15738v1', 'Caf&#233; &#x3bb;-calculus &amp; more')), 'x');
    expect(one.records[0]?.title).toBe('Café λ-calculus & more');
  });

  it('reads a feed without OpenSearch counters as null counters', () => {
    expect([page.totalResults, page.startIndex, page.itemsPerPage]).toEqual([null, null, null]);
  });
});

describe('parseArxivAtom on unusable input', () => {
  it("turns arXiv's error feed into InputUnusableError with arXiv's message", () => {
    // from the arXiv API user manual, section 3.4 "Errors"
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <link xmlns="http://www.w3.org/2005/Atom" href="http://arxiv.org/api/query?search_query=&amp;id_list=1234.12345" rel="self" type="application/atom+xml"/>
  <title xmlns="http://www.w3.org/2005/Atom">ArXiv Query: search_query=&amp;id_list=1234.12345</title>
  <id xmlns="http://www.w3.org/2005/Atom">http://arxiv.org/api/kvuntZ8c9a4Eq5CF7KY03nMug+Q</id>
  <updated xmlns="http://www.w3.org/2005/Atom">2007-10-12T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:itemsPerPage>
  <entry xmlns="http://www.w3.org/2005/Atom">
    <id xmlns="http://www.w3.org/2005/Atom">http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title xmlns="http://www.w3.org/2005/Atom">Error</title>
    <summary xmlns="http://www.w3.org/2005/Atom">incorrect id format for 1234.12345</summary>
    <updated xmlns="http://www.w3.org/2005/Atom">2007-10-12T00:00:00-04:00</updated>
    <link xmlns="http://www.w3.org/2005/Atom" href="http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345" rel="alternate" type="text/html"/>
    <author xmlns="http://www.w3.org/2005/Atom"><name xmlns="http://www.w3.org/2005/Atom">arXiv api core</name></author>
  </entry>
</feed>`;
    const e = unusable(() => parseArxivAtom(xml, 'api'));
    expect(e.code).toBe('INPUT_UNUSABLE');
    expect(e.at).toBe('feed');
    expect(e.reason).toBe('incorrect id format for 1234.12345');
    expect(e.message).toBe('api: unusable input at feed: incorrect id format for 1234.12345');
  });

  it('rejects an HTML error page, saying where it broke', () => {
    const html = '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>503</title></head>\n<body>Down</body>\n</html>';
    const e = unusable(() => parseArxivAtom(html, 'page.html'));
    expect(e.at).toBe('line 3, column 47');
    expect(e.reason).toMatch(/^not well-formed XML: .*'meta'/);
  });

  it('rejects well-formed XML that is not an Atom feed', () => {
    const e = unusable(() => parseArxivAtom('<html><body><p>Rate exceeded.</p></body></html>', 'x'));
    expect(e.at).toBe('root element <html>');
    expect(e.reason).toBe('expected a <feed> document');
  });

  it('rejects the plain-text throttling answer', () => {
    expect(unusable(() => parseArxivAtom('Rate exceeded.', 'x')).at).toBe('line 1, column 1');
  });

  it('rejects empty and blank input', () => {
    expect(unusable(() => parseArxivAtom('', 'x')).reason).toBe('empty input');
    expect(unusable(() => parseArxivAtom(' \n\t', 'x')).at).toBe('start of input');
  });

  it('rejects binary junk', () => {
    const junk = String.fromCharCode(0x1f, 0x8b, 0x08, 0x00, 0xff, 0x10);
    const e = unusable(() => parseArxivAtom(junk, 'x.gz'));
    expect(e.at).toBe('line 1, column 1');
  });

  it('rejects a truncated response, naming the open elements', () => {
    const xml = fixture('query.xml');
    const cut = xml.slice(0, xml.indexOf('</summary>', 5000));
    const e = unusable(() => parseArxivAtom(cut, 'query.xml'));
    expect(e.at).toBe(`end of input (line ${cut.split('\n').length})`);
    expect(e.reason).toBe('input ends inside <feed> <entry> <summary>: truncated or unclosed');
  });

  it('rejects mismatched tags with their line', () => {
    const e = unusable(() => parseArxivAtom(fixture('query.xml').replace('</title>', '</titel>'), 'x'));
    expect(e.at).toMatch(/^line 4, column \d+$/);
  });
});

/**
 * parseOaiPmh on recorded arXiv OAI-PMH responses (../shared/fixtures/oai-pmh: arXivRaw pages and
 * the five error answers), on arXiv- and oai_dc-format pages under test/fixtures/oai-pmh, and on
 * inputs that are no OAI-PMH response.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOaiPmh } from './oai-pmh.parser.js';
import { recordOf, unusableSync } from '../../../test/support/parse-helpers.js';

const shared = (name: string): string =>
  readFileSync(new URL(`../../../../shared/fixtures/oai-pmh/${name}`, import.meta.url), 'utf8');
const local = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/oai-pmh/${name}`, import.meta.url), 'utf8');

const unusable = unusableSync;
const record = recordOf;

describe('parseOaiPmh on ListRecordsResponse.xml (arXivRaw)', () => {
  const page = parseOaiPmh(shared('ListRecordsResponse.xml'), 'ListRecordsResponse.xml');

  it('yields the six records in order, all valid', () => {
    expect(page.errors).toEqual([]);
    expect(page.records.map((r) => r.id)).toEqual([
      '0704.0471',
      '0704.0716',
      '0704.0874',
      '0704.1109',
      '0704.1114',
      '0704.1586',
    ]);
    expect(page.records.every((r) => r.source === 'oai-pmh' && r.listedOn === null)).toBe(true);
  });

  it('reads the resumption token, its cursor and the list size', () => {
    expect(page.resumptionToken).toBe('726959|1001');
    expect(page.cursor).toBe(0);
    expect(page.completeListSize).toBe(58011);
    expect(page.responseDate).toBe('2015-01-06T20:49:59Z');
    expect(page.oaiError).toBeNull();
  });

  it('lists every datestamp and remembers the latest', () => {
    expect(page.datestamps).toEqual(['2014-11-18', '2014-12-22', '2014-11-21', '2014-11-18', '2014-11-18', '2014-11-18']);
    expect(page.latestDatestamp).toBe('2014-12-22');
  });

  it('reads every version with its RFC 2822 date and size', () => {
    const r = record(page, '0704.0716');
    expect(r.version).toBe(4);
    expect(r.versions).toEqual([
      { version: 1, submittedAt: '2007-04-05T12:45:03.000Z', size: '43kb' },
      { version: 2, submittedAt: '2007-09-28T15:13:43.000Z', size: '48kb' },
      { version: 3, submittedAt: '2008-02-29T16:05:39.000Z', size: '48kb' },
      { version: 4, submittedAt: '2008-11-14T09:07:25.000Z', size: '49kb' },
    ]);
    expect(r.submittedAt).toBe('2007-04-05T12:45:03.000Z');
    expect(r.updatedAt).toBe('2008-11-14T09:07:25.000Z');
  });

  it('gives a single-version paper the same submitted and updated dates', () => {
    const r = record(page, '0704.1114');
    expect(r.version).toBe(1);
    expect(r.submittedAt).toBe('2007-04-09T20:13:36.000Z');
    expect(r.updatedAt).toBe('2007-04-09T20:13:36.000Z');
    expect(r.versions).toEqual([{ version: 1, submittedAt: '2007-04-09T20:13:36.000Z', size: '163kb' }]);
  });

  it('unwraps titles and comments and splits author lists', () => {
    const r = record(page, '0704.0471');
    expect(r.title).toBe(
      'Density dependence of the symmetry energy and the nuclear equation of state: A Dynamical and Statistical model perspective',
    );
    expect(r.authors).toEqual(['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis']);
    expect(record(page, '0704.1109').authors).toEqual(['Valeria M. Rosa', 'Patricio S. letelier']);
    expect(record(page, '0704.0716').comments).toBe(
      '54 pages, 2 figures; v2 updated and slightly expanded; v3 changes in some proofs; v4 slightly expanded',
    );
  });

  it('splits categories on spaces, the primary first', () => {
    expect(record(page, '0704.0471').categories).toEqual(['nucl-ex', 'nucl-th']);
    expect(record(page, '0704.0716').categories).toEqual(['math-ph', 'math.MP']);
    expect(record(page, '0704.0874').categories).toEqual(['math.AG']);
  });

  it('unwraps the abstract and decodes entities', () => {
    const abstract = record(page, '0704.0471').abstract ?? '';
    expect(abstract).toMatch(/^The density dependence of the symmetry energy in the equation of state of isospin asymmetric/);
    expect(abstract).toContain('rules out an extremely " stiff " and " soft " form');
    expect(abstract).not.toContain('\n');
  });

  it('reads submitter, journal-ref, doi and license, null when absent', () => {
    expect(record(page, '0704.0471')).toMatchObject({
      submitter: 'Dinesh Shetty',
      journalRef: 'Phys.Rev.C76:024606,2007; Erratum-ibid.C76:039902,2007',
      doi: '10.1103/PhysRevC.76.024606 10.1103/PhysRevC.76.039902',
      license: null,
      reportNo: null,
    });
    expect(record(page, '0704.0874')).toMatchObject({
      submitter: 'Gavril Farkas',
      journalRef: 'J. London Math. Soc. 78(2008) 418-440',
      doi: null,
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
    });
  });
});

describe('parseOaiPmh on GetRecordResponse.xml (arXivRaw)', () => {
  const page = parseOaiPmh(shared('GetRecordResponse.xml'), 'GetRecordResponse.xml');

  it('reads the one record', () => {
    expect(page.errors).toEqual([]);
    expect(page.records).toHaveLength(1);
    expect(page.records[0]).toMatchObject({
      id: '1302.2146',
      version: 2,
      title: 'The Same-Sign Dilepton Signature of RPV/MFV SUSY',
      authors: ['Joshua Berger', 'Maxim Perelstein', 'Michael Saelim', 'Philip Tanedo'],
      categories: ['hep-ph', 'hep-ex'],
      comments: '18 pages, 6 figures; v2: References added',
      submitter: 'Michael Saelim',
      submittedAt: '2013-02-08T21:00:01.000Z',
      updatedAt: '2013-04-02T01:50:08.000Z',
    });
    expect(page.records[0]?.versions?.map((v) => v.size)).toEqual(['853kb', '849kb']);
  });

  it('has no resumption token and remembers its datestamp', () => {
    expect([page.resumptionToken, page.cursor, page.completeListSize]).toEqual([null, null, null]);
    expect(page.datestamps).toEqual(['2013-04-03']);
    expect(page.latestDatestamp).toBe('2013-04-03');
  });
});

describe('parseOaiPmh on the arXiv metadata format', () => {
  const page = parseOaiPmh(local('ListRecordsArXiv.xml'), 'ListRecordsArXiv.xml');

  it('reads "Forenames Keyname Suffix" authors in order', () => {
    expect(record(page, '0704.0007').authors).toEqual(['Alejandro Corichi', 'Tatjana Vukasinac', 'Jose A. Zapata']);
    expect(record(page, '0704.0009').authors).toEqual([
      'Paul Harvey',
      'Bruno Merin',
      'Tracy L. Huard',
      'Luisa M. Rebull',
      'Nicholas Chapman',
      'Neal J. Evans II',
      'Philip C. Myers',
    ]);
  });

  it('dates by <created> and <updated>, naming no version', () => {
    const r = record(page, '0704.0007');
    expect(r).toMatchObject({ version: null, submittedAt: '2007-03-31T00:00:00.000Z', updatedAt: '2007-08-22T00:00:00.000Z' });
    expect(r.versions).toBeUndefined();
  });

  it('takes <created> as the newest version when <updated> is missing', () => {
    expect(record(page, '0704.0009').updatedAt).toBe('2007-04-02T00:00:00.000Z');
  });

  it('reads report number, journal-ref, doi, comments and title', () => {
    expect(record(page, '0704.0007')).toMatchObject({
      reportNo: 'IGPG-07/03-2',
      journalRef: 'Phys.Rev.D76:044016,2007',
      doi: '10.1103/PhysRevD.76.044016',
      comments: '16 pages, no figures. Typos corrected to match published version',
      categories: ['gr-qc'],
      license: null,
    });
    expect(record(page, '0704.0009').title).toBe(
      'The Spitzer c2d Survey of Large, Nearby, Insterstellar Clouds. IX. The Serpens YSO Population As Observed With IRAC and MIPS',
    );
  });

  it('turns a deleted header into a deleted record', () => {
    expect(record(page, 'math/0412345')).toEqual({ id: 'math/0412345', version: null, source: 'oai-pmh', deleted: true });
  });

  it('reports a record without title and keeps the others', () => {
    expect(page.records.map((r) => r.id)).toEqual(['0704.0007', 'math/0412345', '0704.0009']);
    expect(page.errors).toEqual([
      { source: 'ListRecordsArXiv.xml', at: 'record oai:arXiv.org:0704.0086', reason: 'paper 0704.0086: missing title' },
    ]);
  });

  it('counts the datestamps of deleted and bad records too', () => {
    expect(page.datestamps).toEqual(['2008-11-26', '2009-01-15', '2010-03-18', '2008-06-17']);
    expect(page.latestDatestamp).toBe('2010-03-18');
  });

  it('reads an empty token on the last page as "done"', () => {
    expect(page.resumptionToken).toBeNull();
    expect(page.cursor).toBe(1000);
    expect(page.completeListSize).toBe(1004);
  });

  it('reads the 2025 layout of the arXiv format (GetRecord 0806.4129)', () => {
    const one = parseOaiPmh(local('GetRecordArXiv.xml'), 'GetRecordArXiv.xml');
    expect(one.errors).toEqual([]);
    expect(one.records).toEqual([
      {
        id: '0806.4129',
        version: null,
        source: 'oai-pmh',
        title:
          'Gauge Fixing in the Maxwell Like Gravitational Theory in Minkowski Spacetime and in the Equivalent Lorentzian Spacetime',
        abstract: 'In a previous paper we investigate a Lagrangian field theory for the gravitational field ...',
        authors: ['Roldao da Rocha', 'Waldyr A. Rodrigues Jr'],
        categories: ['math-ph', 'math.MP'],
        comments: '15 pages. This version corrects some misprints of the published version',
        journalRef: 'AIP Conf.Proc.1316:466-477,2010',
        doi: '10.1063/1.3536454',
        license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
        reportNo: null,
        listedOn: null,
        submittedAt: '2008-06-25T00:00:00.000Z',
        updatedAt: '2014-12-12T00:00:00.000Z',
      },
    ]);
    expect(one.datestamps).toEqual(['2014-12-15']);
  });
});

describe('parseOaiPmh on the oai_dc format', () => {
  const page = parseOaiPmh(local('ListRecordsOaiDc.xml'), 'ListRecordsOaiDc.xml');

  it('yields both records with the token', () => {
    expect(page.errors).toEqual([]);
    expect(page.records.map((r) => r.id)).toEqual(['0704.0002', '0705.1548']);
    expect([page.resumptionToken, page.cursor, page.completeListSize]).toEqual(['6960524|1001', 0, 2375]);
  });

  it('turns "Last, First" creators into "First Last"', () => {
    expect(record(page, '0704.0002').authors).toEqual(['Ileana Streinu', 'Louis Theran']);
    expect(record(page, '0705.1548').authors).toEqual([
      'Greg J Stephens',
      'Bethany Johnson-Kerner',
      'William Bialek',
      'William S Ryu',
    ]);
  });

  it('reads the abstract, the "Comment:" description and the dates of first and newest version', () => {
    const r = record(page, '0705.1548');
    expect(r.abstract).toMatch(/^A major challenge in analyzing animal behavior is to discover some underlying simplicity/);
    expect(r.abstract).toContain('we partially reconstruct "equations of motion"');
    expect(r.comments).toBe('9 pages, 6 figures, minor corrections');
    expect(r.submittedAt).toBe('2007-05-11T00:00:00.000Z');
    expect(r.updatedAt).toBe('2007-05-16T00:00:00.000Z');
    expect(r.version).toBeNull();
  });

  it('sorts identifiers into the doi and the journal reference', () => {
    expect(record(page, '0705.1548')).toMatchObject({
      doi: '10.1371/journal.pcbi.1000028',
      journalRef: 'PLoS Comput Biol 4(4): e1000028 (2008)',
    });
    expect(record(page, '0704.0002')).toMatchObject({ doi: null, journalRef: null, comments: 'To appear in Graphs and Combinatorics' });
  });

  it('leaves categories unknown: dc:subject holds names, not codes', () => {
    expect(record(page, '0704.0002').categories).toBeUndefined();
    expect(record(page, '0704.0002').title).toBe('Sparsity-certifying Graph Decompositions');
  });

  it('reads the 2025 layout: "Keyname Suffix, Forenames", comments without prefix', () => {
    const one = parseOaiPmh(local('GetRecordOaiDc.xml'), 'GetRecordOaiDc.xml');
    expect(one.errors).toEqual([]);
    expect(one.records[0]).toMatchObject({
      id: '0806.4129',
      authors: ['Roldao da Rocha', 'Waldyr A. Rodrigues Jr'],
      abstract: 'In a previous paper we investigate a Lagrangian field theory for the gravitational field ...',
      comments: '15 pages. This version corrects some misprints of the published version',
      journalRef: 'AIP Conf.Proc.1316:466-477,2010',
      doi: '10.1063/1.3536454',
      submittedAt: '2008-06-25T00:00:00.000Z',
      updatedAt: '2014-12-12T00:00:00.000Z',
    });
    expect(one.responseDate).toBe('2025-03-12T16:40:03Z');
  });
});

describe('parseOaiPmh on OAI error responses', () => {
  it('treats noRecordsMatch as "nothing new"', () => {
    const page = parseOaiPmh(shared('ErrorResponseNoRecordsMatch.xml'), 'x');
    expect(page.records).toEqual([]);
    expect(page.errors).toEqual([]);
    expect(page.oaiError).toEqual({
      code: 'noRecordsMatch',
      message: "Set argument doesn't match any sets. The setSpec was 'moo'",
    });
    expect(page.latestDatestamp).toBeNull();
  });

  it.each([
    ['ErrorResponseBadArgument.xml', 'badArgument', "Verb 'ListRecords', illegal argument 'identifier'."],
    ['ErrorResponseBadResumptionToken.xml', 'badResumptionToken', 'The resumptionToken supplied is illegal for this repository'],
    ['ErrorResponseBadVerb.xml', 'badVerb', "Bad verb. Verb 'wah' not implemented."],
    [
      'ErrorResponseIdDoesNotExist.xml',
      'idDoesNotExist',
      "Identifier 'oai:arXiv.org:0813.2274' has correct form but does not correspond to an item in this repository",
    ],
  ])('returns %s as oaiError %s, with no records', (file, code, message) => {
    const page = parseOaiPmh(shared(file), file);
    expect(page.oaiError).toEqual({ code, message });
    expect(page.records).toEqual([]);
    expect(page.resumptionToken).toBeNull();
  });

  it('keeps the responseDate of an error response', () => {
    expect(parseOaiPmh(shared('ErrorResponseBadResumptionToken.xml'), 'x').responseDate).toBe('2015-06-23T13:31:17Z');
  });
});

const OAI_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-02T03:04:05Z</responseDate>';

const rawRecord = (identifier: string | null, id: string, title: string): string =>
  `<record><header>${identifier === null ? '' : `<identifier>${identifier}</identifier>`}<datestamp>2024-01-02</datestamp></header>` +
  `<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>${id}</id><submitter>S</submitter>` +
  `<version version="v1"><date>Mon, 1 Jan 2024 10:00:00 GMT</date><size>10kb</size></version>` +
  `<title>${title}</title><authors>A. One and B. Two</authors><categories>cs.LG</categories></arXivRaw></metadata></record>`;

describe('parseOaiPmh record-level errors', () => {
  const page = parseOaiPmh(
    OAI_HEAD +
      '<ListRecords>' +
      rawRecord('oai:arXiv.org:2401.00001', '2401.00001', 'Good') +
      rawRecord(null, '', 'No id anywhere') +
      rawRecord('oai:arXiv.org:junk', 'junk', 'Bad id') +
      '<record><header><identifier>oai:arXiv.org:2401.00004</identifier><datestamp>2024-01-03</datestamp></header></record>' +
      '<record><header><identifier>oai:arXiv.org:2401.00005</identifier><datestamp>2024-01-02</datestamp></header>' +
      '<metadata><marc xmlns="http://www.loc.gov/MARC21/slim"><leader>x</leader></marc></metadata></record>' +
      rawRecord('oai:arXiv.org:2401.00006', '2401.00006', 'y'.repeat(2001)) +
      '<record><header status="deleted"><datestamp>2024-01-02</datestamp></header></record>' +
      rawRecord(null, '2401.00008', 'Good without header identifier') +
      '<resumptionToken cursor="0" completeListSize="8"/></ListRecords></OAI-PMH>',
    'mixed.xml',
  );

  it('keeps the good records', () => {
    expect(page.records.map((r) => r.id)).toEqual(['2401.00001', '2401.00008']);
    expect(page.records[0]?.authors).toEqual(['A. One', 'B. Two']);
  });

  it('reports each bad one by identifier, or by position when it has none', () => {
    const at = (where: string) => ({ source: 'mixed.xml', at: where });
    expect(page.errors).toEqual([
      { ...at('record 2'), reason: 'missing arXiv id' },
      { ...at('record oai:arXiv.org:junk'), reason: 'not an arXiv id: "junk"' },
      { ...at('record oai:arXiv.org:2401.00004'), reason: 'record has no metadata' },
      { ...at('record oai:arXiv.org:2401.00005'), reason: 'unsupported metadata format <marc>' },
      { ...at('record oai:arXiv.org:2401.00006'), reason: 'paper 2401.00006: title of 2001 characters exceeds 2000' },
      { ...at('record 7'), reason: 'missing arXiv id' },
    ]);
  });

  it('reads a self-closing token as "done" and still gets the latest datestamp', () => {
    expect([page.resumptionToken, page.cursor, page.completeListSize]).toEqual([null, 0, 8]);
    expect(page.datestamps).toHaveLength(8);
    expect(page.latestDatestamp).toBe('2024-01-03');
  });
});

describe('parseOaiPmh version order', () => {
  it('orders arXivRaw versions by number whatever their order in the record', () => {
    const xml =
      OAI_HEAD +
      '<GetRecord><record><header><identifier>oai:arXiv.org:hep-th/9901001</identifier><datestamp>2010-05-06</datestamp></header>' +
      '<metadata><arXivRaw><id>hep-th/9901001</id><submitter>S</submitter>' +
      '<version version="v2"><date>Tue, 2 Feb 1999 10:00:00 GMT</date><size>20kb</size></version>' +
      '<version version="v1"><date>Fri, 1 Jan 1999 10:00:00 GMT</date><size>10kb</size></version>' +
      '<title>T</title><categories>hep-th</categories></arXivRaw></metadata></record></GetRecord></OAI-PMH>';
    const r = parseOaiPmh(xml, 'x').records[0];
    expect(r).toMatchObject({
      id: 'hep-th/9901001',
      version: 2,
      submittedAt: '1999-01-01T10:00:00.000Z',
      updatedAt: '1999-02-02T10:00:00.000Z',
    });
    expect(r?.versions?.map((v) => v.version)).toEqual([1, 2]);
  });
});

describe('parseOaiPmh on unusable input', () => {
  it('rejects an Atom feed: not OAI-PMH', () => {
    const e = unusable(() => parseOaiPmh('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'x'));
    expect(e.at).toBe('root element <feed>');
    expect(e.reason).toBe('expected a <OAI-PMH> document');
  });

  it('rejects an OAI-PMH answer to another verb', () => {
    const e = unusable(() => parseOaiPmh(`${OAI_HEAD}<Identify><repositoryName>arXiv</repositoryName></Identify></OAI-PMH>`, 'x'));
    expect(e.at).toBe('<OAI-PMH>');
    expect(e.reason).toBe('expected <ListRecords> or <GetRecord>, found <Identify>');
  });

  it('rejects an HTML maintenance page with line and column', () => {
    const html = '<html>\n<head><title>arXiv OAI maintenance</title></head>\n<body><p>Back soon<br></p></body>\n</html>';
    const e = unusable(() => parseOaiPmh(html, 'maint.html'));
    expect(e.at).toBe('line 3, column 23');
    expect(e.reason).toMatch(/^not well-formed XML: Expected closing tag 'br'/);
    expect(e.message).toMatch(/^maint\.html: unusable input at line 3, column 23: /);
  });

  it('rejects a truncated page, naming the open elements', () => {
    const xml = shared('ListRecordsResponse.xml');
    const cut = xml.slice(0, xml.indexOf('<title>', 3000) + 20);
    const e = unusable(() => parseOaiPmh(cut, 'x'));
    expect(e.at).toBe(`end of input (line ${cut.split('\n').length})`);
    expect(e.reason).toBe('input ends inside <OAI-PMH> <ListRecords> <record> <metadata> <arXivRaw> <title>: truncated or unclosed');
  });

  it('rejects empty input and junk', () => {
    expect(unusable(() => parseOaiPmh('', 'x')).reason).toBe('empty input');
    expect(unusable(() => parseOaiPmh('\u0000\u0001PK\u0003\u0004', 'x')).at).toBe('line 1, column 1');
    expect(unusable(() => parseOaiPmh('{"error":"not xml"}', 'x')).at).toBe('line 1, column 1');
  });
});

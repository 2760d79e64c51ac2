// Kaggle snapshot lines: real lines of the snapshot sample and the cs corpus, and broken ones.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseKaggleLine } from './kaggle.parser.js';

const SAMPLE = new URL('../../../../shared/fixtures/kaggle/kaggle_format_sample.jsonl', import.meta.url);
const lines = readFileSync(SAMPLE, 'utf8').split('\n');
const line = (n: number): string => lines[n - 1]!;
const SRC = 'sample.jsonl';

function record(text: string, n = 1) {
  const r = parseKaggleLine(text, SRC, n);
  if (r.error) throw new Error(`unexpected error: ${r.error.reason}`);
  return r.record;
}

function reason(text: string, n = 7): string {
  const r = parseKaggleLine(text, SRC, n);
  if (!r.error) throw new Error('expected an error');
  expect(r.error.source).toBe(SRC);
  expect(r.error.at).toBe(`line ${n}`);
  return r.error.reason;
}

/** A real line with some fields changed. */
function edited(n: number, change: Record<string, unknown>): string {
  return JSON.stringify({ ...(JSON.parse(line(n)) as object), ...change });
}

describe('parseKaggleLine on real snapshot lines', () => {
  it('maps every field of 0704.0002', () => {
    expect(record(line(1))).toEqual({
      id: '0704.0002',
      version: 2,
      source: 'kaggle',
      versions: [
        { version: 1, submittedAt: '2007-03-31T02:26:18.000Z', size: null },
        { version: 2, submittedAt: '2008-12-13T17:26:00.000Z', size: null },
      ],
      title: 'Sparsity-certifying Graph Decompositions',
      abstract: expect.stringMatching(/^We describe a new algorithm, the \$\(k,\\ell\)\$-pebble game with colors, and use it obtain/),
      authors: ['Ileana Streinu', 'Louis Theran'],
      categories: ['math.CO', 'cs.CG'],
      submittedAt: '2007-03-31T02:26:18.000Z',
      updatedAt: '2008-12-13T17:26:00.000Z',
      comments: 'To appear in Graphs and Combinatorics',
      journalRef: null,
      doi: null,
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
      reportNo: null,
      submitter: 'Louis Theran',
      listedOn: null,
    });
  });

  it('unwraps a hard-wrapped title and abstract', () => {
    const r = record(line(2));
    expect(r.title).toBe('The evolution of the Earth-Moon system based on the dark matter field fluid model');
    expect(r.abstract).not.toContain('\n');
    expect(r.abstract!.endsWith('about -4.38 x 10^(-22) rad s^(-2).')).toBe(true);
  });

  it('takes the highest version and its date as updatedAt', () => {
    const r = record(line(63)); // 0704.0064, v1 to v5
    expect(r.id).toBe('0704.0064');
    expect(r.version).toBe(5);
    expect(r.versions!.map((v) => v.version)).toEqual([1, 2, 3, 4, 5]);
    expect(r.updatedAt).toBe(r.versions![4]!.submittedAt);
    expect(r.submittedAt).toBe(r.versions![0]!.submittedAt);
  });

  it('reads journal-ref, doi and report-no', () => {
    const r = record(line(7));
    expect(r.id).toBe('0704.0008');
    expect(r.journalRef).toBe('Journal of Applied Physics, vol 104, 073536 (2008)');
    expect(r.doi).toBe('10.1063/1.2975338');
    expect(r.reportNo).toBe('LA-UR-07-2051, LLNL-JRNL-410358');
    expect(r.updatedAt).toBe('2008-07-01T18:54:28.000Z');
  });

  it('writes authors as "First Last Suffix", in order', () => {
    expect(record(line(8)).authors).toEqual([
      'Paul Harvey',
      'Bruno Merin',
      'Tracy L. Huard',
      'Luisa M. Rebull',
      'Nicholas Chapman',
      'Neal J. Evans II',
      'Philip C. Myers',
    ]);
    expect(record(line(19)).authors).toEqual(['The BABAR Collaboration', 'B. Aubert']);
  });

  it('keeps the category order, primary first', () => {
    expect(record(line(40)).categories).toEqual(['math.QA', 'math-ph', 'math.MP']);
    expect(record(line(43)).categories).toEqual(['astro-ph', 'nlin.CD', 'physics.plasm-ph', 'physics.space-ph']);
  });

  it('parses all 127 sample lines without an error', () => {
    const results = lines.filter((l) => l !== '').map((l, i) => parseKaggleLine(l, SRC, i + 1));
    expect(results).toHaveLength(127);
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(new Set(results.map((r) => r.record!.id)).size).toBe(127);
  });

  it('reads lines of the cs corpus (spaced JSON, accented names, listing dates)', () => {
    const gz = readFileSync(new URL('../../../../shared/data/arxiv/arxiv-cs-2025-2026.kaggle.jsonl.gz', import.meta.url));
    const corpus = gunzipSync(gz).subarray(0, 20_000).toString('utf8').split('\n');
    const first = record(corpus[0]!);
    expect(first.id).toBe('2503.11731');
    expect(first.authors!.slice(0, 3)).toEqual(['Xianming Zeng', 'Sicong Du', 'Qifeng Chen']);
    expect(first.authors).toHaveLength(16);
    expect(first.categories).toEqual(['cs.CV', 'cs.RO']);
    expect(first.submittedAt).toBe('2025-03-18T00:00:00.000Z');
    expect(first.version).toBe(1);
    expect(first.submitter).toBeNull();
    expect(record(corpus[1]!).authors![0]).toBe("Moreno D'Incà");
  });
});

describe('parseKaggleLine on old-style ids and odd shapes', () => {
  it('accepts old-style ids', () => {
    expect(record(edited(1, { id: 'math/0406594' })).id).toBe('math/0406594');
    expect(record(edited(1, { id: 'hep-ph/0001001' })).id).toBe('hep-ph/0001001');
  });

  it('falls back to the authors string when authors_parsed is missing', () => {
    expect(record(edited(1, { authors_parsed: undefined })).authors).toEqual(['Ileana Streinu', 'Louis Theran']);
  });

  it('sorts versions listed out of order', () => {
    const versions = (JSON.parse(line(2)) as { versions: unknown[] }).versions.reverse();
    const r = record(edited(2, { versions }));
    expect(r.version).toBe(3);
    expect(r.submittedAt).toBe('2007-04-01T20:46:54.000Z');
    expect(r.updatedAt).toBe('2008-01-13T00:36:28.000Z');
  });
});

describe('parseKaggleLine rejects what is not a paper', () => {
  it('broken JSON, with the column', () => {
    expect(reason(line(1).slice(0, 200))).toMatch(/^invalid JSON at column 201: /);
  });

  it('keeps the reason short for a huge broken line', () => {
    const huge = line(1).replace('"title":', `"title": "${'x'.repeat(100_000)}" oops`);
    expect(reason(huge).length).toBeLessThan(200);
  });

  it('a Python dict repr, bare or as a JSON string', () => {
    const repr = "{'id': '0704.0002', 'title': 'Sparsity-certifying Graph Decompositions'}";
    expect(reason(repr)).toBe('a Python dict repr, not JSON');
    expect(reason(JSON.stringify(repr))).toBe('a JSON string holding a Python dict repr, not an object');
  });

  it('arrays, numbers and null', () => {
    expect(reason(`[${line(1)}]`)).toBe('a JSON array, not an object');
    expect(reason('42')).toBe('a JSON number, not an object');
    expect(reason('null')).toBe('JSON null, not an object');
  });

  it('a missing or malformed id', () => {
    expect(reason(edited(1, { id: undefined }))).toBe('missing "id"');
    expect(reason(edited(1, { id: 1234 }))).toBe('missing "id"');
    expect(reason(edited(1, { id: '0704.00x2' }))).toBe('not an arXiv id: "0704.00x2"');
  });

  it('a missing title', () => {
    expect(reason(edited(1, { title: undefined }))).toBe('paper 0704.0002: missing title');
    expect(reason(edited(1, { title: '  \n ' }))).toBe('paper 0704.0002: missing title');
  });

  it('a record validateRecord refuses', () => {
    expect(reason(edited(1, { title: 'T'.repeat(2001) }))).toBe(
      'paper 0704.0002: title of 2001 characters exceeds 2000',
    );
  });
});

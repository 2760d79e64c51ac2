// Opening inputs: format detection on real files (plain and gzip), documents in batches, and
// every way an input can be unusable as a whole.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE, TempDir, drain, shared, unusable } from '../../../test/support/input-files.js';
import { parseArxivAtom } from './arxiv-atom.parser.js';
import { openBufferInput, openFileInput, type InputFormat } from './input.js';
import { parseOaiPmh } from './oai-pmh.parser.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

const REAL: [string, InputFormat][] = [
  ['fixtures/kaggle/kaggle_format_sample.jsonl', 'kaggle'],
  ['fixtures/arxiv-atom/query.xml', 'arxiv-atom'],
  ['fixtures/arxiv-atom/query_empty.xml', 'arxiv-atom'],
  ['fixtures/oai-pmh/ListRecordsResponse.xml', 'oai-pmh'],
  ['fixtures/oai-pmh/GetRecordResponse.xml', 'oai-pmh'],
  ['data/hf-daily-papers/2024-05-27.json', 'hf-daily'],
  ['data/hf-daily-papers/2025-01-10.json', 'hf-daily'],
  ['data/hf-daily-papers/early-2024/daily_papers_2024-03-12.json', 'hf-daily'],
];

describe('format detection on real files', () => {
  it.each(REAL)('%s is %s, plain and gzipped', async (rel, format) => {
    const path = shared(rel);
    const plain = await openFileInput(path, 'auto');
    expect(plain.format).toBe(format);
    expect(plain.totalBytes).toBe(readFileSync(path).length);
    const gz = tmp.write(`${format}-${rel.split('/').pop()!}.gz`, gzipSync(readFileSync(path)));
    const zipped = await openFileInput(gz, 'auto');
    expect(zipped.format).toBe(format);
    expect((await drain(zipped)).records).toEqual((await drain(plain)).records);
  });

  it('detects the gzipped cs corpus as kaggle by its magic bytes, whatever the name', async () => {
    const renamed = tmp.write('corpus.txt', readFileSync(shared('data/arxiv/arxiv-cs-2025-2026.kaggle.jsonl.gz')).subarray(0, 50_000));
    expect((await openFileInput(renamed, 'auto')).format).toBe('kaggle');
  });

  it('looks past an XML prolog, comments and a BOM to the root element', async () => {
    const xml = readFileSync(shared('fixtures/oai-pmh/ListRecordsResponse.xml'), 'utf8').replace(
      '?>',
      '?>\n<!-- saved by hand: <feed> is not the root -->\n',
    );
    const p = tmp.write('commented.xml', `\uFEFF${xml}`);
    const opened = await openFileInput(p, 'auto');
    expect(opened.format).toBe('oai-pmh');
    expect((await drain(opened)).records.length).toBeGreaterThan(0);
  });

  it('detects a single-line wrapped daily-papers response', async () => {
    const data = JSON.parse(readFileSync(shared('data/hf-daily-papers/2024-05-27.json'), 'utf8')) as unknown[];
    const p = tmp.write('wrapped.json', JSON.stringify({ status: 'success', date: '2024-05-27', count: 13, data }));
    expect((await openFileInput(p, 'auto')).format).toBe('hf-daily');
  });
});

describe('documents read whole and yielded in batches', () => {
  it('yields the Atom parser records, batchSize at a time', async () => {
    const path = shared('fixtures/arxiv-atom/query.xml');
    const expected = parseArxivAtom(readFileSync(path, 'utf8'), path).records;
    expect(expected.length).toBeGreaterThan(2);
    const opened = await openFileInput(path, 'auto', { batchSize: 2 });
    expect(opened.bytesRead()).toBe(0); // nothing is read before the batches are asked for
    const got = await drain(opened);
    expect(got.records).toEqual(expected);
    expect(got.sizes.every((n) => n <= 2)).toBe(true);
    expect(opened.bytesRead()).toBe(opened.totalBytes);
  });

  it('yields the OAI-PMH records; "no records match" is an empty input, other OAI errors unusable', async () => {
    const path = shared('fixtures/oai-pmh/ListRecordsResponse.xml');
    const page = parseOaiPmh(readFileSync(path, 'utf8'), path);
    expect((await drain(await openFileInput(path, 'oai-pmh'))).records).toEqual(page.records);
    const none = await drain(await openFileInput(shared('fixtures/oai-pmh/ErrorResponseNoRecordsMatch.xml'), 'auto'));
    expect(none.records).toEqual([]);
    const bad = await unusable(drain(await openFileInput(shared('fixtures/oai-pmh/ErrorResponseBadArgument.xml'), 'auto')));
    expect(bad.reason).toMatch(/^the response is an error, not records: badArgument: /);
  });

  it('gives hf-daily files the day in their name, even gzipped', async () => {
    const day = tmp.write('2025-06-25.json.gz', gzipSync(readFileSync(shared('data/hf-daily-papers/2025-06-25.json'))));
    const got = await drain(await openFileInput(day, 'auto'));
    expect(got.records).toHaveLength(14);
    expect(new Set(got.records.map((r) => r.hf?.featuredOn))).toEqual(new Set(['2025-06-25']));
  });

  it('reports the repr entries of a quirky day as record errors with file and entry', async () => {
    const path = shared('data/hf-daily-papers/2024-12-26.json');
    const got = await drain(await openFileInput(path, 'auto'));
    expect(got.records).toEqual([]);
    expect(got.errors.map((e) => `${e.source}#${e.at}`)).toEqual([1, 2, 3, 4].map((n) => `${path}#entry ${n}`));
  });

  it('opens fetched bytes: hf-daily with the day asked for, gzipped kaggle lines', async () => {
    const body = readFileSync(shared('data/hf-daily-papers/2025-06-25.json'));
    const hf = await openBufferInput('https://huggingface.co/api/daily_papers?date=2025-06-25', body, 'auto', '2025-06-26');
    expect(hf.format).toBe('hf-daily');
    expect((await drain(hf)).records[0]!.hf!.featuredOn).toBe('2025-06-26');
    // without a day argument, the ?date= of the URL; early responses have no submittedOnDailyAt
    const early = readFileSync(shared('data/hf-daily-papers/early-2024/daily_papers_2024-03-12.json'));
    const byUrl = await openBufferInput('https://huggingface.co/api/daily_papers?date=2024-03-09', early, 'auto');
    expect(new Set((await drain(byUrl)).records.map((r) => r.hf!.featuredOn))).toEqual(new Set(['2024-03-09']));
    const kaggle = await openBufferInput('snapshot.gz', gzipSync(readFileSync(SAMPLE)), 'auto');
    expect(kaggle.format).toBe('kaggle');
    expect((await drain(kaggle)).records).toHaveLength(127);
  });
});

describe('unusable inputs', () => {
  const AUTO = 'not Kaggle JSON lines, an arXiv Atom feed, an OAI-PMH response or HF daily papers JSON';

  it('a missing file or a directory, with the OS reason', async () => {
    const missing = await unusable(openFileInput(`${tmp.path}/nope.jsonl`, 'auto'));
    expect(missing.source).toBe(`${tmp.path}/nope.jsonl`);
    expect(missing.at).toBe('open');
    expect(missing.reason).toBe('ENOENT: no such file or directory');
    expect((await unusable(openFileInput(tmp.path, 'auto'))).reason).toBe('a directory, not a file');
  });

  it('an HTML page saved instead of the data, plain or gzipped', async () => {
    const html = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n';
    const e = await unusable(openFileInput(tmp.write('page.json', html), 'auto'));
    expect(e.message).toContain('page.json');
    expect(e.reason).toBe(`looks like an HTML page, ${AUTO}`);
    expect((await unusable(openFileInput(tmp.write('page.gz', gzipSync('<html lang="en"><body/></html>')), 'auto'))).reason).toBe(
      `looks like an HTML page, ${AUTO}`,
    );
  });

  it('binary junk: NUL bytes or bytes that are not UTF-8', async () => {
    const nul = Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x50, 0x4b, 0x03, 0x04]);
    expect((await unusable(openFileInput(tmp.write('nul.bin', nul), 'auto'))).reason).toBe(`looks like binary data (NUL bytes), ${AUTO}`);
    const latin = Buffer.from([0x7b, 0xe9, 0xe8, 0x20, 0xff, 0xfe, 0x41]);
    expect((await unusable(openFileInput(tmp.write('latin.bin', latin), 'auto'))).reason).toBe(
      `looks like binary data (not UTF-8 text), ${AUTO}`,
    );
  });

  it('a gzip header followed by junk', async () => {
    const junk = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('definitely not deflate data')]);
    expect((await unusable(openFileInput(tmp.write('junk.gz', junk), 'auto'))).reason).toMatch(/^corrupt gzip data/);
  });

  it('an empty file, a blank one, an empty gzip', async () => {
    expect((await unusable(openFileInput(tmp.write('empty.jsonl', ''), 'auto'))).reason).toBe('the input is empty');
    expect((await unusable(openFileInput(tmp.write('blank.jsonl', ' \n\n'), 'kaggle'))).reason).toBe('the input holds only whitespace');
    expect((await unusable(openFileInput(tmp.write('empty.gz', gzipSync('')), 'auto'))).reason).toBe('the input is empty');
  });

  it('other XML and other JSON', async () => {
    const xsd = await unusable(openFileInput(shared('fixtures/oai-pmh/OAI-PMH.xsd'), 'auto'));
    expect(xsd.reason).toBe(`looks like XML with root element <schema>, ${AUTO}`);
    const obj = await unusable(openFileInput(tmp.write('obj.json', '{"error": "Invalid date"}\n'), 'auto'));
    expect(obj.reason).toMatch(/^looks like a JSON object with keys error, neither a snapshot line nor a daily-papers response/);
    const text = await unusable(openFileInput(tmp.write('notes.txt', 'id,title\n2405.15738,ConvLLaVA\n'), 'auto'));
    expect(text.reason).toBe(`looks like plain text starting "id,title\\n2405.15738,ConvLLaVA\\n", ${AUTO}`);
  });

  it('an explicit --format that does not match the content', async () => {
    const xml = await unusable(openFileInput(shared('fixtures/arxiv-atom/query.xml'), 'kaggle'));
    expect(xml.reason).toBe('--format kaggle expects Kaggle arXiv snapshot JSON lines, found an arXiv API Atom feed');
    const lines = await unusable(openFileInput(SAMPLE, 'hf-daily'));
    expect(lines.reason).toBe('--format hf-daily expects Hugging Face daily papers JSON, found Kaggle arXiv snapshot JSON lines');
    const html = await unusable(openBufferInput('https://export.arxiv.org/oai2', Buffer.from('<html><body>busy</body></html>'), 'oai-pmh'));
    expect(html.reason).toBe('looks like an HTML page, not an OAI-PMH response (--format oai-pmh)');
  });
});

describe('a whole document is bounded once inflated', () => {
  const day = readFileSync(shared('data/hf-daily-papers/2024-05-27.json'), 'utf8');
  // valid JSON all along: trailing white space is allowed, so only the size can refuse it
  const padded = day + ' '.repeat(50_000);
  const max = day.length + 10_000;

  it('stops inflating a gzip bomb at the bound and names the input and where it stopped', async () => {
    const bomb = tmp.write('bomb.json.gz', gzipSync(padded));
    const e = await unusable(drain(await openFileInput(bomb, 'auto', { maxDocumentBytes: max })));
    expect(e.source).toBe(bomb);
    expect(e.at).toBe(`inflated byte ${max}`);
    expect(e.reason).toMatch(/^the gzip stream \(\d+ bytes\) inflates to more than the \d+ bytes a whole document may hold; inflating stopped there/);
    // the same file under the default bound is an ordinary day
    expect((await drain(await openFileInput(bomb, 'auto'))).records.length).toBeGreaterThan(0);
  });

  it('refuses a plain document past the bound before reading it, and a fetched body too', async () => {
    const big = tmp.write('big.json', padded);
    const e = await unusable(openFileInput(big, 'auto', { maxDocumentBytes: max }));
    expect([e.source, e.at]).toEqual([big, `byte ${max}`]);
    expect(e.reason).toMatch(/^the document holds \d+ bytes, more than the \d+ bytes a whole document may hold; not read/);
    const url = 'https://huggingface.co/api/daily_papers?date=2024-05-27';
    const body = await unusable(drain(await openBufferInput(url, gzipSync(padded), 'auto', null, { maxDocumentBytes: max })));
    expect(body.at).toBe(`inflated byte ${max}`);
  });

  it('leaves the streamed Kaggle snapshot unbounded', async () => {
    const lines = readFileSync(SAMPLE);
    const opened = await openFileInput(tmp.write('sample.jsonl.gz', gzipSync(lines)), 'auto', { maxDocumentBytes: 1000 });
    expect((await drain(opened)).records.length).toBeGreaterThan(0);
  });
});

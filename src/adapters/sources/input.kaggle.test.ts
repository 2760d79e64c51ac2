// Streaming Kaggle JSON lines: batches, bad lines, truncated inputs, and the full cs corpus.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS, SAMPLE, TempDir, drain, sampleLines, unusable } from '../../../test/support/input-files.js';
import { openFileInput } from './input.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

describe('kaggle lines, streamed', () => {
  it('yields the 127 sample records in batches of batchSize, counting bytes read', async () => {
    const opened = await openFileInput(SAMPLE, 'auto', { batchSize: 50 });
    const got = await drain(opened);
    expect(got.sizes).toEqual([50, 50, 27]);
    expect(got.errors).toEqual([]);
    expect(got.records[0]!.id).toBe('0704.0002');
    expect(got.records[126]!.id).toBe('0704.0128');
    expect(opened.bytesRead()).toBe(readFileSync(SAMPLE).length);
  });

  it('reports a bad line in the middle with its line number and keeps its neighbours', async () => {
    const lines = sampleLines();
    lines[49] = lines[49]!.slice(0, 300); // line 50, cut mid-record
    lines[99] = "{'id': '0704.0101', 'title': 'a Python repr'}"; // line 100
    const p = tmp.write('bad-middle.jsonl', `${lines.join('\n')}\n`);
    const got = await drain(await openFileInput(p, 'kaggle', { batchSize: 1000 }));
    expect(got.errors).toEqual([
      { source: p, at: 'line 50', reason: expect.stringMatching(/^invalid JSON at column 301: /) },
      { source: p, at: 'line 100', reason: 'a Python dict repr, not JSON' },
    ]);
    expect(got.records).toHaveLength(125);
    const ids = got.records.map((r) => r.id);
    expect(ids.slice(47, 50)).toEqual(['0704.0049', '0704.0050', '0704.0052']);
  });

  it('tolerates CRLF, blank lines and a missing final newline, counting lines as they are', async () => {
    const lines = sampleLines();
    lines.splice(10, 0, '', '   ');
    lines[20] = '[]'; // line 21 of the file once the two blank lines are in
    const p = tmp.write('crlf.jsonl', lines.join('\r\n'));
    const got = await drain(await openFileInput(p, 'auto'));
    expect(got.records).toHaveLength(126);
    expect(got.errors).toEqual([{ source: p, at: 'line 21', reason: 'a JSON array, not an object' }]);
  });

  it('a plain file cut inside its last line is unusable, not one bad record', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const p = tmp.write('cut.jsonl', text.slice(0, text.length - 400));
    const opened = await openFileInput(p, 'auto');
    const e = await unusable(drain(opened));
    expect(e.source).toBe(p);
    expect(e.at).toBe('line 127');
    expect(e.reason).toMatch(/^truncated: the last line \(\d+ characters\) has no newline and is not complete JSON$/);
  });

  it('a gzip stream that ends early is unusable', async () => {
    const gz = gzipSync(readFileSync(SAMPLE));
    const p = tmp.write('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const opened = await openFileInput(p, 'auto');
    expect(opened.format).toBe('kaggle');
    const e = await unusable(drain(opened));
    expect(e.reason).toBe('truncated gzip stream (unexpected end of file)');
    expect(e.at).toMatch(/^byte \d+$/);
  });

  it('a cut corpus yields its first batches, then fails', async () => {
    const p = tmp.write('corpus-head.jsonl.gz', readFileSync(CORPUS).subarray(0, 3_000_000));
    const opened = await openFileInput(p, 'auto');
    let records = 0;
    const e = await unusable(
      (async () => {
        for await (const b of opened.batches) records += b.records.length + b.pending!.length;
      })(),
    );
    expect(e.reason).toBe('truncated gzip stream (unexpected end of file)');
    expect(records).toBeGreaterThan(1000);
  });

  it('stops reading when the consumer stops', async () => {
    const opened = await openFileInput(CORPUS, 'auto', { batchSize: 100 });
    for await (const b of opened.batches) {
      expect(b.pending).toHaveLength(100);
      break;
    }
    expect(opened.bytesRead()).toBeLessThan(opened.totalBytes! / 4);
  });
});

describe('the 74,728-line cs corpus, streamed', () => {
  it('yields every line as a paper, the one with a mangled 512-character author list too', async () => {
    const opened = await openFileInput(CORPUS, 'auto');
    expect(opened.format).toBe('kaggle');
    let records = 0;
    let batches = 0;
    let lastBytes = 0;
    const errors = [];
    for await (const b of opened.batches) {
      // every line is pending, parsed only when its fingerprint is new: parse them all here
      for (const p of b.pending!) {
        const r = p.parse();
        if (r.error) errors.push(r.error);
        else records++;
      }
      batches++;
      expect(b.pending!.length).toBeLessThanOrEqual(250);
      expect(opened.bytesRead()).toBeGreaterThanOrEqual(lastBytes);
      lastBytes = opened.bytesRead();
    }
    // line 13402 (2506.02197) glued ~40 names into one 512-character "name": odd, not junk
    expect(records).toBe(74_728);
    expect(errors).toEqual([]);
    expect(batches).toBe(299);
    expect(opened.bytesRead()).toBe(opened.totalBytes);
  });
});

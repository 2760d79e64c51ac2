// Kaggle lines read on a worker thread (kaggle.threaded.ts) give what reading them here gives:
// the same pending records, fingerprints, parsed records, rejections and unusable inputs,
// whether the worker parses ahead or, once ingest wants few records parsed, sends the lines.
// The worker runs from dist/ (npm run build), as serve's read workers do.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParseResult } from '../../ports/source.js';
import { SAMPLE, TempDir, drain, sampleLines, unusable } from '../../../test/support/input-files.js';
import { openFileInput } from './input.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

/** Both ways of reading a file, drained alike. */
async function both(path: string, batchSize = 20) {
  const here = await drain(await openFileInput(path, 'auto', { batchSize, worker: false }));
  const worker = await openFileInput(path, 'auto', { batchSize, worker: true });
  return { here, worker: await drain(worker), bytes: worker.bytesRead() };
}

/** Fingerprints and parse results, parsing only the batches `wanted` picks (as ingest skips stored ones). */
async function selective(batches: AsyncIterable<ParseResult>, wanted: (batchNo: number) => boolean) {
  const out: unknown[] = [];
  let n = 0;
  for await (const b of batches) {
    const parse = wanted(n++);
    for (const p of b.pending!) out.push([p.id, p.fingerprint, parse ? p.parse() : null]);
  }
  return out;
}

describe('kaggle lines on a worker thread', () => {
  it('the sample: the same records in the same batches, every byte counted', async () => {
    const { here, worker, bytes } = await both(SAMPLE);
    expect(worker.records).toHaveLength(127);
    expect(worker).toEqual(here);
    expect(bytes).toBe(readFileSync(SAMPLE).length);
  });

  it('bad lines, blank lines, CRLF and a last line without newline: the same rejections at the same lines', async () => {
    const lines = sampleLines();
    lines[49] = lines[49]!.slice(0, 300);
    lines[99] = "{'id': '0704.0101', 'title': 'a Python repr'}";
    lines.splice(10, 0, '', '   ');
    const p = tmp.write('mixed.jsonl', lines.join('\r\n'));
    const { here, worker } = await both(p);
    expect(worker.errors.map((e) => e.at)).toEqual(['line 52', 'line 102']);
    expect(worker).toEqual(here);
  });

  it('a file cut inside its last line and a cut gzip stream are unusable inputs, named', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const cut = tmp.write('cut.jsonl', text.slice(0, text.length - 400));
    const e = await unusable(drain(await openFileInput(cut, 'auto', { worker: true })));
    expect([e.source, e.at]).toEqual([cut, 'line 127']);
    expect(e.reason).toMatch(/^truncated: the last line \(\d+ characters\) has no newline and is not complete JSON$/);

    const gz = gzipSync(readFileSync(SAMPLE));
    const gzCut = tmp.write('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const g = await unusable(drain(await openFileInput(gzCut, 'auto', { worker: true })));
    expect(g.reason).toBe('truncated gzip stream (unexpected end of file)');
  });

  it('when ingest parses few records (a rerun), the worker sends lines, and what is parsed is the same', async () => {
    const lines = sampleLines();
    // a bad record in batch 9: sent as a line (the worker reads 8 batches ahead, so batches 8-10
    // go out after ingest parsed nothing of batches 0-2) and parsed here
    lines[94] = '{"id": "0704.0095", "title": 7}';
    const p = tmp.write('rerun.jsonl', `${lines.join('\n')}\n`);
    // nothing parsed in the first batches (the worker stops parsing ahead), then everything again
    const wanted = (n: number) => n >= 3;
    const here = await selective((await openFileInput(p, 'auto', { batchSize: 10, worker: false })).batches, wanted);
    const worker = await selective((await openFileInput(p, 'auto', { batchSize: 10, worker: true })).batches, wanted);
    expect(worker).toEqual(here);
    expect(worker.filter((x) => (x as unknown[])[2] === null)).toHaveLength(30);
    expect(JSON.stringify(worker)).toContain('line 95');
  });

  it('stops the worker when the consumer stops', async () => {
    const opened = await openFileInput(SAMPLE, 'auto', { batchSize: 10, worker: true });
    for await (const b of opened.batches) {
      expect(b.pending).toHaveLength(10);
      break;
    }
    // a second reading starts a new worker from the start
    expect((await drain(opened)).records).toHaveLength(127);
  });
});

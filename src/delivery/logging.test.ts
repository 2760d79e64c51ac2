import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFunction } from './logging.js';

function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { stream, lines: () => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('serve\'s log', () => {
  it('writes a JSON line per sentence, with the run\'s fields, failures at error', () => {
    const { stream, lines } = sink();
    const log = logFunction(createLogger({ PAPERBOY_LOG_LEVEL: 'info' }, stream));
    log('harvest arxiv: 2 page(s) in 1.5 s, new 7, updated 0, unchanged 0, rejected 0', { job: 'harvest', source: 'arxiv', new: 7, seconds: 1.5 });
    log('computing related papers failed: Error: disk full');
    log('search index: cannot open the file');
    const [run, failed, cannot] = lines();
    expect(run).toMatchObject({ level: 30, msg: 'harvest arxiv: 2 page(s) in 1.5 s, new 7, updated 0, unchanged 0, rejected 0', job: 'harvest', source: 'arxiv', new: 7, seconds: 1.5 });
    expect(Date.parse(run!.time as string)).not.toBeNaN();
    expect(failed).toMatchObject({ level: 50, msg: 'computing related papers failed: Error: disk full' });
    expect(cannot).toMatchObject({ level: 50 });
  });

  it('keeps only the failures at warn', () => {
    const { stream, lines } = sink();
    const log = logFunction(createLogger({ PAPERBOY_LOG_LEVEL: 'warn' }, stream));
    log('harvest scheduled "0 2 * * *" (UTC)');
    log('digests failed: Error: 421 try later');
    expect(lines().map((l) => l.msg)).toEqual(['digests failed: Error: 421 try later']);
  });
});

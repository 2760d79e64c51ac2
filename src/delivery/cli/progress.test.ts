import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function stream(isTTY: boolean): { s: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      out += chunk.toString();
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { s: w, text: () => out };
}

describe('progress bar', () => {
  it('shows percent, papers, rate and ETA on a terminal', () => {
    const { s, text } = stream(true);
    const p = createProgress('corpus.jsonl.gz', 1000, s);
    p.update(500, 37_000);
    p.stop();
    expect(text()).toMatch(/corpus\.jsonl\.gz \[.*\] 50% \| 37000 papers \| \d+\/s \| ETA /);
  });

  it('stays quiet when piped', () => {
    const { s, text } = stream(false);
    const p = createProgress('corpus.jsonl.gz', 1000, s);
    p.update(500, 37_000);
    p.stop();
    expect(text()).toBe('');
  });
});

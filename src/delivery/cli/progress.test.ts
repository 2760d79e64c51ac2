import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCounter, createProgress } from './progress.js';

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

describe('counter', () => {
  it('shows the count and rate on a terminal, with a bar when the total is known', () => {
    const { s, text } = stream(true);
    const c = createCounter('sending', 'messages', 200, s);
    c.update(50);
    c.stop();
    expect(text()).toMatch(/sending \[.*\] 50\/200 messages \| \d+\/s \| ETA /);
    const open = stream(true);
    const d = createCounter('queueing 2025-W10', 'subscriptions', null, open.s);
    d.update(3000);
    d.stop();
    expect(open.text()).toMatch(/queueing 2025-W10 3000 subscriptions \| \d+\/s/);
  });

  it('stays quiet when piped', () => {
    const { s, text } = stream(false);
    const c = createCounter('sending', 'messages', 10, s);
    c.update(5);
    c.stop();
    expect(text()).toBe('');
  });
});

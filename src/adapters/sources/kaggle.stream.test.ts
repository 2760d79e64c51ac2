// Kaggle lines as bytes: fingerprints as before, characters split across chunks, a BOM.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../ports/source.js';
import { KAGGLE_PARSER_VERSION } from './kaggle.parser.js';
import { kaggleBatches } from './kaggle.stream.js';

const line = (id: string, title: string) =>
  JSON.stringify({ id, title, abstract: 'Über café naïve — 数据', authors: 'Zoë Ŝmith', categories: 'cs.CL', versions: [{ version: 'v1', created: 'Mon, 2 Jun 2025 10:00:00 GMT' }] });

async function collect(chunks: (Buffer | string)[]): Promise<ParseResult[]> {
  async function* gen() {
    for (const c of chunks) yield c;
  }
  const out: ParseResult[] = [];
  for await (const b of kaggleBatches(gen(), 'x.jsonl', 100)) out.push(b);
  return out;
}

describe('kaggleBatches on bytes', () => {
  it('fingerprints a line as its text was fingerprinted before, so stored records stay recognised', async () => {
    const text = line('2506.00001', 'Études of naïve “quotes”');
    const [batch] = await collect([Buffer.from(text + '\n')]);
    const old = createHash('sha1').update(KAGGLE_PARSER_VERSION).update(text).digest('base64url');
    expect(batch!.pending!.map((p) => [p.id, p.fingerprint])).toEqual([['2506.00001', old]]);
  });

  it('reads lines whose characters are cut between chunks, and skips a byte-order mark', async () => {
    const texts = [line('2506.00001', 'Études'), line('2506.00002', '数据 and “more”'), line('2506.00003', 'last')];
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(texts.join('\n') + '\n')]);
    // 7-byte chunks cut through every multi-byte character somewhere
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const pending = (await collect(chunks)).flatMap((b) => b.pending!);
    expect(pending.map((p) => p.id)).toEqual(['2506.00001', '2506.00002', '2506.00003']);
    const titles = pending.map((p) => p.parse().record!.title);
    expect(titles).toEqual(['Études', '数据 and “more”', 'last']);
    expect(pending[1]!.parse().record!.authors).toEqual(['Zoë Ŝmith']);
  });

  it('takes text chunks too (fetched inputs) and still fails a cut last line', async () => {
    const text = line('2506.00001', 'one');
    await expect(collect([text + '\n' + text.slice(0, 40)])).rejects.toThrow(/truncated: the last line \(40 characters\)/);
  });
});

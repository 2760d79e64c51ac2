// For the input tests (src/adapters/sources/input*.test.ts): where the real files are, a temp
// dir for variants of them, draining an input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputUnusableError } from '../../src/core/errors.js';
import type { RecordError } from '../../src/ports/source.js';
import type { PaperRecord } from '../../src/core/paper.js';
import type { OpenedInput } from '../../src/adapters/sources/input.js';

export const shared = (rel: string): string => fileURLToPath(new URL(`../../../shared/${rel}`, import.meta.url));

export const SAMPLE = shared('fixtures/kaggle/kaggle_format_sample.jsonl');
export const CORPUS = shared('data/arxiv/arxiv-cs-2025-2026.kaggle.jsonl.gz');
export const sampleLines = (): string[] => readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 127);

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'paperboy-input-'));
  write(name: string, content: string | Buffer): string {
    const p = join(this.path, name);
    writeFileSync(p, content);
    return p;
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface Drained {
  records: PaperRecord[];
  errors: RecordError[];
  sizes: number[];
}

export async function drain(input: OpenedInput): Promise<Drained> {
  const out: Drained = { records: [], errors: [], sizes: [] };
  for await (const b of input.batches) {
    out.records.push(...b.records);
    out.errors.push(...b.errors);
    for (const p of b.pending ?? []) {
      const r = p.parse();
      if (r.error) out.errors.push(r.error);
      else out.records.push(r.record);
    }
    out.sizes.push(b.records.length + b.errors.length + (b.pending?.length ?? 0));
  }
  return out;
}

/** The InputUnusableError a promise rejects with (fails the test on anything else). */
export async function unusable(p: Promise<unknown>): Promise<InputUnusableError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputUnusableError) return e;
    throw e;
  }
  throw new Error('expected an InputUnusableError');
}

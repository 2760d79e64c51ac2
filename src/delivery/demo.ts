/**
 * The demo papers bundled with Paperboy (demo/: real Hugging Face daily papers of June 2026
 * and their arXiv metadata, CC0): loaded into a new, empty database so that a first start
 * shows real papers.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openFileInput } from '../adapters/sources/input.js';
import type { Container } from '../container.js';
import { packageRoot } from '../package-root.js';
import { addSummary, emptySummary, type IngestSummary } from '../services/ingest.service.js';

export const DEMO_DIR = join(packageRoot(import.meta.url), 'demo');

export function demoFiles(): string[] {
  return readdirSync(DEMO_DIR)
    .filter((f) => /\.(json|jsonl)(\.gz)?$/.test(f))
    .sort()
    .map((f) => join(DEMO_DIR, f));
}

/** Loads the demo papers when the store is empty; returns null when it was not. */
export async function seedDemo(c: Container): Promise<IngestSummary | null> {
  if ((await c.store.stats()).papers > 0) return null;
  const total = emptySummary();
  for (const file of demoFiles()) {
    const input = await openFileInput(file, 'auto');
    addSummary(total, await c.ingest.ingest(input.batches));
  }
  return total;
}

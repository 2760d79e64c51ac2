/**
 * followNewestBuiltin: a node holding an older built-in model takes the database's newest before
 * it embeds (decision 030), with real models, and leaves every other case alone.
 */
import { describe, expect, it } from 'vitest';
import { BuiltinEmbedder } from '../../adapters/embedding/builtin-embedder.js';
import { SifModel } from '../../core/embedding/sif-model.js';
import type { Embedder } from '../../ports/embedder.js';
import { followNewestBuiltin } from './train-builtin.js';

const train = (texts: string[]) => new BuiltinEmbedder(SifModel.train(texts, { dimensions: 2, minCount: 1 }));
const old = train(['quantum spin lattice', 'protein gene cell', 'quantum qubit spin', 'gene cell enzyme']);
const newer = train(['graph node edge', 'quantum spin lattice', 'graph edge path', 'protein gene cell']);

function deps(held: Embedder | null, newest: Embedder | null, embedder: 'builtin' | 'onnx' = 'builtin') {
  const used: Embedder[] = [];
  const log: string[] = [];
  return {
    used,
    log,
    d: {
      config: { PAPERBOY_EMBEDDER: embedder },
      papers: () => Promise.resolve(1000),
      configured: () => held,
      load: () => Promise.resolve(newest),
      use: (e: Embedder) => Promise.resolve(void used.push(e)),
      log: (m: string) => void log.push(m),
      newestId: () => Promise.resolve(newest?.id ?? null),
    },
  };
}

describe('followNewestBuiltin', () => {
  it('switches a node holding an older model to the newest, saying so', async () => {
    const t = deps(old, newer);
    expect(await followNewestBuiltin(t.d)).toBe(true);
    expect(t.used.map((e) => e.id)).toEqual([newer.id]);
    expect(t.log.join('\n')).toContain(`trained again (${newer.id})`);
  });

  it('leaves the model alone when it is the newest, none is held, or another embedder is configured', async () => {
    for (const t of [deps(newer, newer), deps(null, newer), deps(old, newer, 'onnx'), deps(old, null)]) {
      expect(await followNewestBuiltin(t.d)).toBe(false);
      expect(t.used).toEqual([]);
    }
  });
});

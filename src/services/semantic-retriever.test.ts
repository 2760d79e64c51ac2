import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from '../../test/support/hashed-embedder.js';
import { MemoryVectorIndex } from '../../test/support/memory-vector-index.js';
import { givenNeighbours, IndexSemanticRetriever, MoreNeighboursNeeded, NO_SEMANTIC, SEMANTIC_MAX_K } from './semantic-retriever.js';

const docs = {
  a: 'Evicting entries from the key value cache of large language models',
  b: 'Token merging for vision transformers',
  c: 'Graph neural networks for molecules',
};

async function retriever(embedder = new HashedEmbedder(128)) {
  const index = new MemoryVectorIndex(embedder.dimensions);
  const ids = Object.keys(docs) as (keyof typeof docs)[];
  const vs = await embedder.embed(ids.map((id) => docs[id]), 'document');
  await index.upsert(ids.map((id, i) => ({ id, vector: vs[i]! })));
  return { r: new IndexSemanticRetriever(embedder, index), embedder, index };
}

describe('SemanticRetriever', () => {
  it('without vectors is not ready, says why, and refuses to search', async () => {
    expect(NO_SEMANTIC.status()).toMatchObject({ ready: false, reason: expect.stringContaining('embeddings') });
    await expect(NO_SEMANTIC.search('x', 5)).rejects.toThrow(/not available/);
    const empty = new IndexSemanticRetriever(new HashedEmbedder(8), new MemoryVectorIndex(8));
    expect(empty.status()).toMatchObject({ ready: false, embedderId: 'hashed-8' });
  });

  it('refuses an index of another dimension', () => {
    expect(() => new IndexSemanticRetriever(new HashedEmbedder(8), new MemoryVectorIndex(16))).toThrow(/8-d .* 16-d/);
  });

  it('finds the closest papers, best first, honours among, and embeds a repeated query once', async () => {
    const { r, embedder } = await retriever();
    expect(r.status()).toEqual({ ready: true, embedderId: 'hashed-128' });
    const hits = await r.search('key value cache eviction', 2);
    expect(hits.map((h) => h.id)[0]).toBe('a');
    expect(hits).toHaveLength(2);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    const filtered = await r.search('key value cache eviction', 2, { among: new Set(['b', 'c', 'd', 'e']) });
    expect(filtered.map((h) => h.id)).not.toContain('a');
    expect(embedder.embedded.query).toBe(1);
  });

  it('caps k and answers nothing for a query the model does not know', async () => {
    const { r, index } = await retriever();
    expect(await r.search('vision', 10 * SEMANTIC_MAX_K)).toHaveLength(3);
    expect(await r.search('!!! ???', 3)).toEqual([]);
    expect(await r.search('vision', 0)).toEqual([]);
    expect(index.size).toBe(3);
  });

  it('picks the closest sentence of each document, embedding only those sentences', async () => {
    const { r, embedder } = await retriever();
    const before = embedder.embedded.document;
    const best = await r.closestSentences('merging tokens', [
      ['We study graphs.', 'We merge tokens in transformers.', 'Results follow.'],
      [],
      ['???'],
    ]);
    expect(best[0]).toMatchObject({ index: 1 });
    expect(best[0]!.score).toBeGreaterThan(0);
    expect(best[1]).toBeNull();
    expect(best[2]).toBeNull();
    expect(embedder.embedded.document - before).toBe(4);
  });
});

describe('givenNeighbours: neighbours found elsewhere, sent with a search', () => {
  const hits = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, score: 1 - i / 10 }));

  it('answers up to what was asked for, and all it has when the vectors had no more', async () => {
    const given = givenNeighbours({ k: 5, hits });
    expect(given.status().ready).toBe(true);
    expect((await given.search('x', 3)).map((h) => h.id)).toEqual(['p0', 'p1', 'p2']);
    expect(await given.search('x', 5)).toHaveLength(5);
    expect(await givenNeighbours({ k: 8, hits }).search('x', 32)).toHaveLength(5);
  });

  it('says when a search needs more than were found, so that it runs where the vectors are', async () => {
    await expect(givenNeighbours({ k: 5, hits }).search('x', 20)).rejects.toBeInstanceOf(MoreNeighboursNeeded);
  });
});

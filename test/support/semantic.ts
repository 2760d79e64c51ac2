/**
 * Vectors for every paper of a test store: each live paper's title and abstract embedded by a
 * real (small) embedder into an exact in-memory index, as the embeddings runtime keeps them for
 * `serve`, and the retriever search reads them through.
 */
import { parseQuery } from '../../src/core/query.js';
import type { Embedder } from '../../src/ports/embedder.js';
import type { SearchIndex } from '../../src/ports/search-index.js';
import { IndexSemanticRetriever } from '../../src/services/semantic-retriever.js';
import { HashedEmbedder } from './hashed-embedder.js';
import { MemoryVectorIndex } from './memory-vector-index.js';

export async function embedStore(opened: { index: SearchIndex }, embedder: Embedder = new HashedEmbedder(512)): Promise<IndexSemanticRetriever> {
  await opened.index.refresh();
  // every live paper: a query of a date range wide enough for all of them
  const all = await opened.index.search({ query: parseQuery('date:1900-01-01..2100-12-31'), sort: 'date', limit: 100_000, offset: 0 });
  const index = new MemoryVectorIndex(embedder.dimensions);
  const papers = all.hits.map((h) => h.paper);
  const vectors = await embedder.embed(papers.map((p) => `${p.title ?? ''}. ${p.abstract ?? ''}`), 'document');
  await index.upsert(papers.map((p, i) => ({ id: p.id, vector: vectors[i]! })));
  return new IndexSemanticRetriever(embedder, index);
}

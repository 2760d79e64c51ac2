/**
 * The VectorIndex contract on both adapters: exact search (the reference) and the HNSW graph
 * (usearch), each with its files in a temporary directory.
 */
import { ExactVectorIndex } from '../src/adapters/vector-index/exact.vector-index.js';
import { HnswVectorIndex } from '../src/adapters/vector-index/hnsw.vector-index.js';
import { ThreadedVectorIndex } from '../src/adapters/vector-index/threaded.vector-index.js';
import { vectorIndexContract } from './contracts/vector-index.contract.js';

vectorIndexContract({ name: 'exact', open: (opts) => ExactVectorIndex.open(opts), files: (file) => [file] });
vectorIndexContract({ name: 'hnsw (usearch)', open: (opts) => HnswVectorIndex.open(opts), files: (file) => [file, `${file}.meta`] });
vectorIndexContract({
  name: 'hnsw in a thread of its own',
  open: (opts) => ThreadedVectorIndex.open({ kind: 'hnsw', ...opts }),
  files: (file) => [file, `${file}.meta`],
});

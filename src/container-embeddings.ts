/**
 * The embeddings runtime's part of the composition root (issue 12, decision 025): the configured
 * embedder, the vector index of each embedder (HNSW, decision 020) kept in step with the store's
 * vectors, the runtime over both, and similar papers from the vectors. Imported by the commands
 * that embed or answer by meaning (serve, embeddings train), so the others never load usearch.
 *
 * Index files (decision 020): beside a SQLite file (`<db>.vectors/`), in
 * PAPERBOY_VECTOR_CACHE_DIR for PostgreSQL (on each node: every node answers alike from the
 * vectors in the database); saved after each embedding run and at shutdown.
 *
 * Built-in models are kept in the database by id (decision 030), so that after a retraining
 * search can still embed queries with the old one while the papers are embedded again with the
 * new one, on every node.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Embedder } from './ports/embedder.js';
import type { EmbedderModels } from './ports/embedder-models.js';
import type { OpenedDatabase } from './ports/paper-store.js';
import type { PaperVectors } from './ports/paper-vectors.js';
import type { SyncedVectorIndex } from './ports/vector-index.js';
import { BuiltinEmbedder } from './adapters/embedding/builtin-embedder.js';
import { indexOpener, vectorIndexFile } from './adapters/vector-index/open-vector-index.js';
import { VectorSync } from './services/vector-sync.service.js';
import type { Counter } from './delivery/cli/progress.js';
import type { EmbeddingRunReport } from './services/embedding-job.js';
import { EmbeddingsService, type SyncedIndex } from './services/embeddings.service.js';
import type { RelatedService } from './services/related.service.js';
import { VectorRelated } from './services/vector-related.js';

/** Vector changes applied to an index per store read. */
const SYNC_BATCH = 2000;

export interface EmbeddingsOptions {
  /** the --db value (a SQLite file keeps its index files beside it) */
  db: string;
  log?: (message: string) => void;
  /** the configured embedder; by default the built-in model at <model dir>/builtin.bin, if trained */
  configured?: Embedder | null;
  /** each index held by a thread of its own (serve: searches and insertions never block the thread answering requests) */
  threaded?: boolean;
}

/** The built-in model's file: <PAPERBOY_MODEL_DIR>/builtin.bin. */
export function builtinModelFile(config: Pick<Config, 'PAPERBOY_MODEL_DIR'>): string {
  return join(config.PAPERBOY_MODEL_DIR, 'builtin.bin');
}

/**
 * The embedder the settings name (PAPERBOY_EMBEDDER, decision 022), or null when it cannot be
 * made: no built-in model trained yet, or a model or endpoint that fails to start (said in the
 * log; search stays on the vectors it has). The built-in model is the database's newest (decision
 * 027), so that every node embeds queries with the one the vectors were made with.
 */
export async function configuredEmbedder(config: Config, models: EmbedderModels, log: (m: string) => void = () => {}): Promise<Embedder | null> {
  if (config.PAPERBOY_EMBEDDER === 'none') return null;
  const { embedderFromConfig } = await import('./adapters/embedding/from-config.js');
  try {
    return await embedderFromConfig(config, { loadBuiltin: () => loadBuiltin(config, models), log });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && config.PAPERBOY_EMBEDDER === 'builtin') return null; // not trained yet
    log(`embeddings: ${config.PAPERBOY_EMBEDDER} embedder unavailable: ${(e as Error).message}`);
    return null;
  }
}

/**
 * The database's newest built-in model; else a model file in the model folder (trained before
 * models were kept in the database, or put there by hand), which is kept in the database from
 * then on. ENOENT when there is neither.
 */
async function loadBuiltin(config: Config, models: EmbedderModels): Promise<BuiltinEmbedder> {
  const kept = await models.latestModel('builtin');
  if (kept) return BuiltinEmbedder.fromBuffer(kept.bytes, `the database's model ${kept.id}`);
  const embedder = await BuiltinEmbedder.fromFile(builtinModelFile(config));
  await models.saveModel(embedder.id, 'builtin', embedder.toBuffer(), new Date().toISOString());
  return embedder;
}

/**
 * The runtime over a database: not yet refreshed (call refresh() to load the active index, or
 * embedNew() to embed). Similar papers come from its vectors once one embedder is complete.
 */
export async function openEmbeddings(
  config: Config,
  db: Pick<OpenedDatabase, 'vectors'>,
  related: RelatedService | null,
  opts: EmbeddingsOptions,
): Promise<EmbeddingsService> {
  const log = opts.log ?? (() => {});
  const configured = opts.configured !== undefined ? opts.configured : await configuredEmbedder(config, db.vectors, log);
  // models kept as files before the database kept them (decision 030)
  const kept = join(config.PAPERBOY_MODEL_DIR, 'kept');
  const saved = new Set<string>();
  const embeddings = new EmbeddingsService({
    vectors: db.vectors,
    configured,
    log,
    embedderFor: async (id) => {
      if (!id.startsWith('builtin-')) return null;
      const stored = await db.vectors.model(id);
      if (stored) return BuiltinEmbedder.fromBuffer(stored.bytes);
      const buf = await readFile(join(kept, `${idHash(id)}.bin`)).catch(() => null);
      return buf && BuiltinEmbedder.fromBuffer(buf);
    },
    onComplete: async (embedder) => {
      // a built-in model that made complete vectors is kept (trained ones are already: this is
      // for one handed in some other way), for a later switch's queries; once per process
      if (!(embedder instanceof BuiltinEmbedder) || saved.has(embedder.id)) return;
      await db.vectors.saveModel(embedder.id, 'builtin', embedder.toBuffer(), new Date().toISOString());
      saved.add(embedder.id);
    },
    // a built-in model trained again supersedes the older ones: their vectors (~80 MB at 75k
    // papers), models (~30 MB) and this node's index files go once the new one answers search.
    // Another kind of embedder (an ONNX model, an endpoint) stays: switching back to it is then cheap.
    superseded: async (embedder, others) => {
      if (!(embedder instanceof BuiltinEmbedder)) return;
      for (const old of others.filter((r) => r.id.startsWith('builtin-'))) {
        await db.vectors.dropEmbedder(old.id);
        if (opts.db !== ':memory:') {
          const file = vectorIndexFile(opts.db, old, config.PAPERBOY_VECTOR_CACHE_DIR);
          await Promise.all([rm(file, { force: true }), rm(`${file}.meta`, { force: true })]);
        }
        log(`embeddings: dropped ${old.id}, superseded by ${embedder.id}`);
      }
    },
    openIndex: async (id) => {
      // placed and checked as decision 020 says (beside a SQLite file, else in
      // PAPERBOY_VECTOR_CACHE_DIR), caught up with the store once; then kept in step here
      const sync = new VectorSync({ vectors: db.vectors, openIndex: indexOpener(opts.db, config.PAPERBOY_VECTOR_CACHE_DIR, 'hnsw', opts.threaded ?? false) });
      const { index, report } = await sync.open(id);
      if (report.rebuilt && report.applied > 0) log(`embeddings: the index of ${id} was built from the store (${report.rebuilt})`);
      return syncedIndex(db.vectors, id, index);
    },
  });
  related?.useVectors({ current: () => embeddings.current(), related: new VectorRelated(related.lists, db.vectors) });
  return embeddings;
}

/** An index kept in step with the store: applies the changes after the seq it reflects. */
export function syncedIndex(vectors: Pick<PaperVectors, 'vectorChanges'>, embedderId: string, index: SyncedVectorIndex): SyncedIndex {
  let saved = index.syncedSeq;
  return {
    index,
    async sync() {
      let applied = 0;
      for (;;) {
        const changes = await vectors.vectorChanges(embedderId, index.syncedSeq, SYNC_BATCH);
        if (changes.length === 0) return applied;
        const upserts = changes.filter((c) => c.vector !== null).map((c) => ({ id: c.paperId, vector: c.vector! }));
        const removals = changes.filter((c) => c.vector === null).map((c) => c.paperId);
        // in seq order: a paper removed then written again ends up held, and the reverse removed
        const last = new Map(changes.map((c) => [c.paperId, c.vector !== null]));
        await index.upsert(upserts.filter((u) => last.get(u.id)));
        await index.remove(removals.filter((id) => !last.get(id)));
        index.markSynced(changes[changes.length - 1]!.seq);
        applied += changes.length;
      }
    },
    async save() {
      if (index.syncedSeq === saved) return;
      await index.save();
      saved = index.syncedSeq;
    },
    async close() {
      if (index.syncedSeq !== saved) await index.save();
      await index.close();
    },
  };
}

function idHash(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 24);
}

/**
 * Embeds every paper that lacks a current vector from `embedder` (after `paperboy embeddings
 * train`, or `paperboy index`), with a progress bar on a TTY, then runs `then` while the vectors
 * are open (by default: brings similar papers up to the vectors if they became complete). What
 * the CLI calls; serve runs the same job itself.
 */
export async function embedPapers(
  config: Config,
  c: Pick<OpenedDatabase, 'vectors'> & { related?: RelatedService | null },
  db: string,
  embedder: Embedder,
  stream: NodeJS.WriteStream | null,
  then?: () => Promise<void>,
): Promise<EmbeddingRunReport | null> {
  const { createCounter } = await import('./delivery/cli/progress.js');
  const rt = await openEmbeddings(config, c, c.related ?? null, { db, configured: embedder });
  const bar: { counter: Counter | null } = { counter: null };
  try {
    const report = await rt.embedNew({
      onProgress: (p) => {
        bar.counter ??= createCounter('embedding', 'papers', p.total, stream);
        bar.counter.update(p.done);
      },
    });
    bar.counter?.stop();
    bar.counter = null;
    if (then) await then();
    else if (report?.complete) await c.related?.refresh();
    return report;
  } finally {
    bar.counter?.stop();
    await rt.close();
  }
}

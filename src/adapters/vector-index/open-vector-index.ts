/**
 * Where an embedder's index lives and which adapter holds it (decision 020). On SQLite, beside
 * the database: `<db>.vectors/<name>.usearch`; on PostgreSQL, in PAPERBOY_VECTOR_CACHE_DIR, one
 * file per database and embedder, on each node. The name is a hash of the database, the embedder
 * and when it was registered: an embedder dropped and registered again, or another database at the
 * same path, never finds a file that is not its own.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { databaseKind } from '../../core/database-url.js';
import type { EmbedderState } from '../../ports/paper-vectors.js';
import type { SyncedVectorIndex } from '../../ports/vector-index.js';
import { ExactVectorIndex, type OpenedFrom } from './exact.vector-index.js';
import { HnswVectorIndex, type HnswSettings } from './hnsw.vector-index.js';
import { ThreadedVectorIndex } from './threaded.vector-index.js';

export type VectorIndexKind = 'hnsw' | 'exact';

export type OpenedVectorIndex = SyncedVectorIndex & { readonly openedFrom: OpenedFrom };

/** The index file of an embedder's vectors in the database `db` (a SQLite path or a postgres:// URL). */
export function vectorIndexFile(db: string, embedder: Pick<EmbedderState, 'id' | 'createdAt'>, cacheDir: string): string {
  const postgres = databaseKind(db) === 'postgres';
  // never the password in what is hashed: the same database under another password is the same
  const where = postgres ? withoutSecrets(db) : resolve(db);
  const name = createHash('sha256').update(`${where}\n${embedder.id}\n${embedder.createdAt}`).digest('hex').slice(0, 24);
  return postgres ? join(resolve(cacheDir), `${name}.usearch`) : `${resolve(db)}.vectors/${name}.usearch`;
}

export interface OpenVectorIndexOptions {
  kind: VectorIndexKind;
  dimensions: number;
  /** the file it is saved to (vectorIndexFile); none: kept in memory only */
  file?: string;
  hnsw?: Partial<HnswSettings>;
  /** start empty, the file set aside (overwritten by the next save) */
  fresh?: boolean;
  /** held by a thread of its own (threaded.vector-index.ts): what serve uses, so that searches and insertions never block its thread */
  threaded?: boolean;
}

/** The index of that kind, loaded from its file when the file is whole and its own, else empty. */
export async function openVectorIndex(opts: OpenVectorIndexOptions): Promise<OpenedVectorIndex> {
  if (opts.threaded) return ThreadedVectorIndex.open({ ...opts, threaded: false });
  const file = opts.file ? { file: opts.file, fresh: opts.fresh ?? false } : {};
  if (opts.kind === 'exact') return ExactVectorIndex.open({ dimensions: opts.dimensions, ...file });
  return HnswVectorIndex.open({ dimensions: opts.dimensions, ...file, ...(opts.hnsw ? { settings: opts.hnsw } : {}) });
}

/** A postgres:// URL without its password and options (pg-client.ts's describePgUrl, without loading the driver). */
function withoutSecrets(url: string): string {
  const u = new URL(url);
  u.password = '';
  u.search = '';
  return u.toString();
}

/**
 * What VectorSync needs to open an embedder's index of the database `db` (a SQLite path or a
 * postgres:// URL): its file placed by vectorIndexFile, in `cacheDir` for PostgreSQL
 * (PAPERBOY_VECTOR_CACHE_DIR). `:memory:` databases keep no file.
 */
export function indexOpener(
  db: string,
  cacheDir: string,
  kind: VectorIndexKind = 'hnsw',
  threaded = false,
): (embedder: EmbedderState, fresh: boolean) => Promise<OpenedVectorIndex> {
  return (embedder, fresh) =>
    openVectorIndex({ kind, dimensions: embedder.dimensions, fresh, threaded, ...(db === ':memory:' ? {} : { file: vectorIndexFile(db, embedder, cacheDir) }) });
}

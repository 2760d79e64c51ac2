/**
 * What both dialects share for the papers' vectors (ports/paper-vectors.ts): the byte form of a
 * vector (little-endian Float32, as a BLOB or a bytea), rows as the port's objects, and the
 * checks made before anything is written.
 */
import { PaperboyError } from '../../core/errors.js';
import type { EmbedderState, PaperToEmbed, PaperVectorWrite } from '../../ports/paper-vectors.js';

type Row = Record<string, unknown>;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The stored form: Float32 little-endian bytes (a view, no copy, on little-endian machines). */
export function vectorToBytes(v: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const out = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) out.writeFloatLE(v[i]!, i * 4);
  return out;
}

/** A stored vector read back, copied into its own aligned buffer. */
export function bytesToVector(b: Uint8Array, where: string): Float32Array {
  if (b.byteLength % 4 !== 0) throw new Error(`${where}: a stored vector of ${b.byteLength} bytes is not Float32 values`);
  const v = new Float32Array(b.byteLength / 4);
  if (LITTLE_ENDIAN) new Uint8Array(v.buffer).set(b);
  else {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < v.length; i++) v[i] = view.getFloat32(i * 4, true);
  }
  return v;
}

export function rowToEmbedder(r: Row): EmbedderState {
  return {
    id: String(r.id),
    dimensions: Number(r.dimensions),
    createdAt: String(r.created_at),
    completedAt: r.completed_at === null || r.completed_at === undefined ? null : String(r.completed_at),
    lastSeq: Number(r.last_seq),
    walked: Boolean(r.walked),
  };
}

export function rowToPaperToEmbed(r: Row): PaperToEmbed {
  return {
    id: String(r.id),
    title: (r.title as string | null) ?? null,
    abstract: (r.abstract as string | null) ?? null,
    modifiedAt: String(r.modified_at),
    deleted: Boolean(r.deleted),
    contentHash: (r.content_hash as string | null) ?? null,
  };
}

export function unknownEmbedder(id: string): PaperboyError {
  return new PaperboyError('NOT_FOUND', `embedder ${id}: not registered (registerEmbedder first)`);
}

/** Refuses a batch with a vector of the wrong length or not finite, naming the paper. */
export function checkWrites(embedder: EmbedderState, writes: readonly PaperVectorWrite[]): void {
  for (const w of writes) {
    if (w.vector === null) continue;
    if (w.vector.length !== embedder.dimensions)
      throw new PaperboyError(
        'RECORD_INVALID',
        `paper ${w.paperId}: a vector of ${w.vector.length} dimensions for embedder ${embedder.id}, which has ${embedder.dimensions}`,
      );
    for (const x of w.vector)
      if (!Number.isFinite(x)) throw new PaperboyError('RECORD_INVALID', `paper ${w.paperId}: its vector for embedder ${embedder.id} holds ${x}`);
  }
}

/** The last write of each paper in a batch, in batch order (a batch may name a paper twice). */
export function lastWrites(writes: readonly PaperVectorWrite[]): PaperVectorWrite[] {
  const byId = new Map<string, PaperVectorWrite>();
  for (const w of writes) {
    byId.delete(w.paperId);
    byId.set(w.paperId, w);
  }
  return [...byId.values()];
}

export function checkDimensions(id: string, dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions > 65536)
    throw new PaperboyError('RECORD_INVALID', `embedder ${id}: ${dimensions} is not a number of dimensions`);
}

export function otherDimensions(known: EmbedderState, dimensions: number): PaperboyError {
  return new PaperboyError(
    'RECORD_INVALID',
    `embedder ${known.id}: registered with ${known.dimensions} dimensions, not ${dimensions} (an embedder's id must change with its dimensions)`,
  );
}

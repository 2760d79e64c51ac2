/**
 * The messages between ThreadedVectorIndex (threaded.vector-index.ts) and the thread that holds
 * the index (vector-index.worker.ts). Vectors travel as one flat Float32Array whose buffer is
 * transferred, not copied again.
 */
import type { VectorHit } from '../../ports/vector-index.js';
import type { OpenedFrom } from './exact.vector-index.js';
import type { OpenVectorIndexOptions } from './open-vector-index.js';

export type IndexSetup = OpenVectorIndexOptions;

export type IndexCall =
  | { id: number; op: 'upsert'; ids: string[]; flat: Float32Array }
  | { id: number; op: 'remove'; ids: string[] }
  | { id: number; op: 'search'; query: Float32Array; k: number; among?: ReadonlySet<string> }
  | { id: number; op: 'save' }
  | { id: number; op: 'close' }
  | { op: 'markSynced'; seq: number };

/** What the index holds after a call: mirrored on the calling thread, whose size and syncedSeq are read synchronously. */
export interface IndexState {
  size: number;
  syncedSeq: number;
}

export type IndexReply =
  | ({ ready: true; openedFrom: OpenedFrom } & IndexState)
  | { fatal: string }
  | ({ id: number; hits?: VectorHit[] } & IndexState)
  | { id: number; error: string };

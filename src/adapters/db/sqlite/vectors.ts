/**
 * The SQLite store's papers' vectors (ports/paper-vectors.ts, decision 020). Writes are one
 * IMMEDIATE transaction each, in the connection's queue: an embedder's seqs are taken under the
 * file's write lock, so they commit in order.
 */
import type { EmbedderModels, StoredModel } from '../../../ports/embedder-models.js';
import type { EmbedderState, PaperToEmbed, PaperVectors, PaperVectorWrite, QueuedPapers, VectorChange, VectorCounts } from '../../../ports/paper-vectors.js';
import {
  bytesToVector,
  checkDimensions,
  checkWrites,
  lastWrites,
  otherDimensions,
  rowToEmbedder,
  rowToPaperToEmbed,
  unknownEmbedder,
  vectorToBytes,
} from '../vector-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteVectors extends SqliteInboxPart implements PaperVectors, EmbedderModels {
  async registerEmbedder(id: string, dimensions: number, now: string): Promise<EmbedderState> {
    checkDimensions(id, dimensions);
    const known = await this.write(() => {
      // papers past the newest one now are new to it (queuedPapers); those before, it walks first
      this.st(
        `INSERT INTO embedders (id, dimensions, created_at, inserted_through) VALUES (?, ?, ?, (SELECT COALESCE(MAX(rowid), 0) FROM papers))
         ON CONFLICT (id) DO NOTHING`,
      ).run(id, dimensions, now);
      return this.find(id)!;
    });
    if (known.dimensions !== dimensions) throw otherDimensions(known, dimensions);
    return known;
  }

  async embedder(id: string): Promise<EmbedderState | null> {
    return this.find(id);
  }

  // ---- EmbedderModels: trained models, by embedder id ----

  async saveModel(id: string, kind: string, bytes: Uint8Array, now: string): Promise<void> {
    await this.write(() =>
      this.st('INSERT INTO embedder_models (id, kind, model, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING').run(id, kind, Buffer.from(bytes), now),
    );
  }

  async model(id: string): Promise<StoredModel | null> {
    const row = this.st('SELECT id, model FROM embedder_models WHERE id = ?').get(id) as { id: string; model: Buffer } | undefined;
    return row ? { id: row.id, bytes: row.model } : null;
  }

  async latestModel(kind: string): Promise<StoredModel | null> {
    const row = this.st('SELECT id, model FROM embedder_models WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(kind) as
      | { id: string; model: Buffer }
      | undefined;
    return row ? { id: row.id, bytes: row.model } : null;
  }

  async latestModelId(kind: string): Promise<string | null> {
    const row = this.st('SELECT id FROM embedder_models WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(kind) as { id: string } | undefined;
    return row?.id ?? null;
  }

  async embedders(): Promise<EmbedderState[]> {
    return (this.st('SELECT * FROM embedders ORDER BY created_at DESC, id').all() as Row[]).map(rowToEmbedder);
  }

  async markEmbedderComplete(id: string, now: string): Promise<void> {
    const changed = await this.write(() => this.st('UPDATE embedders SET completed_at = ? WHERE id = ?').run(now, id).changes);
    if (changed === 0) throw unknownEmbedder(id);
  }

  async dropEmbedder(id: string): Promise<void> {
    await this.write(() => {
      this.st('DELETE FROM paper_vectors WHERE embedder_id = ?').run(id);
      this.st('DELETE FROM embedding_queue WHERE embedder_id = ?').run(id);
      this.st('DELETE FROM embedders WHERE id = ?').run(id);
      this.st('DELETE FROM embedder_models WHERE id = ?').run(id);
    });
  }

  async papersToEmbed(embedderId: string, afterId: string, limit: number): Promise<PaperToEmbed[]> {
    const rows = this.st(
      `SELECT p.id, p.title, p.abstract, p.modified_at, p.deleted, v.content_hash
       FROM papers p LEFT JOIN paper_vectors v ON v.embedder_id = ? AND v.paper_id = p.id
       WHERE p.id > ? AND CASE WHEN p.deleted THEN v.vector IS NOT NULL
                               ELSE v.paper_id IS NULL OR v.vector IS NULL OR v.paper_modified IS NOT p.modified_at END
       ORDER BY p.id LIMIT ?`,
    ).all(embedderId, afterId, Math.max(0, limit)) as Row[];
    return rows.map(rowToPaperToEmbed);
  }

  async putVectors(embedderId: string, writes: readonly PaperVectorWrite[]): Promise<number> {
    const embedder = this.find(embedderId);
    if (!embedder) throw unknownEmbedder(embedderId);
    checkWrites(embedder, writes);
    if (writes.length === 0) return 0;
    const stored = this.st('SELECT content_hash, vector IS NULL AS gone FROM paper_vectors WHERE embedder_id = ? AND paper_id = ?');
    const touch = this.st('UPDATE paper_vectors SET paper_modified = ? WHERE embedder_id = ? AND paper_id = ?');
    const upsert = this.st(
      `INSERT INTO paper_vectors (embedder_id, paper_id, seq, content_hash, paper_modified, vector) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (embedder_id, paper_id) DO UPDATE SET seq = excluded.seq, content_hash = excluded.content_hash,
         paper_modified = excluded.paper_modified, vector = excluded.vector`,
    );
    return this.write(() => {
      let seq = Number(this.st('SELECT last_seq FROM embedders WHERE id = ?').pluck().get(embedderId));
      const first = seq;
      for (const w of lastWrites(writes)) {
        const old = stored.get(embedderId, w.paperId) as { content_hash: string; gone: number } | undefined;
        if (old === undefined && w.vector === null) continue; // nothing held: nothing to remove
        if (old !== undefined && old.content_hash === w.contentHash && Boolean(old.gone) === (w.vector === null)) {
          touch.run(w.paperModified, embedderId, w.paperId);
          continue;
        }
        upsert.run(embedderId, w.paperId, ++seq, w.contentHash, w.paperModified, w.vector && vectorToBytes(w.vector));
      }
      if (seq !== first) this.st('UPDATE embedders SET last_seq = ? WHERE id = ?').run(seq, embedderId);
      return seq - first;
    });
  }

  async vectorChanges(embedderId: string, afterSeq: number, limit: number): Promise<VectorChange[]> {
    const rows = this.st('SELECT seq, paper_id, vector FROM paper_vectors WHERE embedder_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(
      embedderId,
      afterSeq,
      Math.max(0, limit),
    ) as { seq: number; paper_id: string; vector: Buffer | null }[];
    return rows.map((r) => ({ seq: r.seq, paperId: r.paper_id, vector: r.vector && bytesToVector(r.vector, `paper ${r.paper_id}`) }));
  }

  async vectorsOf(embedderId: string, paperIds: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    if (paperIds.length === 0) return found;
    const rows = this.st(
      'SELECT paper_id, vector FROM paper_vectors WHERE embedder_id = ? AND paper_id IN (SELECT value FROM json_each(?)) AND vector IS NOT NULL',
    ).all(embedderId, JSON.stringify(paperIds)) as { paper_id: string; vector: Buffer }[];
    for (const r of rows) found.set(r.paper_id, bytesToVector(r.vector, `paper ${r.paper_id}`));
    return found;
  }

  async vectorCounts(embedderId: string): Promise<VectorCounts> {
    const r = this.st(
      `SELECT COUNT(*) AS papers, COUNT(v.paper_id) AS current
       FROM papers p LEFT JOIN paper_vectors v
         ON v.embedder_id = ? AND v.paper_id = p.id AND v.vector IS NOT NULL AND v.paper_modified = p.modified_at
       WHERE p.deleted = 0`,
    ).get(embedderId) as { papers: number; current: number };
    return { papers: r.papers, current: r.current };
  }

  async markEmbedderWalked(id: string): Promise<void> {
    const changed = await this.write(() => this.st('UPDATE embedders SET walked = 1 WHERE id = ?').run(id).changes);
    if (changed === 0) throw unknownEmbedder(id);
  }

  /**
   * The embedder's queue: the papers updated since it took them (embedding_queue, filled by a
   * trigger), then those added since (past its rowid watermark: no trigger on insert, which
   * would cost a third of the ingest; migration 22).
   */
  async queuedPapers(embedderId: string, limit: number): Promise<QueuedPapers> {
    const updated = this.st(
      `SELECT q.seq, p.id, p.title, p.abstract, p.modified_at, p.deleted, v.content_hash
       FROM embedding_queue q JOIN papers p ON p.id = q.paper_id
       LEFT JOIN paper_vectors v ON v.embedder_id = q.embedder_id AND v.paper_id = q.paper_id
       WHERE q.embedder_id = ? ORDER BY q.seq LIMIT ?`,
    ).all(embedderId, Math.max(0, limit)) as Row[];
    const added =
      updated.length < limit
        ? (this.st(
            `SELECT p.rowid, p.id, p.title, p.abstract, p.modified_at, p.deleted, v.content_hash
             FROM papers p LEFT JOIN paper_vectors v ON v.embedder_id = ? AND v.paper_id = p.id
             WHERE p.rowid > (SELECT inserted_through FROM embedders WHERE id = ?) ORDER BY p.rowid LIMIT ?`,
          ).all(embedderId, embedderId, limit - updated.length) as Row[])
        : [];
    const seqs = JSON.stringify(updated.map((r) => r.seq));
    // an added paper updated since it was read was not queued (the watermark had not passed it): it is now
    const read = JSON.stringify(added.map((r) => [r.rowid, r.modified_at]));
    return {
      papers: [...updated, ...added].map(rowToPaperToEmbed),
      done: () =>
        this.write(() => {
          // a seq is given once (AUTOINCREMENT): a paper queued again since holds a new one and stays
          this.st('DELETE FROM embedding_queue WHERE embedder_id = ? AND seq IN (SELECT value FROM json_each(?))').run(embedderId, seqs);
          if (added.length === 0) return;
          this.st('UPDATE embedders SET inserted_through = max(inserted_through, ?) WHERE id = ?').run(added.at(-1)!.rowid, embedderId);
          this.st(
            `INSERT INTO embedding_queue (embedder_id, paper_id)
             SELECT ?, p.id FROM json_each(?) j JOIN papers p ON p.rowid = j.value ->> 0
             WHERE p.modified_at IS NOT j.value ->> 1
             ON CONFLICT (paper_id, embedder_id) DO NOTHING`,
          ).run(embedderId, read);
        }),
    };
  }

  async queueLength(embedderId: string): Promise<number> {
    return Number(
      this.st(
        `SELECT (SELECT COUNT(*) FROM embedding_queue WHERE embedder_id = ?)
              + (SELECT COUNT(*) FROM papers WHERE rowid > (SELECT inserted_through FROM embedders WHERE id = ?))`,
      )
        .pluck()
        .get(embedderId, embedderId),
    );
  }

  private find(id: string): EmbedderState | null {
    const r = this.st('SELECT * FROM embedders WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToEmbedder(r) : null;
  }
}

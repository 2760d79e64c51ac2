/**
 * The PostgreSQL store's papers' vectors (ports/paper-vectors.ts, decision 020). A batch is one
 * transaction under the store's write lock, with the embedder's row locked while its seqs are
 * taken: seqs commit in order on every node. Arrays go in as one parameter each (unnest); the
 * vectors as hex text, which both node-postgres and PGlite pass as plain text[].
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
import { PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

export class PostgresVectors extends PostgresPart implements PaperVectors, EmbedderModels {
  async registerEmbedder(id: string, dimensions: number, now: string): Promise<EmbedderState> {
    checkDimensions(id, dimensions);
    await this.db.query('INSERT INTO embedders (id, dimensions, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [id, dimensions, now]);
    const known = (await this.embedder(id))!;
    if (known.dimensions !== dimensions) throw otherDimensions(known, dimensions);
    return known;
  }

  async embedder(id: string): Promise<EmbedderState | null> {
    const rows = await this.db.query<Row>('SELECT * FROM embedders WHERE id = $1', [id]);
    return rows[0] ? rowToEmbedder(rows[0]) : null;
  }

  // ---- EmbedderModels: trained models, by embedder id ----

  async saveModel(id: string, kind: string, bytes: Uint8Array, now: string): Promise<void> {
    await this.db.query('INSERT INTO embedder_models (id, kind, model, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
      id,
      kind,
      Buffer.from(bytes),
      now,
    ]);
  }

  async model(id: string): Promise<StoredModel | null> {
    const rows = await this.db.query<Row>('SELECT id, model FROM embedder_models WHERE id = $1', [id]);
    return rows[0] ? storedModel(rows[0]) : null;
  }

  async latestModel(kind: string): Promise<StoredModel | null> {
    const rows = await this.db.query<Row>('SELECT id, model FROM embedder_models WHERE kind = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [kind]);
    return rows[0] ? storedModel(rows[0]) : null;
  }

  async latestModelId(kind: string): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM embedder_models WHERE kind = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [kind]);
    return rows[0]?.id ?? null;
  }

  async embedders(): Promise<EmbedderState[]> {
    return (await this.db.query<Row>('SELECT * FROM embedders ORDER BY created_at DESC, id')).map(rowToEmbedder);
  }

  async markEmbedderComplete(id: string, now: string): Promise<void> {
    const rows = await this.db.query('UPDATE embedders SET completed_at = $2 WHERE id = $1 RETURNING id', [id, now]);
    if (rows.length === 0) throw unknownEmbedder(id);
  }

  async dropEmbedder(id: string): Promise<void> {
    await this.conn.transaction(async (q) => {
      await q.query('DELETE FROM paper_vectors WHERE embedder_id = $1', [id]);
      await q.query('DELETE FROM embedders WHERE id = $1', [id]);
      await q.query('DELETE FROM embedder_models WHERE id = $1', [id]);
    });
  }

  async papersToEmbed(embedderId: string, afterId: string, limit: number): Promise<PaperToEmbed[]> {
    // in the primary key's own order (the database's collation; any deterministic one pages
    // stably): under another (COLLATE "C" where the database's is not C) each page sorted every
    // paper, and a walk of 75k papers took 32 s
    const rows = await this.db.query<Row>(
      `SELECT p.id, p.title, p.abstract, p.modified_at, p.deleted, v.content_hash
       FROM papers p LEFT JOIN paper_vectors v ON v.embedder_id = $1 AND v.paper_id = p.id
       WHERE p.id > $2 AND CASE WHEN p.deleted THEN v.vector IS NOT NULL
                           ELSE v.paper_id IS NULL OR v.vector IS NULL OR v.paper_modified IS DISTINCT FROM p.modified_at END
       ORDER BY p.id LIMIT $3`,
      [embedderId, afterId, Math.max(0, limit)],
    );
    return rows.map(rowToPaperToEmbed);
  }

  async putVectors(embedderId: string, writes: readonly PaperVectorWrite[]): Promise<number> {
    const embedder = await this.embedder(embedderId);
    if (!embedder) throw unknownEmbedder(embedderId);
    checkWrites(embedder, writes);
    if (writes.length === 0) return 0;
    const batch = lastWrites(writes);
    return this.conn.transaction(async (q) => {
      const locked = await q.query<{ last_seq: number }>('SELECT last_seq FROM embedders WHERE id = $1 FOR UPDATE', [embedderId]);
      if (!locked[0]) throw unknownEmbedder(embedderId); // dropped meanwhile
      const stored = new Map(
        (
          await q.query<{ paper_id: string; content_hash: string; gone: boolean }>(
            'SELECT paper_id, content_hash, vector IS NULL AS gone FROM paper_vectors WHERE embedder_id = $1 AND paper_id = ANY($2::text[])',
            [embedderId, batch.map((w) => w.paperId)],
          )
        ).map((r) => [r.paper_id, r]),
      );
      let seq = Number(locked[0].last_seq);
      const first = seq;
      const touched: PaperVectorWrite[] = [];
      const changed: { w: PaperVectorWrite; seq: number }[] = [];
      for (const w of batch) {
        const old = stored.get(w.paperId);
        if (old === undefined && w.vector === null) continue; // nothing held: nothing to remove
        if (old !== undefined && old.content_hash === w.contentHash && old.gone === (w.vector === null)) touched.push(w);
        else changed.push({ w, seq: ++seq });
      }
      if (touched.length > 0)
        await q.query(
          `UPDATE paper_vectors v SET paper_modified = t.m FROM unnest($2::text[], $3::timestamptz[]) AS t(id, m)
           WHERE v.embedder_id = $1 AND v.paper_id = t.id`,
          [embedderId, touched.map((w) => w.paperId), touched.map((w) => w.paperModified)],
        );
      if (changed.length > 0) {
        await q.query(
          `INSERT INTO paper_vectors (embedder_id, paper_id, seq, content_hash, paper_modified, vector)
           SELECT $1, t.id, t.seq, t.hash, t.m, decode(t.hex, 'hex')
           FROM unnest($2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[]) AS t(id, seq, hash, m, hex)
           ON CONFLICT (embedder_id, paper_id) DO UPDATE SET seq = excluded.seq, content_hash = excluded.content_hash,
             paper_modified = excluded.paper_modified, vector = excluded.vector`,
          [
            embedderId,
            changed.map((c) => c.w.paperId),
            changed.map((c) => c.seq),
            changed.map((c) => c.w.contentHash),
            changed.map((c) => c.w.paperModified),
            changed.map((c) => (c.w.vector ? vectorToBytes(c.w.vector).toString('hex') : null)),
          ],
        );
        await q.query('UPDATE embedders SET last_seq = $2 WHERE id = $1', [embedderId, seq]);
      }
      return seq - first;
    });
  }

  async vectorChanges(embedderId: string, afterSeq: number, limit: number): Promise<VectorChange[]> {
    const rows = await this.db.query<{ seq: number; paper_id: string; vector: Uint8Array | null }>(
      'SELECT seq, paper_id, vector FROM paper_vectors WHERE embedder_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [embedderId, afterSeq, Math.max(0, limit)],
    );
    return rows.map((r) => ({ seq: Number(r.seq), paperId: r.paper_id, vector: r.vector && bytesToVector(r.vector, `paper ${r.paper_id}`) }));
  }

  async vectorsOf(embedderId: string, paperIds: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    if (paperIds.length === 0) return found;
    const rows = await this.db.query<{ paper_id: string; vector: Uint8Array }>(
      'SELECT paper_id, vector FROM paper_vectors WHERE embedder_id = $1 AND paper_id = ANY($2::text[]) AND vector IS NOT NULL',
      [embedderId, [...paperIds]],
    );
    for (const r of rows) found.set(r.paper_id, bytesToVector(r.vector, `paper ${r.paper_id}`));
    return found;
  }

  async vectorCounts(embedderId: string): Promise<VectorCounts> {
    const rows = await this.db.query<{ papers: number; current: number }>(
      `SELECT COUNT(*) AS papers, COUNT(v.paper_id) AS current
       FROM papers p LEFT JOIN paper_vectors v
         ON v.embedder_id = $1 AND v.paper_id = p.id AND v.vector IS NOT NULL AND v.paper_modified = p.modified_at
       WHERE NOT p.deleted`,
      [embedderId],
    );
    return { papers: Number(rows[0]!.papers), current: Number(rows[0]!.current) };
  }

  async markEmbedderWalked(id: string): Promise<void> {
    const rows = await this.db.query('UPDATE embedders SET walked = true WHERE id = $1 RETURNING id', [id]);
    if (rows.length === 0) throw unknownEmbedder(id);
  }

  async queuedPapers(embedderId: string, limit: number): Promise<QueuedPapers> {
    const rows = await this.db.query<Row>(
      `SELECT q.seq, p.id, p.title, p.abstract, p.modified_at, p.deleted, v.content_hash
       FROM embedding_queue q JOIN papers p ON p.id = q.paper_id
       LEFT JOIN paper_vectors v ON v.embedder_id = q.embedder_id AND v.paper_id = q.paper_id
       WHERE q.embedder_id = $1 ORDER BY q.seq LIMIT $2`,
      [embedderId, Math.max(0, limit)],
    );
    const seqs = rows.map((r) => String(r.seq));
    return {
      papers: rows.map(rowToPaperToEmbed),
      done: async () => {
        // a paper queued again since holds a new seq (its row updated by the trigger): it stays
        if (seqs.length > 0) await this.db.query('DELETE FROM embedding_queue WHERE embedder_id = $1 AND seq = ANY($2::bigint[])', [embedderId, seqs]);
      },
    };
  }

  async queueLength(embedderId: string): Promise<number> {
    const rows = await this.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM embedding_queue WHERE embedder_id = $1', [embedderId]);
    return Number(rows[0]!.n);
  }
}

/** node-postgres gives a bytea as a Buffer, PGlite as a Uint8Array. */
function storedModel(row: Row): StoredModel {
  const bytes = row.model as Uint8Array;
  return { id: row.id as string, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * The paper store on an embedded SQLite file (better-sqlite3, WAL): the one-machine setup.
 *
 * better-sqlite3 is synchronous and the process holds one connection, so transactions are
 * serialised by a promise queue: a transaction that awaits (streamed ingest) never lets another
 * write slip into it. Statements are prepared once; batches are looked up with json_each so one
 * statement serves any batch size.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PaperboyError } from '../../core/errors.js';
import type { Paper, PaperVersion, SourceName } from '../../core/paper.js';
import type {
  DayCount,
  PaperSignal,
  PaperStore,
  PaperCard,
  PageInputs,
  PaperText,
  PaperTx,
  PaperWrite,
  RecordSeen,
  RelatedList,
  RelatedState,
  RenderedPage,
  StoredPage,
  StoreStats,
} from '../../ports/paper-store.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, MIGRATIONS_TABLE, tooNewMessage } from './migrations.js';
import { PAPER_COLUMNS, paperToRow, rowToPaper } from './paper-row.js';

type Row = Record<string, unknown>;

export interface SqliteStoreOptions {
  /** bytes of the file to memory-map (PRAGMA mmap_size); 0, the default, reads through read() */
  mmapBytes?: number;
}

export class SqliteStore implements PaperStore {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private stmts: ReturnType<typeof prepare> | null = null;
  /** commits made through this handle: PRAGMA data_version only counts other connections' */
  private commits = 0;
  /** tells this handle's data versions from another's (or a restarted process's) */
  private readonly instance = randomBytes(6).toString('base64url');

  constructor(
    private readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('cache_size = -8000'); // 8 MB of page cache: enough for batch upserts, keeps ingest RSS low
    // reads straight from the OS's page cache: a paper page's lookups (the paper, its similar
    // papers) take about a third less time than through read() and SQLite's own cache
    if (opts.mmapBytes) this.db.pragma(`mmap_size = ${Math.floor(opts.mmapBytes)}`);
  }

  /** The connection, for the search index (adapters/search/sqlite-fts.index.ts), which shares it. */
  get connection(): Database.Database {
    return this.db;
  }

  async migrate(): Promise<{ from: number; to: number }> {
    this.db.exec(MIGRATIONS_TABLE);
    const from = this.schemaVersion();
    if (from > LATEST_SCHEMA_VERSION) throw new PaperboyError('DB_TOO_NEW', tooNewMessage(from, this.path));
    for (const m of MIGRATIONS) {
      // IMMEDIATE takes the write lock first, so two processes starting at once can't both apply it
      this.db.exec('BEGIN IMMEDIATE');
      try {
        if (this.schemaVersion() < m.version) {
          this.db.exec(m.sqlite);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, new Date().toISOString());
        }
        this.db.exec('COMMIT');
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    }
    this.stmts = prepare(this.db);
    return { from, to: this.schemaVersion() };
  }

  private schemaVersion(): number {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    return row.v ?? 0;
  }

  private get q(): ReturnType<typeof prepare> {
    if (!this.stmts) throw new Error('SqliteStore used before migrate()');
    return this.stmts;
  }

  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T> {
    return this.serialized(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.tx);
        this.db.exec('COMMIT');
        this.commits++;
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  /** Runs fn after everything queued before it (transactions included), one at a time. */
  private serialized<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = async () => fn();
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private readonly tx: PaperTx = {
    loadHashes: async (ids, source) => {
      const hashes = new Map<string, string>();
      for (const r of this.q.hashesByIds.all(JSON.stringify(ids), source) as { paper_id: string; record_hash: string }[])
        hashes.set(r.paper_id, r.record_hash);
      return hashes;
    },
    loadPapers: async (ids) => {
      const list = JSON.stringify(ids);
      return this.papersWithVersions(this.q.papersByIds.all(list) as Row[], list);
    },
    savePapers: async (writes, seen) => this.savePapers(writes, seen),
    setCursor: async (source, cursor) => {
      this.q.setCursor.run(source, JSON.stringify(cursor), new Date().toISOString());
    },
  };

  private papersWithVersions(rows: Row[], idList: string): Map<string, Paper> {
    const papers = new Map<string, Paper>();
    if (rows.length === 0) return papers;
    const versions = new Map<string, PaperVersion[]>();
    for (const v of this.q.versionsByIds.all(idList) as Row[]) {
      const list = versions.get(String(v.paper_id)) ?? [];
      list.push({ version: Number(v.version), submittedAt: (v.submitted_at as string) ?? null, size: (v.size as string) ?? null });
      versions.set(String(v.paper_id), list);
    }
    for (const r of rows) papers.set(String(r.id), rowToPaper(r, versions.get(String(r.id)) ?? []));
    return papers;
  }

  private savePapers(writes: readonly PaperWrite[], seen: readonly RecordSeen[]): void {
    const now = new Date().toISOString();
    const q = this.q;
    for (const w of writes) {
      const row = paperToRow(w);
      q.upsertPaper.run({ ...row, deleted: row.deleted ? 1 : 0, now });
      q.deleteVersions.run(w.paper.id);
      for (const v of w.paper.versions) q.insertVersion.run(w.paper.id, v.version, v.submittedAt, v.size);
    }
    for (const s of seen) q.upsertHash.run(s.id, s.source, s.hash, now);
  }

  async getPaper(id: string): Promise<Paper | null> {
    const row = this.q.paperById.get(id) as Row | undefined;
    if (!row) return null;
    return rowToPaper(row, this.q.versionsById.all(id) as PaperVersion[]);
  }

  async getCursor(source: string): Promise<unknown> {
    const row = this.q.getCursor.get(source) as { cursor: string } | undefined;
    return row ? (JSON.parse(row.cursor) as unknown) : null;
  }

  async latestDay(): Promise<string | null> {
    const row = this.db.prepare('SELECT MAX(day) AS day FROM papers WHERE deleted = 0').get() as { day: string | null };
    return row.day;
  }

  async papersOnDay(day: string, limit: number): Promise<Paper[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM papers WHERE day = ? AND deleted = 0
         ORDER BY COALESCE(hf_upvotes, 0) DESC, submitted_at DESC, id LIMIT ?`,
      )
      .all(day, limit) as Row[];
    const list = JSON.stringify(rows.map((r) => r.id));
    const byId = this.papersWithVersions(rows, list);
    return rows.map((r) => byId.get(String(r.id))!);
  }

  async rankingSignals(from: string, to: string): Promise<PaperSignal[]> {
    return this.q.signals.all(from, to) as PaperSignal[];
  }

  async getPapers(ids: readonly string[]): Promise<Map<string, Paper>> {
    const list = JSON.stringify(ids);
    return this.papersWithVersions(this.q.papersByIds.all(list) as Row[], list);
  }

  async nearestDay(day: string, direction: 'before' | 'after'): Promise<string | null> {
    const row = (direction === 'before' ? this.q.dayBefore : this.q.dayAfter).get(day) as { day: string } | undefined;
    return row?.day ?? null;
  }

  async dayCounts(from: string, to: string): Promise<DayCount[]> {
    return this.q.dayCounts.all(from, to) as DayCount[];
  }

  /** Other connections' commits move data_version, this one's move the counter: exact, and microseconds. */
  async dataVersion(): Promise<string> {
    return `${this.instance}.${String(this.q.dataVersion.get())}.${this.commits}`;
  }

  async paperTexts(afterId: string, limit: number): Promise<PaperText[]> {
    return this.q.texts.all(afterId, limit) as PaperText[];
  }

  async contentVersion(): Promise<string> {
    const r = this.q.content.get() as { n: number; m: string | null };
    return `${r.n}.${r.m ?? 'empty'}`;
  }

  async relatedCards(id: string, limit: number): Promise<PaperCard[] | null> {
    const related = this.q.related.get(id) as string | undefined;
    if (related === undefined) return null;
    // one primary-key lookup per paper, in the list's order, until `limit` live ones
    const cards: PaperCard[] = [];
    for (const relatedId of JSON.parse(related) as string[]) {
      if (cards.length >= limit) break;
      const r = this.q.card.get(relatedId) as { title: string | null; authors: string | null } | undefined;
      if (r) cards.push({ id: relatedId, title: r.title, authors: r.authors === null ? null : (JSON.parse(r.authors) as string[]) });
    }
    return cards;
  }

  async paperPage(id: string, relatedLimit: number): Promise<{ paper: Paper; related: PaperCard[] | null } | null> {
    const paper = await this.getPaper(id);
    return paper && { paper, related: await this.relatedCards(id, relatedLimit) };
  }

  async relatedIds(id: string): Promise<string[] | null> {
    const json = this.q.related.get(id) as string | undefined;
    return json === undefined ? null : (JSON.parse(json) as string[]);
  }

  async saveRelated(lists: readonly RelatedList[]): Promise<void> {
    if (lists.length === 0) return;
    // through the write queue, so that it never lands inside another caller's open transaction
    await this.transaction(async () => {
      for (const l of lists) this.q.saveRelated.run(l.id, JSON.stringify(l.related));
    });
  }

  async finishRelated(state: RelatedState): Promise<void> {
    await this.transaction(async () => {
      this.db.prepare('DELETE FROM related_papers WHERE paper_id NOT IN (SELECT id FROM papers WHERE deleted = 0)').run();
      this.db.prepare('DELETE FROM paper_pages WHERE paper_id NOT IN (SELECT paper_id FROM related_papers)').run();
      this.db
        .prepare(
          `INSERT INTO related_state (id, content_version, computed_at, papers) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET content_version = excluded.content_version,
             computed_at = excluded.computed_at, papers = excluded.papers`,
        )
        .run(state.contentVersion, state.computedAt, state.papers);
    });
  }

  async relatedState(): Promise<RelatedState | null> {
    const r = this.db.prepare('SELECT content_version, computed_at, papers FROM related_state').get() as
      | { content_version: string; computed_at: string; papers: number }
      | undefined;
    return r ? { contentVersion: r.content_version, computedAt: r.computed_at, papers: r.papers } : null;
  }

  async stats(): Promise<StoreStats> {
    const one = <T>(sql: string) => this.db.prepare(sql).get() as T;
    const counts = one<{ papers: number; deleted: number; hf: number; first: string | null; last: string | null }>(
      `SELECT COUNT(*) AS papers, COALESCE(SUM(deleted), 0) AS deleted,
              COUNT(hf_upvotes) AS hf, MIN(day) AS first, MAX(day) AS last FROM papers`,
    );
    const bySource: StoreStats['bySource'] = {};
    for (const r of this.db.prepare('SELECT source, COUNT(*) AS n FROM paper_sources GROUP BY source').all() as {
      source: SourceName;
      n: number;
    }[])
      bySource[r.source] = r.n;
    return {
      papers: counts.papers,
      versions: one<{ n: number }>('SELECT COUNT(*) AS n FROM paper_versions').n,
      deleted: counts.deleted,
      bySource,
      withHfSignals: counts.hf,
      firstDay: counts.first,
      lastDay: counts.last,
      schemaVersion: this.schemaVersion(),
    };
  }

  async pagesToRender(layout: string, similarLimit: number, afterId: string, limit: number): Promise<PageInputs[]> {
    const rows = this.q.pagesToRender.all({ layout, similar: Math.max(0, similarLimit), after: afterId, limit }) as {
      id: string;
      modified: string;
      related: string;
      similar_modified: string | null;
    }[];
    return rows.map((r) => ({ id: r.id, modified: r.modified, related: r.related, similarModified: r.similar_modified }));
  }

  async savePages(pages: readonly RenderedPage[]): Promise<void> {
    if (pages.length === 0) return;
    // in the write queue, one transaction; not counted as a commit: no paper changed, so the
    // pages cached in memory stay good
    await this.serialized(() =>
      this.db.transaction(() => {
        for (const p of pages)
          this.q.savePage.run({ id: p.id, layout: p.layout, modified: p.modified, related: p.related, similar: p.similarModified, etag: p.etag, body: p.body });
      })(),
    );
  }

  async storedPage(id: string, layout: string): Promise<StoredPage | null> {
    return (this.q.storedPage.get(id, layout) as StoredPage | undefined) ?? null;
  }

  async takeLease(name: string, holder: string, seconds: number): Promise<boolean> {
    // in the write queue, never inside another caller's open transaction; not counted as a
    // commit, since a lease changes nothing a page shows
    return this.serialized(() => this.q.takeLease.run(name, holder, `+${Math.max(0, seconds)} seconds`).changes === 1);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.serialized(() => this.q.releaseLease.run(name, holder));
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.close();
  }
}

function prepare(db: Database.Database) {
  const cols = PAPER_COLUMNS.join(', ');
  const params = PAPER_COLUMNS.map((c) => `@${c}`).join(', ');
  const updates = PAPER_COLUMNS.filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return {
    papersByIds: db.prepare('SELECT * FROM papers WHERE id IN (SELECT value FROM json_each(?))'),
    paperById: db.prepare('SELECT * FROM papers WHERE id = ?'),
    versionsById: db.prepare(
      'SELECT version, submitted_at AS submittedAt, size FROM paper_versions WHERE paper_id = ? ORDER BY version',
    ),
    versionsByIds: db.prepare(
      'SELECT paper_id, version, submitted_at, size FROM paper_versions WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, version',
    ),
    hashesByIds: db.prepare(
      'SELECT paper_id, record_hash FROM paper_sources WHERE paper_id IN (SELECT value FROM json_each(?)) AND source = ?',
    ),
    upsertPaper: db.prepare(
      `INSERT INTO papers (${cols}, created_at, modified_at) VALUES (${params}, @now, @now)
       ON CONFLICT (id) DO UPDATE SET ${updates}, modified_at = excluded.modified_at`,
    ),
    deleteVersions: db.prepare('DELETE FROM paper_versions WHERE paper_id = ?'),
    insertVersion: db.prepare('INSERT INTO paper_versions (paper_id, version, submitted_at, size) VALUES (?, ?, ?, ?)'),
    upsertHash: db.prepare(
      `INSERT INTO paper_sources (paper_id, source, record_hash, seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (paper_id, source) DO UPDATE SET record_hash = excluded.record_hash, seen_at = excluded.seen_at`,
    ),
    getCursor: db.prepare('SELECT cursor FROM source_cursors WHERE source = ?'),
    signals: db.prepare(
      `SELECT id, day, hf_upvotes AS upvotes, submitted_at AS submittedAt FROM papers
       WHERE day BETWEEN ? AND ? AND deleted = 0`,
    ),
    dayBefore: db.prepare('SELECT day FROM papers WHERE day < ? AND deleted = 0 ORDER BY day DESC LIMIT 1'),
    dayAfter: db.prepare('SELECT day FROM papers WHERE day > ? AND deleted = 0 ORDER BY day LIMIT 1'),
    dayCounts: db.prepare(
      'SELECT day, COUNT(*) AS papers FROM papers WHERE day BETWEEN ? AND ? AND deleted = 0 GROUP BY day ORDER BY day',
    ),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    texts: db.prepare('SELECT id, title, abstract FROM papers WHERE id > ? AND deleted = 0 ORDER BY id LIMIT ?'),
    content: db.prepare('SELECT COUNT(*) AS n, MAX(modified_at) AS m FROM papers'),
    related: db.prepare('SELECT related FROM related_papers WHERE paper_id = ?').pluck(),
    // the live papers with a related list, with what their page would be rendered from now, whose
    // stored page (if any) was rendered from something else
    pagesToRender: db.prepare(
      `SELECT id, modified, related, similar_modified FROM (
         SELECT p.id, p.modified_at AS modified, r.related,
                (SELECT MAX(m) FROM (SELECT s.modified_at AS m FROM json_each(r.related) j
                                     JOIN papers s ON s.id = j.value AND s.deleted = 0
                                     ORDER BY j.key LIMIT @similar)) AS similar_modified,
                pp.layout AS p_layout, pp.modified AS p_modified, pp.related AS p_related, pp.similar_modified AS p_similar
         FROM papers p
         JOIN related_papers r ON r.paper_id = p.id
         LEFT JOIN paper_pages pp ON pp.paper_id = p.id
         WHERE p.id > @after AND p.deleted = 0
         ORDER BY p.id
       )
       WHERE p_layout IS NOT @layout OR p_modified IS NOT modified OR p_related IS NOT related OR p_similar IS NOT similar_modified
       LIMIT @limit`,
    ),
    savePage: db.prepare(
      `INSERT INTO paper_pages (paper_id, layout, modified, related, similar_modified, etag, body)
       VALUES (@id, @layout, @modified, @related, @similar, @etag, @body)
       ON CONFLICT (paper_id) DO UPDATE SET layout = excluded.layout, modified = excluded.modified,
         related = excluded.related, similar_modified = excluded.similar_modified, etag = excluded.etag, body = excluded.body`,
    ),
    // current while its paper (live) and related list are what it was rendered from
    storedPage: db.prepare(
      `SELECT pp.etag, pp.body FROM paper_pages pp
       JOIN papers p ON p.id = pp.paper_id AND p.modified_at = pp.modified AND p.deleted = 0
       JOIN related_papers r ON r.paper_id = pp.paper_id AND r.related = pp.related
       WHERE pp.paper_id = ? AND pp.layout = ?`,
    ),
    card: db.prepare('SELECT title, authors FROM papers WHERE id = ? AND deleted = 0'),
    saveRelated: db.prepare(
      'INSERT INTO related_papers (paper_id, related) VALUES (?, ?) ON CONFLICT (paper_id) DO UPDATE SET related = excluded.related',
    ),
    // ISO-8601 UTC text with milliseconds, so that times compare as strings
    takeLease: db.prepare(
      `INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?))
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    ),
    releaseLease: db.prepare('DELETE FROM job_leases WHERE name = ? AND holder = ?'),
    setCursor: db.prepare(
      `INSERT INTO source_cursors (source, cursor, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    ),
  };
}

/**
 * The paper store on PostgreSQL: the setup for several web nodes or a big archive. Behaves as
 * the SQLite store does (the contract suite runs on both); only the means differ.
 *
 * Batches travel as arrays, one per column: a whole savePapers batch is a handful of
 * statements (INSERT … SELECT FROM unnest(…)) whatever its size, which is what lets a full
 * corpus ingest at thousands of papers a second. Writes are serialised like SQLite's: a queue
 * in this process and a transaction-scoped advisory lock across processes, so a merge never
 * reads a paper another writer is about to replace. Reads go through the pool, outside any
 * transaction.
 */
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
import { PAPER_COLUMNS, paperToRow, rowToPaper, type PaperRow } from './paper-row.js';
import { describePgUrl, openPgPool, type PgClient, type PgQuery } from './pg-client.js';

type Row = Record<string, unknown>;

/** Advisory lock keys (two int4s): Paperboy's namespace, then what is locked. */
const LOCK_SPACE = 0x5042; // "PB"
const MIGRATE_LOCK = 1;
const WRITE_LOCK = 2;

/** How long a data version is trusted before the database is asked again (other nodes' writes). */
const DATA_VERSION_TTL_MS = 1000;

/** A store on the server at url (postgres://user:pass@host:port/db). Connects on first use. */
export function openPostgresStore(url: string): PostgresStore {
  return new PostgresStore(openPgPool(url), describePgUrl(url));
}

export class PostgresStore implements PaperStore {
  readonly dialect = 'postgres' as const;
  private queue: Promise<unknown> = Promise.resolve();
  /** commits through this store, so that its own writes show in dataVersion at once */
  private commits = 0;
  private version: { token: string; commits: number; at: number; pending: Promise<string> | null } | null = null;

  /** `where` names the database in messages (describePgUrl: never the password). */
  constructor(
    private readonly db: PgClient,
    private readonly where: string,
  ) {}

  /** The connection, for the search index (adapters/search/postgres.index.ts), which shares it. */
  get client(): PgClient {
    return this.db;
  }

  async migrate(): Promise<{ from: number; to: number }> {
    // the bookkeeping table is created under the lock too: two concurrent CREATE TABLE IF NOT
    // EXISTS can still collide in the catalog
    const from = await this.db.transaction(async (q) => {
      await lock(q, MIGRATE_LOCK);
      await q.query(MIGRATIONS_TABLE);
      return this.refuseTooNew(await schemaVersion(q));
    });
    for (const m of MIGRATIONS) {
      await this.db.transaction(async (q) => {
        await lock(q, MIGRATE_LOCK);
        // another node may have applied it (or something newer) while we waited for the lock
        if (this.refuseTooNew(await schemaVersion(q)) >= m.version) return;
        await q.query(m.postgres);
        await q.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      });
    }
    return { from, to: await schemaVersion(this.db) };
  }

  private refuseTooNew(version: number): number {
    if (version > LATEST_SCHEMA_VERSION) throw new PaperboyError('DB_TOO_NEW', tooNewMessage(version, this.where));
    return version;
  }

  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T> {
    const run = () =>
      this.db.transaction(async (q) => {
        await lock(q, WRITE_LOCK);
        return fn(txOn(q));
      });
    // queued here as well as locked on the server, so that waiting writers don't each hold a
    // pooled connection that reads need
    const next = this.queue.then(run, run).then((result) => {
      this.commits++;
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async getPaper(id: string): Promise<Paper | null> {
    return (await loadPapers(this.db, [id])).get(id) ?? null;
  }

  async getCursor(source: string): Promise<unknown> {
    const rows = await this.db.query<{ cursor: unknown }>('SELECT cursor FROM source_cursors WHERE source = $1', [source]);
    return rows[0]?.cursor ?? null;
  }

  async latestDay(): Promise<string | null> {
    const rows = await this.db.query<{ day: string | null }>('SELECT MAX(day) AS day FROM papers WHERE NOT deleted');
    return rows[0]?.day ?? null;
  }

  async papersOnDay(day: string, limit: number): Promise<Paper[]> {
    // SQLite compares text and finds nothing for '2025-02-30'; PostgreSQL would reject the cast
    if (!isCalendarDay(day)) return [];
    // NULLS LAST and the C collation give SQLite's order: NULLs sort low there, text is bytes
    const rows = await this.db.query<Row>(
      `SELECT * FROM papers WHERE day = $1::date AND NOT deleted
       ORDER BY COALESCE(hf_upvotes, 0) DESC, submitted_at DESC NULLS LAST, id COLLATE "C"
       LIMIT $2`,
      [day, limit < 0 ? null : limit],
    );
    const byId = await withVersions(this.db, rows);
    return rows.map((r) => byId.get(String(r.id))!);
  }

  async rankingSignals(from: string, to: string): Promise<PaperSignal[]> {
    if (!isCalendarDay(from) || !isCalendarDay(to)) return [];
    return this.db.query<PaperSignal>(
      `SELECT id, day, hf_upvotes AS upvotes, submitted_at AS "submittedAt" FROM papers
       WHERE day BETWEEN $1::date AND $2::date AND NOT deleted`,
      [from, to],
    );
  }

  async getPapers(ids: readonly string[]): Promise<Map<string, Paper>> {
    return ids.length === 0 ? new Map() : loadPapers(this.db, ids);
  }

  async nearestDay(day: string, direction: 'before' | 'after'): Promise<string | null> {
    if (!isCalendarDay(day)) return null;
    const sql =
      direction === 'before'
        ? 'SELECT day FROM papers WHERE day < $1::date AND NOT deleted ORDER BY day DESC LIMIT 1'
        : 'SELECT day FROM papers WHERE day > $1::date AND NOT deleted ORDER BY day LIMIT 1';
    return (await this.db.query<{ day: string }>(sql, [day]))[0]?.day ?? null;
  }

  async dayCounts(from: string, to: string): Promise<DayCount[]> {
    if (!isCalendarDay(from) || !isCalendarDay(to)) return [];
    return this.db.query<DayCount>(
      `SELECT day, COUNT(*) AS papers FROM papers
       WHERE day BETWEEN $1::date AND $2::date AND NOT deleted GROUP BY day ORDER BY day`,
      [from, to],
    );
  }

  /**
   * The newest modification time (every save stamps it; papers are flagged deleted, never
   * removed): the same token on every node for the same data. Asked at most once a second (other
   * nodes' writes show within that), and at once after a write through this store.
   */
  async dataVersion(): Promise<string> {
    const v = this.version;
    if (v && v.commits === this.commits && Date.now() - v.at < DATA_VERSION_TTL_MS) return v.token;
    if (v?.pending) return v.pending;
    const commits = this.commits;
    const pending = this.db
      // related lists show on paper pages: their computation time is part of the version
      .query<{ m: string | null; r: string | null }>(
        'SELECT (SELECT MAX(modified_at) FROM papers)::text AS m, (SELECT computed_at FROM related_state)::text AS r',
      )
      .then((rows) => {
        const token = `${rows[0]?.m ?? 'empty'}|${rows[0]?.r ?? ''}`;
        this.version = { token, commits, at: Date.now(), pending: null };
        return token;
      })
      .catch((e: unknown) => {
        if (this.version) this.version.pending = null;
        throw e;
      });
    this.version = { token: v?.token ?? '', commits: v?.commits ?? -1, at: v?.at ?? 0, pending };
    return pending;
  }

  async paperTexts(afterId: string, limit: number): Promise<PaperText[]> {
    // the C collation: ids in byte order, as SQLite orders them, so that paging by id is stable
    return this.db.query<PaperText>(
      'SELECT id, title, abstract FROM papers WHERE id COLLATE "C" > $1 AND NOT deleted ORDER BY id COLLATE "C" LIMIT $2',
      [afterId, limit],
    );
  }

  async contentVersion(): Promise<string> {
    const r = (await this.db.query<{ n: number; m: string | null }>('SELECT COUNT(*)::int AS n, MAX(modified_at)::text AS m FROM papers'))[0]!;
    return `${r.n}.${r.m ?? 'empty'}`;
  }

  /** One round trip: no row when no list was computed, one row of nulls when none of it is live. */
  async relatedCards(id: string, limit: number): Promise<PaperCard[] | null> {
    const rows = await this.db.query<{ related: PaperCard[] | null }>(`SELECT ${RELATED_CARDS} AS related`, [id, Math.max(0, limit)], 'related_cards');
    return rows[0]?.related ?? null;
  }

  async paperPage(id: string, relatedLimit: number): Promise<{ paper: Paper; related: PaperCard[] | null } | null> {
    const rows = await this.db.query<Row & { versions_json: StoredVersion[]; related: PaperCard[] | null }>(
      `SELECT p.*, ${VERSIONS_JSON} AS versions_json, ${RELATED_CARDS} AS related FROM papers p WHERE p.id = $1`,
      [id, Math.max(0, relatedLimit)],
      'paper_page',
    );
    const row = rows[0];
    return row ? { paper: rowToPaper(row, versionsOf(row.versions_json)), related: row.related } : null;
  }

  async relatedIds(id: string): Promise<string[] | null> {
    const rows = await this.db.query<{ related: string[] }>('SELECT related FROM related_papers WHERE paper_id = $1', [id]);
    return rows[0]?.related ?? null;
  }

  async saveRelated(lists: readonly RelatedList[]): Promise<void> {
    if (lists.length === 0) return;
    await this.db.query(
      `INSERT INTO related_papers (paper_id, related)
       SELECT id, related::jsonb FROM unnest($1::text[], $2::text[]) AS t(id, related)
       ON CONFLICT (paper_id) DO UPDATE SET related = excluded.related`,
      [lists.map((l) => l.id), lists.map((l) => JSON.stringify(l.related))],
    );
  }

  async finishRelated(state: RelatedState): Promise<void> {
    await this.db.transaction(async (q) => {
      await q.query('DELETE FROM related_papers r WHERE NOT EXISTS (SELECT 1 FROM papers p WHERE p.id = r.paper_id AND NOT p.deleted)');
      await q.query('DELETE FROM paper_pages pp WHERE NOT EXISTS (SELECT 1 FROM related_papers r WHERE r.paper_id = pp.paper_id)');
      await q.query(
        `INSERT INTO related_state (id, content_version, computed_at, papers) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET content_version = excluded.content_version,
           computed_at = excluded.computed_at, papers = excluded.papers`,
        [state.contentVersion, state.computedAt, state.papers],
      );
    });
    this.commits++;
  }

  async relatedState(): Promise<RelatedState | null> {
    const rows = await this.db.query<{ content_version: string; computed_at: Date; papers: number }>(
      'SELECT content_version, computed_at, papers FROM related_state',
    );
    const r = rows[0];
    return r ? { contentVersion: r.content_version, computedAt: new Date(r.computed_at).toISOString(), papers: r.papers } : null;
  }

  async stats(): Promise<StoreStats> {
    const [counts, versions, sources, schema] = await Promise.all([
      this.db.query<{ papers: number; deleted: number; hf: number; first: string | null; last: string | null }>(
        `SELECT COUNT(*) AS papers, COUNT(*) FILTER (WHERE deleted) AS deleted,
                COUNT(hf_upvotes) AS hf, MIN(day) AS first, MAX(day) AS last FROM papers`,
      ),
      this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM paper_versions'),
      this.db.query<{ source: SourceName; n: number }>('SELECT source, COUNT(*) AS n FROM paper_sources GROUP BY source'),
      schemaVersion(this.db),
    ]);
    const c = counts[0]!;
    return {
      papers: c.papers,
      versions: versions[0]!.n,
      deleted: c.deleted,
      bySource: Object.fromEntries(sources.map((r) => [r.source, r.n])),
      withHfSignals: c.hf,
      firstDay: c.first,
      lastDay: c.last,
      schemaVersion: schema,
    };
  }

  async pagesToRender(layout: string, similarLimit: number, afterId: string, limit: number): Promise<PageInputs[]> {
    const rows = await this.db.query<{ id: string; modified: string; related: string; similar_modified: string | null }>(
      `SELECT t.id, t.modified::text AS modified, t.related::text AS related, t.similar_modified::text AS similar_modified
       FROM (
         SELECT p.id, p.modified_at AS modified, r.related,
                (SELECT MAX(x.m) FROM (SELECT s.modified_at AS m
                                       FROM jsonb_array_elements_text(r.related) WITH ORDINALITY AS e(id, n)
                                       JOIN papers s ON s.id = e.id AND NOT s.deleted
                                       ORDER BY e.n LIMIT $2) x) AS similar_modified,
                pp.layout AS p_layout, pp.modified AS p_modified, pp.related AS p_related, pp.similar_modified AS p_similar
         FROM papers p
         JOIN related_papers r ON r.paper_id = p.id
         LEFT JOIN paper_pages pp ON pp.paper_id = p.id
         WHERE p.id > $3 AND NOT p.deleted
       ) t
       WHERE t.p_layout IS DISTINCT FROM $1 OR t.p_modified IS DISTINCT FROM t.modified
          OR t.p_related IS DISTINCT FROM t.related OR t.p_similar IS DISTINCT FROM t.similar_modified
       ORDER BY t.id LIMIT $4`,
      [layout, Math.max(0, similarLimit), afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, modified: r.modified, related: r.related, similarModified: r.similar_modified }));
  }

  async savePages(pages: readonly RenderedPage[]): Promise<void> {
    if (pages.length === 0) return;
    // not counted as a commit: no paper changed, so the pages cached in memory stay good
    await this.db.transaction(async (q) => {
      for (const p of pages)
        await q.query(
          `INSERT INTO paper_pages (paper_id, layout, modified, related, similar_modified, etag, body)
           VALUES ($1, $2, $3::timestamptz, $4::jsonb, $5::timestamptz, $6, $7)
           ON CONFLICT (paper_id) DO UPDATE SET layout = excluded.layout, modified = excluded.modified,
             related = excluded.related, similar_modified = excluded.similar_modified, etag = excluded.etag, body = excluded.body`,
          [p.id, p.layout, p.modified, p.related, p.similarModified, p.etag, p.body],
          'save_page',
        );
    });
  }

  async storedPage(id: string, layout: string): Promise<StoredPage | null> {
    // current while its paper (live) and related list are what it was rendered from
    const rows = await this.db.query<{ etag: string; body: Uint8Array }>(
      `SELECT pp.etag, pp.body FROM paper_pages pp
       JOIN papers p ON p.id = pp.paper_id AND p.modified_at = pp.modified AND NOT p.deleted
       JOIN related_papers r ON r.paper_id = pp.paper_id AND r.related = pp.related
       WHERE pp.paper_id = $1 AND pp.layout = $2`,
      [id, layout],
      'stored_page',
    );
    const r = rows[0];
    if (!r) return null;
    // node-postgres gives a Buffer, PGlite a Uint8Array
    return { etag: r.etag, body: Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength) };
  }

  async takeLease(name: string, holder: string, seconds: number): Promise<boolean> {
    // two nodes at once: ON CONFLICT makes the second wait for the first's row, then see its holder
    const rows = await this.db.query<{ holder: string }>(
      `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < clock_timestamp()
       RETURNING holder`,
      [name, holder, Math.max(0, seconds)],
    );
    return rows.length === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.query('DELETE FROM job_leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.queue;
    await this.db.close();
  }
}

function lock(q: PgQuery, what: number): Promise<unknown> {
  return q.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, what]);
}

async function schemaVersion(q: PgQuery): Promise<number> {
  const rows = await q.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return rows[0]?.v ?? 0;
}

function isCalendarDay(day: string): boolean {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
}

function txOn(q: PgQuery): PaperTx {
  return {
    loadHashes: (ids, source) => loadHashes(q, ids, source),
    loadPapers: (ids) => loadPapers(q, ids),
    savePapers: (writes, seen) => savePapers(q, writes, seen),
    setCursor: async (source, cursor) => {
      await q.query(
        `INSERT INTO source_cursors (source, cursor, updated_at) VALUES ($1, $2::text::jsonb, $3)
         ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
        [source, JSON.stringify(cursor), new Date().toISOString()],
      );
    },
  };
}

// ---- reads: one round trip per table, whatever the number of ids ----

async function loadHashes(q: PgQuery, ids: readonly string[], source: SourceName): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  if (ids.length === 0) return hashes;
  const rows = await q.query<{ paper_id: string; record_hash: string }>(
    'SELECT paper_id, record_hash FROM paper_sources WHERE paper_id = ANY($1::text[]) AND source = $2',
    [ids, source],
  );
  for (const r of rows) hashes.set(r.paper_id, r.record_hash);
  return hashes;
}

/**
 * Papers with their version histories in one round trip (a paper page's main read): the versions
 * travel as a JSON array, their timestamps written back as the driver writes timestamptz.
 */
/** A paper's versions as one JSON array, oldest first (alias the paper `p`). */
const VERSIONS_JSON = `(SELECT COALESCE(json_agg(json_build_object('version', v.version, 'submittedAt', v.submitted_at, 'size', v.size)
                                      ORDER BY v.version), '[]'::json)
             FROM paper_versions v WHERE v.paper_id = p.id)`;

/**
 * The live papers of paper $1's related list, best first, at most $2, as a JSON array of cards;
 * NULL when no list was computed for it (an empty list gives []).
 */
const RELATED_CARDS = `(SELECT COALESCE(json_agg(json_build_object('id', c.id, 'title', c.title, 'authors', c.authors) ORDER BY c.n)
                               FILTER (WHERE c.id IS NOT NULL), '[]'::json)
             FROM related_papers r
             LEFT JOIN LATERAL (
               SELECT p2.id, p2.title, p2.authors, e.n
               FROM jsonb_array_elements_text(r.related) WITH ORDINALITY AS e(id, n)
               JOIN papers p2 ON p2.id = e.id AND NOT p2.deleted
               ORDER BY e.n LIMIT $2
             ) c ON true
             WHERE r.paper_id = $1
             HAVING COUNT(r.paper_id) > 0)`;

interface StoredVersion {
  version: number;
  submittedAt: string | null;
  size: string | null;
}

/** json_build_object writes timestamps in the session's time zone: made ISO-8601 in UTC, as every other timestamp is read. */
function versionsOf(stored: StoredVersion[]): PaperVersion[] {
  return stored.map((v) => ({ ...v, submittedAt: v.submittedAt === null ? null : new Date(v.submittedAt).toISOString() }));
}

async function loadPapers(q: PgQuery, ids: readonly string[]): Promise<Map<string, Paper>> {
  const rows = await q.query<Row & { versions_json: StoredVersion[] }>(
    `SELECT p.*, ${VERSIONS_JSON} AS versions_json FROM papers p WHERE p.id = ANY($1::text[])`,
    [ids],
    'papers_by_ids',
  );
  const papers = new Map<string, Paper>();
  for (const r of rows) papers.set(String(r.id), rowToPaper(r, versionsOf(r.versions_json)));
  return papers;
}

async function withVersions(q: PgQuery, rows: Row[]): Promise<Map<string, Paper>> {
  const papers = new Map<string, Paper>();
  if (rows.length === 0) return papers;
  const versions = new Map<string, PaperVersion[]>();
  const stored = await q.query<{ paper_id: string; version: number; submitted_at: string | null; size: string | null }>(
    `SELECT paper_id, version, submitted_at, size FROM paper_versions
     WHERE paper_id = ANY($1::text[]) ORDER BY paper_id, version`,
    [rows.map((r) => r.id)],
  );
  for (const v of stored) {
    const list = versions.get(v.paper_id) ?? [];
    list.push({ version: v.version, submittedAt: v.submitted_at, size: v.size });
    versions.set(v.paper_id, list);
  }
  for (const r of rows) papers.set(String(r.id), rowToPaper(r, versions.get(String(r.id)) ?? []));
  return papers;
}

// ---- writes: each table gets whole columns as arrays ----

/** The element type each papers column travels as; JSON goes as text and is cast on insert. */
const COLUMN_TYPES: Record<(typeof PAPER_COLUMNS)[number], string> = {
  id: 'text', latest_version: 'int', title: 'text', abstract: 'text', authors: 'text', categories: 'text',
  primary_category: 'text', submitted_at: 'timestamptz', updated_at: 'timestamptz', listed_on: 'date', day: 'date',
  comments: 'text', journal_ref: 'text', doi: 'text', license: 'text', report_no: 'text', submitter: 'text',
  code_url: 'text', project_url: 'text', hf_upvotes: 'int', hf_comments: 'int', github_stars: 'int',
  ai_keywords: 'text', ai_summary: 'text', featured_on: 'date', deleted: 'boolean', provenance: 'text',
};
const JSON_COLUMNS = new Set(['authors', 'categories', 'ai_keywords', 'provenance']);

const UPSERT_PAPERS = (() => {
  const arrays = PAPER_COLUMNS.map((c, i) => `$${i + 1}::${COLUMN_TYPES[c]}[]`).join(', ');
  const now = `$${PAPER_COLUMNS.length + 1}::timestamptz`;
  const select = PAPER_COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? `${c}::jsonb` : c)).join(', ');
  const updates = PAPER_COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ');
  return `INSERT INTO papers (${PAPER_COLUMNS.join(', ')}, created_at, modified_at)
    SELECT ${select}, ${now}, ${now} FROM unnest(${arrays}) AS u(${PAPER_COLUMNS.join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${updates}, modified_at = excluded.modified_at`;
})();

const ROWS_PER_STATEMENT = 50;

async function savePapers(q: PgQuery, writes: readonly PaperWrite[], seen: readonly RecordSeen[]): Promise<void> {
  const now = new Date().toISOString();
  // one statement can't upsert a row twice; SQLite applies them in turn, so the last one wins
  const latest = lastBy(writes, (w) => w.paper.id);
  // statements of at most ROWS_PER_STATEMENT papers: their array parameters stay below V8's
  // large-object size (128 kB), so they die young instead of piling up until a full GC
  for (let i = 0; i < latest.length; i += ROWS_PER_STATEMENT) {
    const chunk = latest.slice(i, i + ROWS_PER_STATEMENT);
    const rows = chunk.map(paperToRow);
    await q.query(UPSERT_PAPERS, [...PAPER_COLUMNS.map((c) => rows.map((r: PaperRow) => r[c])), now]);
    await replaceVersions(q, chunk.map((w) => w.paper));
  }
  const hashes = lastBy(seen, (s) => `${s.id}\u0000${s.source}`);
  if (hashes.length === 0) return;
  await q.query(
    `INSERT INTO paper_sources (paper_id, source, record_hash, seen_at)
     SELECT paper_id, source, record_hash, $4::timestamptz FROM unnest($1::text[], $2::text[], $3::text[]) AS u(paper_id, source, record_hash)
     ON CONFLICT (paper_id, source) DO UPDATE SET record_hash = excluded.record_hash, seen_at = excluded.seen_at`,
    [hashes.map((s) => s.id), hashes.map((s) => s.source), hashes.map((s) => s.hash), now],
  );
}

async function replaceVersions(q: PgQuery, papers: Paper[]): Promise<void> {
  await q.query('DELETE FROM paper_versions WHERE paper_id = ANY($1::text[])', [papers.map((p) => p.id)]);
  const versions = papers.flatMap((p) => p.versions.map((v) => ({ id: p.id, ...v })));
  if (versions.length === 0) return;
  await q.query(
    `INSERT INTO paper_versions (paper_id, version, submitted_at, size)
     SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[])`,
    [versions.map((v) => v.id), versions.map((v) => v.version), versions.map((v) => v.submittedAt), versions.map((v) => v.size)],
  );
}

/** The items with distinct keys, each the last of its key, in order of first appearance. */
function lastBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return byKey.size === items.length ? [...items] : [...byKey.values()];
}

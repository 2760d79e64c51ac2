/**
 * The schema, as an append-only list of migrations. Each runs in its own transaction; a
 * database whose newest applied migration is beyond this list was written by newer code and is
 * refused (see migrate() in each store). Never edit a released migration: add one.
 *
 * Each migration is written once per dialect, side by side, so that the two stay in step.
 * Timestamps are ISO-8601 text in SQLite and timestamptz in PostgreSQL; JSON is text in SQLite
 * and jsonb in PostgreSQL.
 */

import { indexedAuthorsSql } from '../search/authors-text.js';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'papers, versions, record hashes, harvest cursors',
    sqlite: `
      CREATE TABLE papers (
        id               TEXT PRIMARY KEY,
        latest_version   INTEGER,
        title            TEXT,
        abstract         TEXT,
        authors          TEXT,            -- JSON array of names, in order
        categories       TEXT,            -- JSON array, primary first
        primary_category TEXT,
        submitted_at     TEXT,
        updated_at       TEXT,
        listed_on        TEXT,
        day              TEXT,            -- the day it is listed under on daily pages
        comments         TEXT,
        journal_ref      TEXT,
        doi              TEXT,
        license          TEXT,
        report_no        TEXT,
        submitter        TEXT,
        code_url         TEXT,
        project_url      TEXT,
        hf_upvotes       INTEGER,
        hf_comments      INTEGER,
        github_stars     INTEGER,
        ai_keywords      TEXT,            -- JSON array
        ai_summary       TEXT,
        featured_on      TEXT,
        deleted          INTEGER NOT NULL DEFAULT 0,
        provenance       TEXT NOT NULL,   -- JSON: field -> source
        created_at       TEXT NOT NULL,
        modified_at      TEXT NOT NULL
      );
      CREATE INDEX papers_day ON papers (day, hf_upvotes);
      CREATE TABLE paper_versions (
        paper_id     TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        version      INTEGER NOT NULL,
        submitted_at TEXT,
        size         TEXT,
        PRIMARY KEY (paper_id, version)
      ) WITHOUT ROWID;
      CREATE TABLE paper_sources (
        paper_id    TEXT NOT NULL,
        source      TEXT NOT NULL,
        record_hash TEXT NOT NULL,
        seen_at     TEXT NOT NULL,
        PRIMARY KEY (paper_id, source)
      ) WITHOUT ROWID;
      CREATE TABLE source_cursors (
        source     TEXT PRIMARY KEY,
        cursor     TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE papers (
        id               TEXT PRIMARY KEY,
        latest_version   INTEGER,
        title            TEXT,
        abstract         TEXT,
        authors          JSONB,
        categories       JSONB,
        primary_category TEXT,
        submitted_at     TIMESTAMPTZ,
        updated_at       TIMESTAMPTZ,
        listed_on        DATE,
        day              DATE,
        comments         TEXT,
        journal_ref      TEXT,
        doi              TEXT,
        license          TEXT,
        report_no        TEXT,
        submitter        TEXT,
        code_url         TEXT,
        project_url      TEXT,
        hf_upvotes       INTEGER,
        hf_comments      INTEGER,
        github_stars     INTEGER,
        ai_keywords      JSONB,
        ai_summary       TEXT,
        featured_on      DATE,
        deleted          BOOLEAN NOT NULL DEFAULT FALSE,
        provenance       JSONB NOT NULL,
        created_at       TIMESTAMPTZ NOT NULL,
        modified_at      TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX papers_day ON papers (day, hf_upvotes);
      CREATE TABLE paper_versions (
        paper_id     TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        version      INTEGER NOT NULL,
        submitted_at TIMESTAMPTZ,
        size         TEXT,
        PRIMARY KEY (paper_id, version)
      );
      CREATE TABLE paper_sources (
        paper_id    TEXT NOT NULL,
        source      TEXT NOT NULL,
        record_hash TEXT NOT NULL,
        seen_at     TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (paper_id, source)
      );
      CREATE TABLE source_cursors (
        source     TEXT PRIMARY KEY,
        cursor     JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'keyword search index',
    // SQLite: FTS5 over the papers table (external content: the text is not stored twice). New
    // papers are found by rowid past search_state.indexed_through; triggers note only updates and
    // deletions in search_pending, with the old text where the index holds it (external content is
    // deleted by value). The index catches up in bulk when searched or refreshed
    // (adapters/search/sqlite-fts.refresh.ts): writing FTS5 from per-row triggers made ingest 2.7x
    // slower, as FTS5 flushes its in-memory segment at every statement. See docs/decisions/004.
    sqlite: `
      CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, authors,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
      INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16);
      INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 8388608);
      -- "cs.CL" stays one token, so cat: filters are exact ("cs.cl") or by archive ("cs."*)
      CREATE VIRTUAL TABLE papers_fts_categories USING fts5(
        categories, content = 'papers', content_rowid = 'rowid', tokenize = "unicode61 tokenchars '.-'"
      );
      -- document frequencies by term, to pick the telling words of a paper for "similar papers"
      CREATE VIRTUAL TABLE papers_fts_vocab USING fts5vocab(papers_fts, 'row');
      CREATE TABLE search_state (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_through INTEGER NOT NULL   -- papers up to this rowid have been indexed (or noted pending)
      );
      CREATE TABLE search_pending (
        paper_rowid    INTEGER PRIMARY KEY,
        indexed        INTEGER NOT NULL,  -- 1: the index holds the old_* text below, to take out
        old_title      TEXT,
        old_abstract   TEXT,
        old_authors    TEXT,
        old_categories TEXT
      );
      -- a paper already pending keeps the text the index held when it was first noted; NOT EXISTS
      -- rather than OR IGNORE, which the papers upsert's own conflict handling would override
      CREATE TRIGGER papers_search_update AFTER UPDATE OF title, abstract, authors, categories, deleted ON papers
      WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors
        OR old.categories IS NOT new.categories OR old.deleted IS NOT new.deleted
      BEGIN
        INSERT INTO search_pending
          SELECT old.rowid, old.deleted = 0 AND old.rowid <= (SELECT indexed_through FROM search_state),
                 old.title, old.abstract, old.authors, old.categories
          WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE paper_rowid = old.rowid);
      END;
      CREATE TRIGGER papers_search_delete AFTER DELETE ON papers BEGIN
        INSERT INTO search_pending
          SELECT old.rowid, old.deleted = 0 AND old.rowid <= (SELECT indexed_through FROM search_state),
                 old.title, old.abstract, old.authors, old.categories
          WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE paper_rowid = old.rowid);
      END;
      INSERT INTO papers_fts (rowid, title, abstract, authors)
        SELECT rowid, title, abstract, authors FROM papers WHERE deleted = 0;
      INSERT INTO papers_fts_categories (rowid, categories)
        SELECT rowid, categories FROM papers WHERE deleted = 0;
      INSERT INTO search_state VALUES (1, COALESCE((SELECT max(rowid) FROM papers), 0));
    `,
    // PostgreSQL: statement-level triggers queue the ids of papers whose indexed text, day,
    // categories or deleted flag changed; the adapter tokenises them in TypeScript (the same
    // tokens as FTS5) into segments of postings and scores BM25 itself.
    postgres: `
      CREATE SEQUENCE search_queue_seq;
      CREATE TABLE search_queue (
        paper_id TEXT PRIMARY KEY,
        seq      BIGINT NOT NULL DEFAULT nextval('search_queue_seq')  -- bumped when queued again
      );
      CREATE FUNCTION paperboy_queue_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO search_queue (paper_id) SELECT id FROM new_rows
        ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      CREATE FUNCTION paperboy_queue_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO search_queue (paper_id)
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.title, n.abstract, n.authors, n.categories, n.deleted, n.day)
              IS DISTINCT FROM (o.title, o.abstract, o.authors, o.categories, o.deleted, o.day)
        ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      CREATE FUNCTION paperboy_queue_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO search_queue (paper_id) SELECT id FROM old_rows
        ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      CREATE TRIGGER papers_search_insert AFTER INSERT ON papers
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_queue_inserted();
      CREATE TRIGGER papers_search_update AFTER UPDATE ON papers
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_queue_updated();
      CREATE TRIGGER papers_search_delete AFTER DELETE ON papers
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_queue_deleted();

      -- one row per indexed version of a paper's text; a changed text gets a new doc, the old one dies
      CREATE TABLE search_docs (
        doc        INTEGER PRIMARY KEY,
        paper_id   TEXT NOT NULL,
        seg        INTEGER NOT NULL,
        live       BOOLEAN NOT NULL,
        tokens     INTEGER NOT NULL,   -- title + abstract + authors: BM25's document length
        text_hash  TEXT NOT NULL,      -- of the indexed text: a new day or category alone is updated in place
        day        DATE,
        categories TEXT[] NOT NULL     -- lower case
      );
      CREATE UNIQUE INDEX search_docs_paper ON search_docs (paper_id) WHERE live;
      CREATE INDEX search_docs_dead ON search_docs (doc) WHERE NOT live;
      CREATE INDEX search_docs_seg ON search_docs (seg);
      CREATE TABLE search_segments (
        seg  INTEGER PRIMARY KEY,
        docs INTEGER NOT NULL
      );
      -- per term and segment: the postings, encoded by adapters/search/postings-codec.ts
      CREATE TABLE search_postings (
        term TEXT COLLATE "C" NOT NULL,
        seg  INTEGER NOT NULL,
        n    INTEGER NOT NULL, -- postings in this row (dead docs included): a cheap document frequency
        data BYTEA NOT NULL,   -- doc ids, document lengths, per-field frequencies
        pos  BYTEA NOT NULL,   -- positions, read for phrases only
        PRIMARY KEY (term, seg)
      );
      ALTER TABLE search_postings ALTER COLUMN data SET STORAGE EXTERNAL, ALTER COLUMN pos SET STORAGE EXTERNAL;
      CREATE INDEX search_postings_seg ON search_postings (seg);
      CREATE TABLE search_stats (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        docs     BIGINT NOT NULL,    -- live docs
        tokens   BIGINT NOT NULL,    -- their tokens, for the mean document length
        next_doc INTEGER NOT NULL,
        next_seg INTEGER NOT NULL
      );
      INSERT INTO search_stats VALUES (1, 0, 0, 1, 1);
      INSERT INTO search_queue (paper_id) SELECT id FROM papers;
    `,
  },
  {
    version: 3,
    name: 'related papers, listing indexes',
    // related_papers: each paper's similar papers, computed ahead of time for the whole archive
    // (services/related.service.ts, decision 007), a JSON array of ids best first; related_state:
    // what they were computed from. SQLite: a covering index of the live papers by day, which
    // answers the calendar's counts and a period's ranking signals without touching the table
    // (a month's counts: 15 ms → 1 ms on the 75k-paper corpus).
    sqlite: `
      CREATE TABLE related_papers (
        paper_id TEXT PRIMARY KEY,
        related  TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE related_state (
        id               INTEGER PRIMARY KEY CHECK (id = 1),
        content_version  TEXT NOT NULL,
        computed_at      TEXT NOT NULL,
        papers           INTEGER NOT NULL
      );
      CREATE INDEX papers_live_day ON papers (day, hf_upvotes, submitted_at, id) WHERE deleted = 0;
      -- contentVersion(): the newest modification without reading the table
      CREATE INDEX papers_modified ON papers (modified_at);
    `,
    // PostgreSQL: dataVersion() and contentVersion() ask for the newest modified_at (on SQLite,
    // dataVersion() needs no query)
    postgres: `
      CREATE TABLE related_papers (
        paper_id TEXT PRIMARY KEY,
        related  JSONB NOT NULL
      );
      CREATE TABLE related_state (
        id               INTEGER PRIMARY KEY CHECK (id = 1),
        content_version  TEXT NOT NULL,
        computed_at      TIMESTAMPTZ NOT NULL,
        papers           INTEGER NOT NULL
      );
      CREATE INDEX papers_modified ON papers (modified_at);
    `,
  },
  {
    version: 4,
    name: 'job leases',
    // job_leases: who runs a job every node schedules (the harvest, the related papers) until
    // when; PaperStore.takeLease. Times are the database's (ISO text on SQLite).
    sqlite: `
      CREATE TABLE job_leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE job_leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'paper pages rendered ahead',
    // paper_pages: each paper's page rendered ahead of reading, Brotli-compressed, with what it
    // was rendered from (decision 009). layout: the renderer's fingerprint (code, assets, public
    // URL); modified, related: the paper's modified_at and related list then, compared at every
    // read; similar_modified: the newest modified_at among the similar papers it shows, compared
    // by the job that renders pages (PaperStore.pagesToRender).
    sqlite: `
      CREATE TABLE paper_pages (
        paper_id         TEXT PRIMARY KEY,
        layout           TEXT NOT NULL,
        modified         TEXT NOT NULL,
        related          TEXT NOT NULL,
        similar_modified TEXT,
        etag             TEXT NOT NULL,
        body             BLOB NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE paper_pages (
        paper_id         TEXT PRIMARY KEY,
        layout           TEXT NOT NULL,
        modified         TIMESTAMPTZ NOT NULL,
        related          JSONB NOT NULL,
        similar_modified TIMESTAMPTZ,
        etag             TEXT NOT NULL,
        body             BYTEA NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'the latest day Hugging Face featured a paper',
    // papers.last_featured_on: a paper Hugging Face lists on two days keeps its featured_on (the
    // earliest) and takes its project page, AI summary and keywords from the latest day's
    // record, whichever file is ingested first (core/merge.ts, docs/decisions/012). Unknown for
    // papers stored before: the next Hugging Face record of such a paper counts as the latest.
    sqlite: `ALTER TABLE papers ADD COLUMN last_featured_on TEXT;`,
    postgres: `ALTER TABLE papers ADD COLUMN last_featured_on DATE;`,
  },
  {
    version: 7,
    name: 'search: prefix indexes, one author per phrase, date order',
    // SQLite: papers_fts again, with FTS5 prefix indexes for 3- and 4-letter prefixes (a query's
    // shortest, core/query-model.ts LIMITS.prefixMin: "con*" is one doclist read instead of a
    // merge of every word it starts) and the authors indexed with a separator token between names
    // (adapters/search/authors-text.ts), so that author:"Yue Ma" is one person's name. The whole
    // index is rebuilt here, in one bulk statement, and left caught up (nothing pending): for the
    // 74,728-paper corpus, 76 s on a loaded 2-core machine and ~100 MB more (docs/decisions/011),
    // about what indexing the corpus from scratch costs (56 s there). papers_live_day_id
    // serves date-sorted searches newest first, stopping at the page, instead of sorting every match.
    sqlite: `
      DROP TABLE papers_fts_vocab;
      DROP TABLE papers_fts;
      CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, authors,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '3 4'
      );
      INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16);
      INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 8388608);
      CREATE VIRTUAL TABLE papers_fts_vocab USING fts5vocab(papers_fts, 'row');
      INSERT INTO papers_fts (rowid, title, abstract, authors)
        SELECT rowid, title, abstract, ${indexedAuthorsSql('authors')} FROM papers WHERE deleted = 0;
      INSERT INTO papers_fts_categories (papers_fts_categories) VALUES ('delete-all');
      INSERT INTO papers_fts_categories (rowid, categories) SELECT rowid, categories FROM papers WHERE deleted = 0;
      DELETE FROM search_pending;
      UPDATE search_state SET indexed_through = COALESCE((SELECT max(rowid) FROM papers), 0);
      CREATE INDEX papers_live_day_id ON papers (day DESC, id DESC) WHERE deleted = 0;
    `,
    // PostgreSQL: every paper queued again; the indexer gives each a new doc with the authors
    // indexed the same way (its text hash changes) and retires the old one, in the background, in
    // batches, searches answering from the old docs meanwhile. The migration itself is instant.
    postgres: `
      INSERT INTO search_queue (paper_id) SELECT id FROM papers
      ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq;
    `,
  },
  {
    version: 8,
    name: 'the inbox: subscriptions, address marks, the digest outbox, sent papers, signing keys',
    // Issue 11, docs/decisions/016. One live subscription per (address, frequency, topics as
    // given): the partial unique index makes two concurrent requests end with one row (an
    // unsubscribed one is kept and does not count). A digest is a row of digest_outbox under its
    // key `${subscription}/${period}`; the papers it carries are rows of sent_papers from the
    // moment it is reserved, one per (address, paper): the primary key is what stops a paper
    // going to an address twice. "Delete my data" deletes the subscription (its outbox rows go
    // with it, ON DELETE CASCADE) and the sent papers of those rows, by sent_papers_key: no
    // foreign key there, as PostgreSQL checks one per row by trigger, and a batch of reservations
    // writes ~10,000 rows (the check tripled its time). Address marks are kept per address,
    // whatever happens to its subscriptions: they are what stops mail to a bounced address.
    sqlite: `
      CREATE TABLE subscriptions (
        id           TEXT PRIMARY KEY,
        email        TEXT NOT NULL,
        frequency    TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
        topics       TEXT NOT NULL,   -- JSON array of queries, in the reader's order
        status       TEXT NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed')),
        created_at   TEXT NOT NULL,
        confirmed_at TEXT,
        updated_at   TEXT NOT NULL
      );
      CREATE UNIQUE INDEX subscriptions_live ON subscriptions (email, frequency, topics) WHERE status <> 'unsubscribed';
      CREATE INDEX subscriptions_active ON subscriptions (frequency, id) WHERE status = 'active';
      CREATE INDEX subscriptions_email ON subscriptions (email, created_at);
      CREATE INDEX subscriptions_pending ON subscriptions (created_at) WHERE status = 'pending';
      CREATE TABLE address_marks (
        id     INTEGER PRIMARY KEY,
        email  TEXT NOT NULL,
        kind   TEXT NOT NULL CHECK (kind IN ('hard-bounce', 'soft-bounce', 'complaint')),
        at     TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX address_marks_email ON address_marks (email, at);
      CREATE INDEX address_marks_suppressed ON address_marks (email) WHERE kind <> 'soft-bounce';
      CREATE TABLE digest_outbox (
        key             TEXT PRIMARY KEY,
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        email           TEXT NOT NULL,
        period          TEXT NOT NULL,
        message_id      TEXT NOT NULL,
        items           TEXT NOT NULL,   -- JSON array of DigestItem
        status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        claimed_until   TEXT,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        sent_at         TEXT
      );
      CREATE INDEX digest_outbox_due ON digest_outbox (status, next_attempt_at, key);
      CREATE INDEX digest_outbox_subscription ON digest_outbox (subscription_id, period);
      CREATE INDEX digest_outbox_email ON digest_outbox (email) WHERE status = 'queued';
      CREATE TABLE sent_papers (
        email      TEXT NOT NULL,
        paper_id   TEXT NOT NULL,
        outbox_key TEXT NOT NULL,
        PRIMARY KEY (email, paper_id)
      ) WITHOUT ROWID;
      CREATE INDEX sent_papers_key ON sent_papers (outbox_key);
      CREATE TABLE signing_keys (
        name       TEXT PRIMARY KEY,
        key        BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
    // ids, keys and periods in byte order ("C"), as SQLite orders them: keyset pages and "newest
    // period first" are the same on both stores. The topics are unique by their hash: a btree
    // entry has a size limit that a long list of queries could pass.
    postgres: `
      CREATE TABLE subscriptions (
        id           TEXT COLLATE "C" PRIMARY KEY,
        email        TEXT NOT NULL,
        frequency    TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
        topics       JSONB NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed')),
        created_at   TIMESTAMPTZ NOT NULL,
        confirmed_at TIMESTAMPTZ,
        updated_at   TIMESTAMPTZ NOT NULL
      );
      CREATE UNIQUE INDEX subscriptions_live ON subscriptions (email, frequency, md5(topics::text)) WHERE status <> 'unsubscribed';
      CREATE INDEX subscriptions_active ON subscriptions (frequency, id) WHERE status = 'active';
      CREATE INDEX subscriptions_email ON subscriptions (email, created_at);
      CREATE INDEX subscriptions_pending ON subscriptions (created_at) WHERE status = 'pending';
      CREATE TABLE address_marks (
        id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email  TEXT NOT NULL,
        kind   TEXT NOT NULL CHECK (kind IN ('hard-bounce', 'soft-bounce', 'complaint')),
        at     TIMESTAMPTZ NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX address_marks_email ON address_marks (email, at);
      CREATE INDEX address_marks_suppressed ON address_marks (email) WHERE kind <> 'soft-bounce';
      CREATE TABLE digest_outbox (
        key             TEXT COLLATE "C" PRIMARY KEY,
        subscription_id TEXT COLLATE "C" NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        email           TEXT NOT NULL,
        period          TEXT COLLATE "C" NOT NULL,
        message_id      TEXT NOT NULL,
        items           JSONB NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TIMESTAMPTZ NOT NULL,
        claimed_until   TIMESTAMPTZ,
        last_error      TEXT,
        created_at      TIMESTAMPTZ NOT NULL,
        sent_at         TIMESTAMPTZ
      );
      CREATE INDEX digest_outbox_due ON digest_outbox (status, next_attempt_at, key);
      CREATE INDEX digest_outbox_subscription ON digest_outbox (subscription_id, period);
      CREATE INDEX digest_outbox_email ON digest_outbox (email) WHERE status = 'queued';
      CREATE TABLE sent_papers (
        email      TEXT NOT NULL,
        paper_id   TEXT NOT NULL,
        outbox_key TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (email, paper_id)
      );
      CREATE INDEX sent_papers_key ON sent_papers (outbox_key);
      CREATE TABLE signing_keys (
        name       TEXT PRIMARY KEY,
        key        BYTEA NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'paper vectors, per embedder, with a change sequence',
    // Issue 12, docs/decisions/020. embedders: one row per Embedder.id, with its dimensions,
    // whether every paper has its vector (completed_at), and last_seq, the counter its changes
    // take (a row lock on it under the store's write lock: seqs commit in order, so an index that
    // read up to seq N never misses a change numbered below N later). paper_vectors: the vector
    // as little-endian Float32 bytes, NULL once the paper was deleted (kept, with a new seq, so
    // indexes learn of it); content_hash: of the text it was made from; paper_modified: the
    // paper's modified_at then (a paper changed since is offered again: papersToEmbed).
    sqlite: `
      CREATE TABLE embedders (
        id           TEXT PRIMARY KEY,
        dimensions   INTEGER NOT NULL CHECK (dimensions > 0),
        created_at   TEXT NOT NULL,
        completed_at TEXT,
        last_seq     INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE paper_vectors (
        embedder_id    TEXT NOT NULL REFERENCES embedders (id) ON DELETE CASCADE,
        paper_id       TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        content_hash   TEXT NOT NULL,
        paper_modified TEXT NOT NULL,
        vector         BLOB,
        PRIMARY KEY (embedder_id, paper_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX paper_vectors_seq ON paper_vectors (embedder_id, seq);
    `,
    postgres: `
      CREATE TABLE embedders (
        id           TEXT COLLATE "C" PRIMARY KEY,
        dimensions   INTEGER NOT NULL CHECK (dimensions > 0),
        created_at   TIMESTAMPTZ NOT NULL,
        completed_at TIMESTAMPTZ,
        last_seq     BIGINT NOT NULL DEFAULT 0
      );
      CREATE TABLE paper_vectors (
        embedder_id    TEXT COLLATE "C" NOT NULL REFERENCES embedders (id) ON DELETE CASCADE,
        paper_id       TEXT COLLATE "C" NOT NULL,
        seq            BIGINT NOT NULL,
        content_hash   TEXT NOT NULL,
        paper_modified TIMESTAMPTZ NOT NULL,
        vector         BYTEA,
        PRIMARY KEY (embedder_id, paper_id)
      );
      ALTER TABLE paper_vectors ALTER COLUMN vector SET STORAGE EXTERNAL;
      CREATE UNIQUE INDEX paper_vectors_seq ON paper_vectors (embedder_id, seq);
    `,
  },
  {
    version: 10,
    name: 'per-address budgets of the subscribe form\'s emails, shared by every node',
    // Issue 11, docs/decisions/019: at most so many confirmation (or "already subscribed")
    // emails an hour to one address from the form. One row per address: its window's start and
    // how many were taken in it, changed by one upsert (the row lock makes concurrent takes
    // count one after the other, on every node). Rows whose window ended long ago are pruned.
    sqlite: `
      CREATE TABLE address_budgets (
        email        TEXT PRIMARY KEY,
        window_start TEXT NOT NULL,
        taken        INTEGER NOT NULL
      );
      CREATE INDEX address_budgets_start ON address_budgets (window_start);
    `,
    postgres: `
      CREATE TABLE address_budgets (
        email        TEXT PRIMARY KEY,
        window_start TIMESTAMPTZ NOT NULL,
        taken        INTEGER NOT NULL
      );
      CREATE INDEX address_budgets_start ON address_budgets (window_start);
    `,
  },
  {
    version: 11,
    name: 'search: top lists of common words',
    // Issue 10, docs/decisions/026: for each word in at least 2,000 papers (and fewer than half),
    // the few hundred papers that score highest on it alone, so that a search of common words
    // scores those few and proves nothing else can reach its page, instead of scoring every paper
    // holding them. Built by the index refresh (sqlite-fts.top-lists.ts), never here: an empty
    // table only makes searches take the long way. search_changes notes the papers re-indexed
    // with new text, which a list built before cannot bound. PostgreSQL ranks in memory: nothing.
    sqlite: `
      CREATE TABLE search_top_lists (
        term          TEXT PRIMARY KEY,
        papers        INTEGER NOT NULL,
        avgdl         REAL NOT NULL,
        built_through INTEGER NOT NULL,
        changes_seq   INTEGER NOT NULL,
        cut           REAL NOT NULL,
        rowids        TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE search_changes (
        paper_rowid INTEGER PRIMARY KEY,
        seq         INTEGER NOT NULL
      );
      CREATE INDEX search_changes_seq ON search_changes (seq);
      CREATE TABLE search_top_state (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        papers  INTEGER NOT NULL,
        changes INTEGER NOT NULL
      );
    `,
    postgres: `SELECT 1`,
  },
  {
    version: 12,
    name: 'trained embedding models, shared by every node',
    // Issue 12, docs/decisions/030: the built-in model (tens of MB) was a file on each node, so
    // each PostgreSQL node trained its own and answered from its own vectors. Kept here under its
    // embedder id, it is trained once and loaded by every node.
    sqlite: `
      CREATE TABLE embedder_models (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        model      BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX embedder_models_kind ON embedder_models (kind, created_at);
    `,
    postgres: `
      CREATE TABLE embedder_models (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        model      BYTEA NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX embedder_models_kind ON embedder_models (kind, created_at);
    `,
  },
  {
    version: 13,
    name: 'comments on papers, their reports, and a version per paper discussion',
    // Issue 13, docs/decisions/029. comments: the Markdown source as written (rendered on read,
    // core/comment-markdown.ts); parent_id always a top-level comment (a reply to a reply is
    // stored under its top-level parent); author_id a plain account id, no foreign key (accounts
    // live elsewhere), NULL once the account was anonymised; deleted comments keep their row
    // (their replies still hang on it) with the body emptied. comment_reports: one per account
    // and comment (the primary key is the rule), open until a moderator hides or restores the
    // comment. paper_discussions: a counter per paper moved by every change to its comments, in
    // the same transaction, so that a paper page cached or rendered ahead is told apart exactly,
    // and only that paper's; `comments` counts those not deleted. paper_pages.discussion: the
    // version a page rendered ahead was made from, compared at every read like its paper's time.
    sqlite: `
      CREATE TABLE comments (
        id         INTEGER PRIMARY KEY,
        paper_id   TEXT NOT NULL,
        parent_id  INTEGER REFERENCES comments (id),
        author_id  INTEGER,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at  TEXT,
        hidden_at  TEXT,
        hidden_by  INTEGER,
        deleted_at TEXT
      );
      CREATE INDEX comments_thread ON comments (paper_id, parent_id, id);
      CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX comments_author ON comments (author_id, created_at) WHERE author_id IS NOT NULL;
      CREATE TABLE comment_reports (
        comment_id  INTEGER NOT NULL REFERENCES comments (id),
        account_id  INTEGER NOT NULL,
        reason      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by INTEGER,
        PRIMARY KEY (comment_id, account_id)
      ) WITHOUT ROWID;
      CREATE INDEX comment_reports_open ON comment_reports (comment_id) WHERE resolved_at IS NULL;
      CREATE INDEX comment_reports_account ON comment_reports (account_id);
      CREATE TABLE paper_discussions (
        paper_id TEXT PRIMARY KEY,
        version  INTEGER NOT NULL,
        comments INTEGER NOT NULL
      ) WITHOUT ROWID;
      ALTER TABLE paper_pages ADD COLUMN discussion INTEGER NOT NULL DEFAULT 0;
    `,
    postgres: `
      CREATE TABLE comments (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        paper_id   TEXT COLLATE "C" NOT NULL,
        parent_id  BIGINT REFERENCES comments (id),
        author_id  BIGINT,
        body       TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        edited_at  TIMESTAMPTZ,
        hidden_at  TIMESTAMPTZ,
        hidden_by  BIGINT,
        deleted_at TIMESTAMPTZ
      );
      CREATE INDEX comments_thread ON comments (paper_id, parent_id, id);
      CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX comments_author ON comments (author_id, created_at) WHERE author_id IS NOT NULL;
      CREATE TABLE comment_reports (
        comment_id  BIGINT NOT NULL REFERENCES comments (id),
        account_id  BIGINT NOT NULL,
        reason      TEXT NOT NULL,
        created_at  TIMESTAMPTZ NOT NULL,
        resolved_at TIMESTAMPTZ,
        resolved_by BIGINT,
        PRIMARY KEY (comment_id, account_id)
      );
      CREATE INDEX comment_reports_open ON comment_reports (comment_id) WHERE resolved_at IS NULL;
      CREATE INDEX comment_reports_account ON comment_reports (account_id);
      CREATE TABLE paper_discussions (
        paper_id TEXT COLLATE "C" PRIMARY KEY,
        version  BIGINT NOT NULL,
        comments INTEGER NOT NULL
      );
      ALTER TABLE paper_pages ADD COLUMN discussion BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 14,
    name: 'local votes: one per account and paper, a tally per paper, a change counter per day',
    // Issue 13, docs/decisions/028. votes: one row per (paper, account), the primary key being
    // what makes a vote idempotent; with what burst damping needs (the client's network, the
    // account's age, when) and the weight the vote got then, in thousandths (integers: sums stay
    // exact). account_id is NOT a foreign key: accounts live in another part of the schema, and
    // deleting an account keeps its votes as anonymous counts. paper_votes: each voted paper's
    // count and weight, kept in the same transaction as the votes (the listing reads a day's tallies
    // without counting vote rows). vote_days: a counter per listed day, moved by every vote on one
    // of its papers: the version of that day's pages, and (summed) part of the data version.
    sqlite: `
      CREATE TABLE votes (
        paper_id           TEXT NOT NULL REFERENCES papers (id),
        account_id         INTEGER NOT NULL,
        network            TEXT NOT NULL,
        account_created_at TEXT NOT NULL,
        voted_at           TEXT NOT NULL,
        weight             INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 1000),
        PRIMARY KEY (paper_id, account_id)
      ) WITHOUT ROWID;
      CREATE INDEX votes_account ON votes (account_id, paper_id);
      CREATE INDEX votes_network ON votes (paper_id, network, voted_at);
      CREATE TABLE paper_votes (
        paper_id TEXT PRIMARY KEY,
        votes    INTEGER NOT NULL CHECK (votes >= 0),
        weight   INTEGER NOT NULL CHECK (weight >= 0)
      ) WITHOUT ROWID;
      CREATE TABLE vote_days (
        day     TEXT PRIMARY KEY,
        version INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE votes (
        paper_id           TEXT NOT NULL REFERENCES papers (id),
        account_id         BIGINT NOT NULL,
        network            TEXT NOT NULL,
        account_created_at TIMESTAMPTZ NOT NULL,
        voted_at           TIMESTAMPTZ NOT NULL,
        weight             INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 1000),
        PRIMARY KEY (paper_id, account_id)
      );
      CREATE INDEX votes_account ON votes (account_id, paper_id);
      CREATE INDEX votes_network ON votes (paper_id, network, voted_at);
      CREATE TABLE paper_votes (
        paper_id TEXT PRIMARY KEY,
        votes    INTEGER NOT NULL CHECK (votes >= 0),
        weight   INTEGER NOT NULL CHECK (weight >= 0)
      );
      CREATE TABLE vote_days (
        day     TEXT COLLATE "C" PRIMARY KEY,
        version BIGINT NOT NULL
      );
    `,
  },
  {
    version: 15,
    name: 'accounts, single-use sign-in tokens, sessions and API access tokens, kept as hashes',
    // Issue 13, docs/decisions/027. accounts: one per address, compared lower-cased (email_key,
    // unique: two first sign-ins at once make one account). sign_in_tokens and sessions keep only
    // the SHA-256 of the secret the link or cookie carries; a token is used by setting used_at
    // in one conditional UPDATE, so it opens one session at most. access_tokens: the API's
    // personal access tokens, by hash too. A deleted account takes its sessions and tokens with it.
    sqlite: `
      CREATE TABLE accounts (
        id           TEXT PRIMARY KEY,
        email        TEXT NOT NULL,
        email_key    TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('reader', 'moderator', 'admin')),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      );
      CREATE TABLE sign_in_tokens (
        hash       TEXT PRIMARY KEY,
        email      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at    TEXT
      ) WITHOUT ROWID;
      CREATE INDEX sign_in_tokens_expiry ON sign_in_tokens (expires_at);
      CREATE TABLE sessions (
        hash       TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_account ON sessions (account_id);
      CREATE INDEX sessions_expiry ON sessions (expires_at);
      CREATE TABLE access_tokens (
        id         TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        hash       TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE INDEX access_tokens_account ON access_tokens (account_id, created_at);
    `,
    postgres: `
      CREATE TABLE accounts (
        id           TEXT COLLATE "C" PRIMARY KEY,
        email        TEXT NOT NULL,
        email_key    TEXT COLLATE "C" NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('reader', 'moderator', 'admin')),
        created_at   TIMESTAMPTZ NOT NULL,
        updated_at   TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE sign_in_tokens (
        hash       TEXT COLLATE "C" PRIMARY KEY,
        email      TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        used_at    TIMESTAMPTZ
      );
      CREATE INDEX sign_in_tokens_expiry ON sign_in_tokens (expires_at);
      CREATE TABLE sessions (
        hash       TEXT COLLATE "C" PRIMARY KEY,
        account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX sessions_account ON sessions (account_id);
      CREATE INDEX sessions_expiry ON sessions (expires_at);
      CREATE TABLE access_tokens (
        id         TEXT COLLATE "C" PRIMARY KEY,
        account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        hash       TEXT COLLATE "C" NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX access_tokens_account ON access_tokens (account_id, created_at);
    `,
  },
  {
    version: 16,
    name: 'account ids are text everywhere: votes, comments and reports name accounts as accounts.id does',
    // Issue 13, docs/decisions/031. Migrations 13 and 14 were written before the accounts had
    // ids (15 made them random base64url TEXT), and named accounts by integers. Every account
    // column becomes TEXT: SQLite keeps a column's declared type, so the tables are rebuilt and
    // their rows copied (an id of digits only would otherwise be stored as a number and never
    // equal the account's text id); PostgreSQL changes the columns in place. Still no foreign
    // key to accounts: deleting an account keeps its votes as anonymous counts and its comments
    // anonymised (their services do it), as decision 027 says. accounts_handle: the @-mentions'
    // lookup of members by handle (core/accounts.ts handleOf), one index probe per handle.
    sqlite: `
      CREATE TABLE votes_16 (
        paper_id           TEXT NOT NULL REFERENCES papers (id),
        account_id         TEXT NOT NULL,
        network            TEXT NOT NULL,
        account_created_at TEXT NOT NULL,
        voted_at           TEXT NOT NULL,
        weight             INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 1000),
        PRIMARY KEY (paper_id, account_id)
      ) WITHOUT ROWID;
      INSERT INTO votes_16 SELECT paper_id, CAST(account_id AS TEXT), network, account_created_at, voted_at, weight FROM votes;
      DROP TABLE votes;
      ALTER TABLE votes_16 RENAME TO votes;
      CREATE INDEX votes_account ON votes (account_id, paper_id);
      CREATE INDEX votes_network ON votes (paper_id, network, voted_at);

      CREATE TABLE comments_16 (
        id         INTEGER PRIMARY KEY,
        paper_id   TEXT NOT NULL,
        parent_id  INTEGER REFERENCES comments_16 (id),
        author_id  TEXT,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at  TEXT,
        hidden_at  TEXT,
        hidden_by  TEXT,
        deleted_at TEXT
      );
      INSERT INTO comments_16 SELECT id, paper_id, parent_id, CAST(author_id AS TEXT), body, created_at, edited_at, hidden_at, CAST(hidden_by AS TEXT), deleted_at
        FROM comments ORDER BY id;
      CREATE TABLE comment_reports_16 (
        comment_id  INTEGER NOT NULL REFERENCES comments_16 (id),
        account_id  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT,
        PRIMARY KEY (comment_id, account_id)
      ) WITHOUT ROWID;
      INSERT INTO comment_reports_16 SELECT comment_id, CAST(account_id AS TEXT), reason, created_at, resolved_at, CAST(resolved_by AS TEXT) FROM comment_reports;
      -- the child first, so that no foreign key ever points at a dropped table's rows
      DROP TABLE comment_reports;
      DROP TABLE comments;
      -- renaming rewrites the references to comments_16 (the replies' and the reports') as well
      ALTER TABLE comments_16 RENAME TO comments;
      ALTER TABLE comment_reports_16 RENAME TO comment_reports;
      CREATE INDEX comments_thread ON comments (paper_id, parent_id, id);
      CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX comments_author ON comments (author_id, created_at) WHERE author_id IS NOT NULL;
      CREATE INDEX comment_reports_open ON comment_reports (comment_id) WHERE resolved_at IS NULL;
      CREATE INDEX comment_reports_account ON comment_reports (account_id);
      CREATE INDEX accounts_handle ON accounts (lower(replace(display_name, ' ', '_')));
    `,
    postgres: `
      CREATE INDEX accounts_handle ON accounts (lower(replace(display_name, ' ', '_')));
      ALTER TABLE votes ALTER COLUMN account_id TYPE TEXT COLLATE "C" USING account_id::text;
      ALTER TABLE comments ALTER COLUMN author_id TYPE TEXT COLLATE "C" USING author_id::text;
      ALTER TABLE comments ALTER COLUMN hidden_by TYPE TEXT COLLATE "C" USING hidden_by::text;
      ALTER TABLE comment_reports ALTER COLUMN account_id TYPE TEXT COLLATE "C" USING account_id::text;
      ALTER TABLE comment_reports ALTER COLUMN resolved_by TYPE TEXT COLLATE "C" USING resolved_by::text;
    `,
  },
  {
    version: 17,
    name: 'papers submitted by readers: each submission, and each paper\'s first one',
    // Issue 13, docs/decisions/032. submissions: one per account and paper (unique), counted for
    // the daily quota; account_id is set to NULL when the account is deleted (submissions stay,
    // anonymously). submitted_papers: a paper's first submission, kept once whatever the number of
    // submitters (INSERT … ON CONFLICT DO NOTHING decides which was first, on every node): the
    // day it leads and the name shown on its card. Recording one moves vote_days (migration 14).
    sqlite: `
      CREATE TABLE submissions (
        id           INTEGER PRIMARY KEY,
        paper_id     TEXT NOT NULL REFERENCES papers (id),
        account_id   TEXT REFERENCES accounts (id) ON DELETE SET NULL,
        submitted_at TEXT NOT NULL,
        UNIQUE (account_id, paper_id)
      );
      CREATE INDEX submissions_quota ON submissions (account_id, submitted_at);
      CREATE TABLE submitted_papers (
        paper_id     TEXT PRIMARY KEY REFERENCES papers (id),
        day          TEXT NOT NULL,
        account_id   TEXT REFERENCES accounts (id) ON DELETE SET NULL,
        submitted_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX submitted_papers_day ON submitted_papers (day);
    `,
    postgres: `
      CREATE TABLE submissions (
        id           BIGSERIAL PRIMARY KEY,
        paper_id     TEXT NOT NULL REFERENCES papers (id),
        account_id   TEXT COLLATE "C" REFERENCES accounts (id) ON DELETE SET NULL,
        submitted_at TIMESTAMPTZ NOT NULL,
        UNIQUE (account_id, paper_id)
      );
      CREATE INDEX submissions_quota ON submissions (account_id, submitted_at);
      CREATE TABLE submitted_papers (
        paper_id     TEXT PRIMARY KEY REFERENCES papers (id),
        day          TEXT COLLATE "C" NOT NULL,
        account_id   TEXT COLLATE "C" REFERENCES accounts (id) ON DELETE SET NULL,
        submitted_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX submitted_papers_day ON submitted_papers (day);
    `,
  },
  {
    version: 18,
    name: 'readers\' libraries: saved papers, read marks, collections',
    // Issue 13, docs/decisions/033. Everything here belongs to an account and goes with it
    // (ON DELETE CASCADE); a collection's entries go with the collection.
    sqlite: `
      CREATE TABLE saved_papers (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        paper_id   TEXT NOT NULL REFERENCES papers (id),
        saved_at   TEXT NOT NULL,
        read_at    TEXT,
        PRIMARY KEY (account_id, paper_id)
      ) WITHOUT ROWID;
      CREATE INDEX saved_papers_newest ON saved_papers (account_id, saved_at);
      CREATE TABLE collections (
        id         TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        public     INTEGER NOT NULL CHECK (public IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX collections_account ON collections (account_id, created_at);
      CREATE TABLE collection_papers (
        collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        paper_id      TEXT NOT NULL REFERENCES papers (id),
        added_at      TEXT NOT NULL,
        PRIMARY KEY (collection_id, paper_id)
      ) WITHOUT ROWID;
      CREATE INDEX collection_papers_newest ON collection_papers (collection_id, added_at);
    `,
    postgres: `
      CREATE TABLE saved_papers (
        account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        paper_id   TEXT NOT NULL REFERENCES papers (id),
        saved_at   TIMESTAMPTZ NOT NULL,
        read_at    TIMESTAMPTZ,
        PRIMARY KEY (account_id, paper_id)
      );
      CREATE INDEX saved_papers_newest ON saved_papers (account_id, saved_at);
      CREATE TABLE collections (
        id         TEXT COLLATE "C" PRIMARY KEY,
        account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        public     BOOLEAN NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX collections_account ON collections (account_id, created_at);
      CREATE TABLE collection_papers (
        collection_id TEXT COLLATE "C" NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        paper_id      TEXT NOT NULL REFERENCES papers (id),
        added_at      TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (collection_id, paper_id)
      );
      CREATE INDEX collection_papers_newest ON collection_papers (collection_id, added_at);
    `,
  },
  {
    version: 19,
    name: 'passkeys (WebAuthn credentials) and their ceremonies\' challenges',
    // Issue 13, docs/decisions/034. passkeys: a credential per row, by the id its authenticator
    // made (unique on the site), with its public key (base64url COSE: it checks signatures and
    // opens nothing), its signature counter and the reader's name for it; a deleted account
    // takes its passkeys with it. passkey_challenges: the challenge of each ceremony, by its
    // SHA-256, single-use (taken by one DELETE … RETURNING) and expiring, in the database so that
    // the node that checks the answer need not be the one that asked.
    sqlite: `
      CREATE TABLE passkeys (
        id           TEXT PRIMARY KEY,
        account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        public_key   TEXT NOT NULL,
        counter      INTEGER NOT NULL CHECK (counter >= 0),
        transports   TEXT NOT NULL,
        name         TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        last_used_at TEXT
      );
      CREATE INDEX passkeys_account ON passkeys (account_id, created_at);
      CREATE TABLE passkey_challenges (
        hash       TEXT PRIMARY KEY,
        ceremony   TEXT NOT NULL CHECK (ceremony IN ('register', 'sign-in')),
        account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX passkey_challenges_expiry ON passkey_challenges (expires_at);
    `,
    postgres: `
      CREATE TABLE passkeys (
        id           TEXT COLLATE "C" PRIMARY KEY,
        account_id   TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        public_key   TEXT NOT NULL,
        counter      BIGINT NOT NULL CHECK (counter >= 0),
        transports   JSONB NOT NULL,
        name         TEXT NOT NULL,
        created_at   TIMESTAMPTZ NOT NULL,
        last_used_at TIMESTAMPTZ
      );
      CREATE INDEX passkeys_account ON passkeys (account_id, created_at);
      CREATE TABLE passkey_challenges (
        hash       TEXT COLLATE "C" PRIMARY KEY,
        ceremony   TEXT NOT NULL CHECK (ceremony IN ('register', 'sign-in')),
        account_id TEXT COLLATE "C" REFERENCES accounts (id) ON DELETE CASCADE,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX passkey_challenges_expiry ON passkey_challenges (expires_at);
    `,
  },
  {
    version: 20,
    name: 'paper vectors in a rowid table on SQLite: a third of the disk',
    // Issue 14, docs/decisions/039. A WITHOUT ROWID table is a b-tree of keys, whose cells keep
    // about 1,000 bytes on the page: a 256-d vector (1,024 bytes) spilled every row into an
    // overflow page of its own, 4,681 bytes per paper. In a rowid table a row keeps up to ~4,000
    // bytes on its page: 1,369 bytes per paper, plus 108 for the two indexes. The rows are copied
    // once, in seq order; nothing reads rowids, so the ports are unchanged. PostgreSQL stores
    // rows in a heap already.
    sqlite: `
      CREATE TABLE paper_vectors_20 (
        embedder_id    TEXT NOT NULL REFERENCES embedders (id) ON DELETE CASCADE,
        paper_id       TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        content_hash   TEXT NOT NULL,
        paper_modified TEXT NOT NULL,
        vector         BLOB,
        PRIMARY KEY (embedder_id, paper_id)
      );
      INSERT INTO paper_vectors_20 SELECT embedder_id, paper_id, seq, content_hash, paper_modified, vector FROM paper_vectors ORDER BY embedder_id, seq;
      DROP TABLE paper_vectors;
      ALTER TABLE paper_vectors_20 RENAME TO paper_vectors;
      CREATE UNIQUE INDEX paper_vectors_seq ON paper_vectors (embedder_id, seq);
    `,
    postgres: `SELECT 1`,
  },
  {
    version: 21,
    name: 'a vote cast or withdrawn on PostgreSQL in one call',
    // Issue 13, docs/decisions/041. A vote was nine round trips (BEGIN, seven statements, COMMIT)
    // and held its paper's tally row locked across six of them: 50 clients voting queued on
    // the network, not on the work. The same statements, in the same order and under the same
    // lock, now run inside the server in one call. In READ COMMITTED each statement of a
    // volatile function reads what was committed before it started, so the network count read
    // after the tally lock is exact, as before. The weight is looked up in the schedule the
    // caller passes (weights[n + 1] for n earlier votes of the network, the last for more).
    // SQLite runs its votes in process: nothing to change there.
    sqlite: `SELECT 1`,
    postgres: `
      CREATE FUNCTION paperboy_cast_vote(
        p_paper TEXT, p_account TEXT, p_network TEXT, p_account_created TIMESTAMPTZ, p_at TIMESTAMPTZ,
        p_network_since TIMESTAMPTZ, p_weights INTEGER[]
      ) RETURNS TABLE (known BOOLEAN, changed BOOLEAN, tally INTEGER)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_day TEXT;
        v_votes INTEGER;
        v_earlier INTEGER;
        v_weight INTEGER;
      BEGIN
        SELECT COALESCE(to_char(p.day, 'YYYY-MM-DD'), '') INTO v_day FROM papers p WHERE p.id = p_paper;
        IF NOT FOUND THEN
          RETURN QUERY SELECT false, false, 0;
          RETURN;
        END IF;
        -- the tally row, created if need be, locked until commit: one vote on a paper at a time
        INSERT INTO paper_votes AS t (paper_id, votes, weight) VALUES (p_paper, 0, 0)
          ON CONFLICT (paper_id) DO UPDATE SET votes = t.votes RETURNING t.votes INTO v_votes;
        IF EXISTS (SELECT 1 FROM votes v WHERE v.paper_id = p_paper AND v.account_id = p_account) THEN
          RETURN QUERY SELECT true, false, v_votes;
          RETURN;
        END IF;
        SELECT COUNT(*) INTO v_earlier FROM votes v
          WHERE v.paper_id = p_paper AND v.network = p_network AND v.voted_at >= p_network_since;
        v_weight := p_weights[LEAST(v_earlier + 1, cardinality(p_weights))];
        INSERT INTO votes (paper_id, account_id, network, account_created_at, voted_at, weight)
          VALUES (p_paper, p_account, p_network, p_account_created, p_at, v_weight);
        UPDATE paper_votes t SET votes = t.votes + 1, weight = t.weight + v_weight
          WHERE t.paper_id = p_paper RETURNING t.votes INTO v_votes;
        INSERT INTO vote_days AS d (day, version) VALUES (v_day, 1)
          ON CONFLICT (day) DO UPDATE SET version = d.version + 1;
        RETURN QUERY SELECT true, true, v_votes;
      END $$;

      CREATE FUNCTION paperboy_withdraw_vote(p_paper TEXT, p_account TEXT) RETURNS TABLE (changed BOOLEAN, tally INTEGER)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_day TEXT;
        v_votes INTEGER;
        v_weight INTEGER;
      BEGIN
        SELECT t.votes INTO v_votes FROM paper_votes t WHERE t.paper_id = p_paper FOR UPDATE;
        IF NOT FOUND THEN
          RETURN QUERY SELECT false, 0;
          RETURN;
        END IF;
        DELETE FROM votes v WHERE v.paper_id = p_paper AND v.account_id = p_account RETURNING v.weight INTO v_weight;
        IF NOT FOUND THEN
          RETURN QUERY SELECT false, v_votes;
          RETURN;
        END IF;
        UPDATE paper_votes t SET votes = t.votes - 1, weight = t.weight - v_weight
          WHERE t.paper_id = p_paper RETURNING t.votes INTO v_votes;
        SELECT COALESCE(to_char(p.day, 'YYYY-MM-DD'), '') INTO v_day FROM papers p WHERE p.id = p_paper;
        INSERT INTO vote_days AS d (day, version) VALUES (COALESCE(v_day, ''), 1)
          ON CONFLICT (day) DO UPDATE SET version = d.version + 1;
        RETURN QUERY SELECT true, v_votes;
      END $$;
    `,
  },
  {
    version: 22,
    name: 'an embedding queue: a harvest embeds what it changed, not a walk of the archive',
    // Issue 14, docs/decisions/042. Each run of the embedding job walked every paper (papersToEmbed,
    // a join of the whole archive) and counted them twice (vectorCounts) to find the few a harvest
    // had changed. Now each embedder has a queue of the papers added or changed (text, deleted
    // flag or modified_at) since it took them; a run takes its queue, first queued first, and a
    // paper changed again meanwhile stays on it. An embedder walks the archive once (walked: a new
    // one, and each one here before this migration), then only takes its queue.
    // SQLite: a trigger on each insert would cost a third of the ingest, so new papers are those
    // past the embedder's rowid watermark (inserted_through), as the search index finds them
    // (indexed_through; a single writer commits rowids in order); updates queue the paper for
    // the embedders whose watermark has passed it. AUTOINCREMENT: a seq is never given twice.
    // PostgreSQL: statement-level triggers queue every added or changed paper for every embedder
    // (a few per cent of the ingest). A queue there, not a watermark: seqs are taken before
    // commit, so they commit out of order, and a reader past seq N may yet see N - 1 appear.
    sqlite: `
      ALTER TABLE embedders ADD COLUMN walked INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE embedders ADD COLUMN inserted_through INTEGER NOT NULL DEFAULT 0;
      UPDATE embedders SET inserted_through = (SELECT COALESCE(MAX(rowid), 0) FROM papers);
      CREATE TABLE embedding_queue (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        embedder_id TEXT NOT NULL,
        paper_id    TEXT NOT NULL
      );
      CREATE UNIQUE INDEX embedding_queue_paper ON embedding_queue (paper_id, embedder_id);
      CREATE INDEX embedding_queue_order ON embedding_queue (embedder_id, seq);
      CREATE TRIGGER papers_embedding_update AFTER UPDATE OF title, abstract, deleted, modified_at ON papers
      WHEN (old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.deleted IS NOT new.deleted
            OR old.modified_at IS NOT new.modified_at) AND EXISTS (SELECT 1 FROM embedders)
      BEGIN
        DELETE FROM embedding_queue WHERE paper_id = new.id;
        INSERT INTO embedding_queue (embedder_id, paper_id) SELECT id, new.id FROM embedders WHERE inserted_through >= new.rowid;
      END;
      CREATE TRIGGER papers_embedding_delete AFTER DELETE ON papers BEGIN
        DELETE FROM embedding_queue WHERE paper_id = old.id;
      END;
    `,
    postgres: `
      ALTER TABLE embedders ADD COLUMN walked BOOLEAN NOT NULL DEFAULT false;
      CREATE SEQUENCE embedding_queue_seq;
      CREATE TABLE embedding_queue (
        paper_id    TEXT NOT NULL,
        embedder_id TEXT COLLATE "C" NOT NULL REFERENCES embedders (id) ON DELETE CASCADE,
        seq         BIGINT NOT NULL DEFAULT nextval('embedding_queue_seq'),  -- a new one when queued again
        PRIMARY KEY (paper_id, embedder_id)
      );
      CREATE INDEX embedding_queue_order ON embedding_queue (embedder_id, seq);
      CREATE FUNCTION paperboy_embedding_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO embedding_queue (paper_id, embedder_id) SELECT n.id, e.id FROM new_rows n CROSS JOIN embedders e
        ON CONFLICT (paper_id, embedder_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      CREATE FUNCTION paperboy_embedding_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO embedding_queue (paper_id, embedder_id)
        SELECT n.id, e.id FROM new_rows n JOIN old_rows o ON o.id = n.id CROSS JOIN embedders e
        WHERE (n.title, n.abstract, n.deleted, n.modified_at) IS DISTINCT FROM (o.title, o.abstract, o.deleted, o.modified_at)
        ON CONFLICT (paper_id, embedder_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      CREATE FUNCTION paperboy_embedding_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM embedding_queue q USING old_rows o WHERE q.paper_id = o.id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER papers_embedding_insert AFTER INSERT ON papers
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_embedding_inserted();
      CREATE TRIGGER papers_embedding_update AFTER UPDATE ON papers
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_embedding_updated();
      CREATE TRIGGER papers_embedding_delete AFTER DELETE ON papers
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_embedding_deleted();
    `,
  },
  {
    version: 23,
    name: 'a queue of paper pages to render again: a harvest renders what it changed, not a walk of the archive',
    // Issue 14, docs/decisions/044. Pages rendered ahead (decision 009) were found by walking every
    // paper after each harvest and at each start: 15 s of windows at 200,000 papers, about 200 s
    // at 2.7M, to find a few thousand stale pages. Now what changes a page's inputs queues the
    // paper: its related list written or changed, the paper itself changed (modified_at, deleted),
    // its discussion moved. A change to one of the similar papers a page shows has no reverse
    // lookup here: RenderedPages.storedPage checks those at every read instead, and a page found
    // stale there is queued by the reader (RenderedPages.queuePages). pages_walked: the layout
    // every page was last walked for; a new layout walks the archive once.
    // A paper deleted takes its related list and stored page with it, here, instead of the scans
    // of the whole archive that ended each computation of the related papers (finishRelated:
    // 300 ms at 200,000 papers inside a write transaction); those scans run once more below.
    // SQLite: row triggers (no papers INSERT trigger: a new paper's page waits for its related
    // list, whose insert queues it). AUTOINCREMENT: a seq is never given twice, and a paper queued
    // again gets a new one, so that the run that took the old one leaves it queued.
    // papers_id_modified: the similar papers' modification times that storedPage reads at every
    // first view, from the index alone (a paper's row is long, and these columns are at its end:
    // 55 µs for a list's six through the table, 21 µs through this index, measured on the corpus).
    sqlite: `
      CREATE INDEX papers_id_modified ON papers (id, deleted, modified_at);
      CREATE TABLE pages_due (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        paper_id TEXT NOT NULL UNIQUE
      );
      CREATE TABLE pages_walked (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        layout TEXT NOT NULL
      );
      CREATE TRIGGER related_pages_insert AFTER INSERT ON related_papers BEGIN
        DELETE FROM pages_due WHERE paper_id = new.paper_id;
        INSERT INTO pages_due (paper_id) VALUES (new.paper_id);
      END;
      CREATE TRIGGER related_pages_update AFTER UPDATE OF related ON related_papers WHEN old.related IS NOT new.related BEGIN
        DELETE FROM pages_due WHERE paper_id = new.paper_id;
        INSERT INTO pages_due (paper_id) VALUES (new.paper_id);
      END;
      CREATE TRIGGER papers_pages_update AFTER UPDATE OF modified_at, deleted ON papers
      WHEN (old.modified_at IS NOT new.modified_at OR old.deleted IS NOT new.deleted) AND new.deleted = 0
           AND EXISTS (SELECT 1 FROM related_papers WHERE paper_id = new.id)
      BEGIN
        DELETE FROM pages_due WHERE paper_id = new.id;
        INSERT INTO pages_due (paper_id) VALUES (new.id);
      END;
      CREATE TRIGGER papers_deleted_derived AFTER UPDATE OF deleted ON papers WHEN new.deleted <> 0 AND old.deleted = 0 BEGIN
        DELETE FROM related_papers WHERE paper_id = new.id;
        DELETE FROM paper_pages WHERE paper_id = new.id;
        DELETE FROM pages_due WHERE paper_id = new.id;
      END;
      CREATE TRIGGER papers_removed_derived AFTER DELETE ON papers BEGIN
        DELETE FROM related_papers WHERE paper_id = old.id;
        DELETE FROM paper_pages WHERE paper_id = old.id;
        DELETE FROM pages_due WHERE paper_id = old.id;
      END;
      DELETE FROM related_papers WHERE paper_id NOT IN (SELECT id FROM papers WHERE deleted = 0);
      DELETE FROM paper_pages WHERE paper_id NOT IN (SELECT paper_id FROM related_papers);
      CREATE TRIGGER discussions_pages_insert AFTER INSERT ON paper_discussions BEGIN
        DELETE FROM pages_due WHERE paper_id = new.paper_id;
        INSERT INTO pages_due (paper_id) VALUES (new.paper_id);
      END;
      CREATE TRIGGER discussions_pages_update AFTER UPDATE OF version ON paper_discussions WHEN old.version IS NOT new.version BEGIN
        DELETE FROM pages_due WHERE paper_id = new.paper_id;
        INSERT INTO pages_due (paper_id) VALUES (new.paper_id);
      END;
    `,
    // PostgreSQL: statement-level triggers, as the embedding queue's (migration 22). Seqs are
    // taken before commit and commit out of order: a run acknowledges the seqs it took, one by one.
    postgres: `
      CREATE SEQUENCE pages_due_seq;
      CREATE TABLE pages_due (
        paper_id TEXT COLLATE "C" PRIMARY KEY,
        seq      BIGINT NOT NULL DEFAULT nextval('pages_due_seq')  -- a new one when queued again
      );
      CREATE INDEX pages_due_order ON pages_due (seq);
      CREATE TABLE pages_walked (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        layout TEXT NOT NULL
      );
      CREATE FUNCTION paperboy_pages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO pages_due (paper_id) SELECT paper_id FROM new_rows
        ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      -- a related list or a discussion row that changed at all (a discussion's version moves with each change)
      CREATE FUNCTION paperboy_pages_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO pages_due (paper_id) SELECT n.paper_id FROM new_rows n JOIN old_rows o ON o.paper_id = n.paper_id
        WHERE n IS DISTINCT FROM o
        ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      CREATE FUNCTION paperboy_pages_paper_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM related_papers r USING new_rows n JOIN old_rows o ON o.id = n.id WHERE r.paper_id = n.id AND n.deleted AND NOT o.deleted;
        DELETE FROM paper_pages pp USING new_rows n JOIN old_rows o ON o.id = n.id WHERE pp.paper_id = n.id AND n.deleted AND NOT o.deleted;
        DELETE FROM pages_due q USING new_rows n JOIN old_rows o ON o.id = n.id WHERE q.paper_id = n.id AND n.deleted AND NOT o.deleted;
        INSERT INTO pages_due (paper_id) SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.modified_at, n.deleted) IS DISTINCT FROM (o.modified_at, o.deleted) AND NOT n.deleted
          AND EXISTS (SELECT 1 FROM related_papers r WHERE r.paper_id = n.id)
        ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq;
        RETURN NULL;
      END $$;
      CREATE FUNCTION paperboy_pages_paper_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM related_papers r USING old_rows o WHERE r.paper_id = o.id;
        DELETE FROM paper_pages pp USING old_rows o WHERE pp.paper_id = o.id;
        DELETE FROM pages_due q USING old_rows o WHERE q.paper_id = o.id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER related_pages_insert AFTER INSERT ON related_papers
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_pages_inserted();
      CREATE TRIGGER related_pages_update AFTER UPDATE ON related_papers
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_pages_updated();
      CREATE TRIGGER discussions_pages_insert AFTER INSERT ON paper_discussions
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_pages_inserted();
      CREATE TRIGGER discussions_pages_update AFTER UPDATE ON paper_discussions
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_pages_updated();
      CREATE TRIGGER papers_pages_update AFTER UPDATE ON papers
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_pages_paper_updated();
      CREATE TRIGGER papers_pages_delete AFTER DELETE ON papers
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_pages_paper_removed();
      DELETE FROM related_papers r WHERE NOT EXISTS (SELECT 1 FROM papers p WHERE p.id = r.paper_id AND NOT p.deleted);
      DELETE FROM paper_pages pp WHERE NOT EXISTS (SELECT 1 FROM related_papers r WHERE r.paper_id = pp.paper_id);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The bookkeeping table, the same in both dialects. */
export const MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`;

export function tooNewMessage(dbVersion: number, where: string): string {
  return (
    `${where} is at schema version ${dbVersion}, but this Paperboy only knows up to ` +
    `${LATEST_SCHEMA_VERSION}: it was migrated by a newer release. Upgrade Paperboy (or point it at another database).`
  );
}

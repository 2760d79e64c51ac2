/**
 * The schema, as an append-only list of migrations. Each runs in its own transaction; a
 * database whose newest applied migration is beyond this list was written by newer code and is
 * refused (see migrate() in each store). Never edit a released migration: add one.
 *
 * Each migration is written once per dialect, side by side, so that the two stay in step.
 * Timestamps are ISO-8601 text in SQLite and timestamptz in PostgreSQL; JSON is text in SQLite
 * and jsonb in PostgreSQL.
 */

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

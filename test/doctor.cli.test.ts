/**
 * `paperboy doctor` (issue 14) against real parts: SQLite files and the PostgreSQL server made for
 * the test, a real SMTP server on loopback (smtp-server) and a port where nothing listens. Each
 * problem is reported with what to do, a failure makes the exit code 1, and doctor changes
 * nothing: no database is created or migrated.
 */
import { freePort } from './support/free-port.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../src/adapters/db/migrations.js';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import { render } from '../src/delivery/cli/doctor.command.js';
import { IngestService } from '../src/services/ingest.service.js';
import { runCli } from './support/cli.js';
import { postgresServerAnswers, postgresServerHarness } from './support/postgres-harness.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import { tempDbPath } from './support/sqlite-harness.js';

const record = (id: string) => ({ id, version: 1, source: 'oai-pmh' as const, title: `On ${id}`, abstract: 'Attention.', categories: ['cs.CL'], listedOn: '2026-09-01' });

/** A migrated SQLite file with three papers harvested from both sources just now; the index refreshed unless said. */
async function database(opts: { index?: boolean } = {}): Promise<string> {
  const path = tempDbPath();
  const opened = openSqlite(path);
  await opened.store.migrate();
  const ingest = new IngestService(opened.store);
  await ingest.applyPage('arxiv', { label: 'p1', cursor: { t: 1 }, errors: [], records: ['2609.00001', '2609.00002', '2609.00003'].map(record) });
  await ingest.applyPage('hf-daily', { label: 'd1', cursor: { day: '2026-09-01' }, errors: [], records: [] });
  if (opts.index ?? true) await opened.index.refresh();
  await opened.store.close();
  return path;
}

const line = (out: string, name: string) => out.split('\n').find((l) => l.slice(6).startsWith(`${name}:`)) ?? `(no ${name} line in:\n${out})`;
const fixAfter = (out: string, name: string) => {
  const lines = out.split('\n');
  const i = lines.findIndex((l) => l.slice(6).startsWith(`${name}:`));
  return i >= 0 && lines[i + 1]?.startsWith('        fix: ') ? lines[i + 1]! : '(no fix line)';
};

describe('paperboy doctor', () => {
  let smtp: SmtpPeer;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  const mail = () => ({ SMTP_URL: smtp.url, MAIL_FROM: 'Paperboy <digest@papers.example.org>' });

  it('finds nothing to fix on a healthy setup, and says so in plain lines when piped', async () => {
    const db = await database();
    const r = await runCli(['doctor', '--db', db], { ...mail(), PAPERBOY_EMBEDDER: 'none' });
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex -- no colours when piped
    expect(line(r.stdout, 'configuration')).toMatch(/^ok {4}configuration: \d+ settings, all valid$/);
    expect(line(r.stdout, 'database')).toBe(`ok    database: sqlite ${db}, schema version ${LATEST_SCHEMA_VERSION} (current), 3 papers`);
    expect(line(r.stdout, 'search index')).toBe('ok    search index: every paper is searchable');
    expect(line(r.stdout, 'vectors')).toBe('off   vectors: PAPERBOY_EMBEDDER=none: search by words only');
    expect(line(r.stdout, 'harvests')).toMatch(/^ok {4}harvests: arxiv \d{4}-\d\d-\d\d \d\d:\d\d UTC, hf-daily /);
    expect(line(r.stdout, 'digests')).toBe('ok    digests: 0 queued, 0 being sent, none failed');
    expect(line(r.stdout, 'smtp')).toBe(`ok    smtp: smtp://127.0.0.1:${smtp.port} (127.0.0.1:${smtp.port}) answers and accepts this sender`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('doctor: nothing to fix');
    expect(r.code).toBe(0);
    expect(smtp.received).toHaveLength(0); // checked, nothing sent
  });

  it('reports an SMTP server that is not there, work that is behind, and what to do, with exit 1', async () => {
    const db = await database({ index: false });
    const port = await freePort();
    const r = await runCli(['doctor', '--db', db], { SMTP_URL: `smtp://digest:hunter22@127.0.0.1:${port}`, MAIL_FROM: 'digest@papers.example.org', PAPERBOY_SOURCES: 'arxiv' });
    expect(r.code).toBe(1);
    expect(line(r.stdout, 'smtp')).toMatch(new RegExp(`^FAIL  smtp: smtp://digest:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(127\\.0\\.0\\.1:${port}\\): .*ECONNREFUSED`));
    expect(fixAfter(r.stdout, 'smtp')).toMatch(/fix: check SMTP_URL \(host, port, user and password/);
    expect(r.stdout).not.toContain('hunter22');
    expect(line(r.stdout, 'search index')).toBe('WARN  search index: 3 papers are stored but not searchable yet');
    expect(fixAfter(r.stdout, 'search index')).toMatch(/fix: run `paperboy index`/);
    expect(line(r.stdout, 'vectors')).toBe('WARN  vectors: no embeddings yet: search answers by keywords only');
    expect(fixAfter(r.stdout, 'vectors')).toMatch(/fix: run `paperboy embeddings train`/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('doctor: 1 problem, 2 warnings');
  });

  it('says how many papers wait for their vectors, from the embedder\'s queue once it has walked the archive', async () => {
    const db = await database();
    const opened = openSqlite(db);
    await opened.store.migrate();
    const v = opened.vectors;
    await v.registerEmbedder('doctor-test', 2, new Date().toISOString());
    const embed = async () => {
      const papers = await v.papersToEmbed('doctor-test', '', 100);
      await v.putVectors('doctor-test', papers.map((p) => ({ paperId: p.id, contentHash: `h-${p.id}`, paperModified: p.modifiedAt, vector: Float32Array.of(0.6, 0.8) })));
    };
    await embed();
    await v.markEmbedderWalked('doctor-test');
    await v.markEmbedderComplete('doctor-test', new Date().toISOString());
    await opened.store.close();
    const vectors = async () => line((await runCli(['doctor', '--db', db], mail())).stdout, 'vectors');
    expect(await vectors()).toBe('ok    vectors: every paper has its vector from doctor-test');

    // two papers harvested since: queued for the embedder, counted from its queue
    const again = openSqlite(db);
    await again.store.migrate();
    await new IngestService(again.store).applyPage('arxiv', { label: 'p2', cursor: { t: 2 }, errors: [], records: ['2609.00004', '2609.00005'].map(record) });
    expect(await again.vectors.queueLength('doctor-test')).toBe(2);
    await again.store.close();
    expect(await vectors()).toBe('WARN  vectors: 2 papers wait for a current vector from doctor-test');
  });

  it('says which sources have never harvested or stopped harvesting', async () => {
    const db = tempDbPath();
    expect((await runCli(['migrate', '--db', db])).code).toBe(0);
    const r = await runCli(['doctor', '--db', db, '--json'], { PAPERBOY_EMBEDDER: 'none' });
    expect(r.code).toBe(0); // warnings only
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: { name: string; status: string; detail: string; fix?: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['configuration', 'ok'],
      ['database', 'ok'],
      ['search index', 'ok'],
      ['vectors', 'off'],
      ['harvests', 'warn'],
      ['digests', 'ok'],
      ['smtp', 'off'],
    ]);
    const harvests = report.checks.find((c) => c.name === 'harvests')!;
    expect(harvests.detail).toBe('arxiv has never harvested; hf-daily has never harvested');
    expect(harvests.fix).toMatch(/run `paperboy harvest` to see what it says/);

    const old = new Database(db);
    old.prepare("INSERT INTO source_cursors (source, cursor, updated_at) VALUES ('arxiv', '{}', ?)").run(new Date(Date.now() - 9 * 86_400_000).toISOString());
    old.close();
    const stale = await runCli(['doctor', '--db', db, '--json'], { PAPERBOY_EMBEDDER: 'none', PAPERBOY_SOURCES: 'arxiv' });
    const h = (JSON.parse(stale.stdout) as typeof report).checks.find((c) => c.name === 'harvests')!;
    expect(h).toMatchObject({ status: 'warn', detail: 'arxiv last stored a page 9 days ago' });
    expect(h.fix).toMatch(/run `paperboy harvest --source arxiv`/);
  });

  it('fails on an invalid configuration, naming the setting', async () => {
    const r = await runCli(['doctor'], { PORT: 'eighty', PAPERBOY_DATABASE_URL: tempDbPath() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}configuration: invalid configuration:\n {8} {2}PORT="eighty": /);
    expect(r.stdout).toMatch(/fix: set \(or unset\) the variables named/);
  });

  it('fails on a database that is missing, and leaves it missing', async () => {
    const db = join(dirname(tempDbPath()), 'nowhere.db');
    const r = await runCli(['doctor', '--db', db]);
    expect(r.code).toBe(1);
    expect(line(r.stdout, 'database')).toMatch(/^FAIL {2}database: .*nowhere\.db: no database at .*nowhere\.db/);
    expect(fixAfter(r.stdout, 'database')).toMatch(/create one with `paperboy migrate`/);
    expect(existsSync(db)).toBe(false);
  });

  it('fails on a schema that is behind, or ahead of, this Paperboy, and does not migrate it', async () => {
    const db = await database();
    const raw = new Database(db);
    raw.prepare('DELETE FROM schema_migrations WHERE version = ?').run(LATEST_SCHEMA_VERSION);
    raw.close();
    const behind = await runCli(['doctor', '--db', db]);
    expect(behind.code).toBe(1);
    expect(line(behind.stdout, 'database')).toBe(`FAIL  database: sqlite ${db}: schema version ${LATEST_SCHEMA_VERSION - 1}, this Paperboy needs ${LATEST_SCHEMA_VERSION}`);
    expect(fixAfter(behind.stdout, 'database')).toMatch(/run `paperboy migrate`/);
    expect(line(behind.stdout, 'search index')).toMatch(/^\(no search index line/); // skipped: the schema says nothing sure
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(LATEST_SCHEMA_VERSION - 1);
    check.close();

    const ahead = new Database(db);
    ahead.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'later', '2030-01-01')").run(LATEST_SCHEMA_VERSION + 5);
    ahead.close();
    const newer = await runCli(['doctor', '--db', db]);
    expect(line(newer.stdout, 'database')).toMatch(new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 5}, written by a newer Paperboy`));
    expect(fixAfter(newer.stdout, 'database')).toMatch(/upgrade Paperboy/);
  });

  it('checks a PostgreSQL database, and one that cannot be reached', async () => {
    const port = await freePort();
    const down = await runCli(['doctor', '--db', `postgres://paperboy:pw-secret@127.0.0.1:${port}/paperboy`]);
    expect(down.code).toBe(1);
    expect(line(down.stdout, 'database')).toMatch(new RegExp(`^FAIL {2}database: postgres://paperboy:\\*\\*\\*@127\\.0\\.0\\.1:${port}/paperboy: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}`));
    expect(fixAfter(down.stdout, 'database')).toMatch(/that PostgreSQL runs there/);
    expect(down.stdout).not.toContain('pw-secret');

    if (!(await postgresServerAnswers())) return; // PGlite has no URL another process could reach
    const pg = await postgresServerHarness().open();
    try {
      const r = await runCli(['doctor', '--db', pg.url], { PAPERBOY_EMBEDDER: 'none', ...mail() });
      expect(line(r.stdout, 'database')).toMatch(new RegExp(`^ok {4}database: postgres .*, schema version ${LATEST_SCHEMA_VERSION} \\(current\\), 0 papers$`));
      expect(line(r.stdout, 'search index')).toBe('ok    search index: every paper is searchable');
      expect(r.code).toBe(0);
    } finally {
      await pg.store.close();
      await pg.drop();
    }
  });

  it('colours the status on a terminal', () => {
    const out = render([{ name: 'smtp', status: 'fail', detail: 'down', fix: 'start it' }], true);
    expect(out).toContain('\x1b[31mFAIL\x1b[0m  smtp: down');
    expect(render([{ name: 'smtp', status: 'fail', detail: 'down' }], false)).toBe('FAIL  smtp: down\ndoctor: 1 problem, 0 warnings\n');
  });
});

/**
 * `paperboy embeddings train` (PRODUCT.md) through the real CLI on a real SQLite file: it learns
 * the built-in model from the stored papers, saves it beside the database (or in
 * PAPERBOY_MODEL_DIR), and the saved model embeds as the one trained.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BuiltinEmbedder } from '../../src/adapters/embedding/builtin-embedder.js';
import { openDatabase } from '../../src/adapters/db/open-store.js';
import { runCli, SHARED } from '../support/cli.js';

const KAGGLE = join(SHARED, 'fixtures/kaggle/kaggle_format_sample.jsonl');
const ATOM = join(SHARED, 'fixtures/arxiv-atom/query.xml');

describe('paperboy embeddings train', () => {
  it('learns from the stored papers and saves the model beside the SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-embed-'));
    const db = join(dir, 'papers.db');
    expect((await runCli(['ingest', KAGGLE, '--db', db])).code).toBe(0);
    // PAPERBOY_MODEL_DIR always names a folder (decision 022's settings: <data dir>/models by default)
    const firstDir = join(dir, 'first-models');
    const r = await runCli(['embeddings', 'train', '--db', db, '--json'], { PAPERBOY_MODEL_DIR: firstDir });
    expect(r.stderr).toBe(''); // no progress bar when not on a terminal
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { papers: number; stored: number; vocabulary: number; dimensions: number; seconds: number; id: string; path: string };
    expect(s.papers).toBeGreaterThan(100);
    expect(s.stored).toBe(s.papers);
    expect(s.vocabulary).toBeGreaterThan(500);
    expect(s.dimensions).toBe(256);
    expect(s.path).toBe(join(firstDir, 'builtin.bin'));
    const saved = BuiltinEmbedder.fromBuffer(readFileSync(s.path));
    expect(saved.id).toBe(s.id);
    expect(s.id).toMatch(/^builtin-sif-256:[0-9a-f]{16}$/);
    const [v] = await saved.embed(['neural networks for image classification'], 'query');
    const vectors = new Database(db, { readonly: true });
    const embedded = vectors.prepare('SELECT completed_at AS done FROM embedders WHERE id = ?').get(s.id) as { done: string | null } | undefined;
    // kept in the database, where every node loads it from (decision 030), the same bytes as the copy
    const kept = vectors.prepare("SELECT id, model FROM embedder_models WHERE kind = 'builtin'").all() as { id: string; model: Buffer }[];
    expect(kept.map((m) => m.id)).toEqual([s.id]);
    expect(kept[0]!.model.equals(readFileSync(s.path))).toBe(true);
    vectors.close();
    expect(embedded?.done).toBeTruthy();
    expect(Math.hypot(...v!)).toBeCloseTo(1, 5);

    // the same papers train the same model; the summary for people names it and where it went
    const modelDir = join(dir, 'models');
    const again = await runCli(['embeddings', 'train', '--db', db], { PAPERBOY_MODEL_DIR: modelDir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^trained the built-in embeddings on ${s.papers} papers in \\d+\\.\\d s: ${s.vocabulary} terms, 256 dimensions\\nid ${s.id}\\nkept in the database, a copy in ${modelDir}/builtin\\.bin\\nembedded 0 papers in \\d+\\.\\d s\\n$`));
    // the first run embedded every paper with its model (decision 025); the same model again, none
    expect(existsSync(join(modelDir, 'builtin.bin'))).toBe(true);

    // papers that arrive later are embedded by `paperboy index` (and harvest, migrate), with the
    // model in the database: vectors are derived data, kept current like the keyword index
    expect((await runCli(['ingest', ATOM, '--db', db])).code).toBe(0);
    const vectorRows = () => {
      const d = new Database(db, { readonly: true });
      try {
        return (d.prepare('SELECT count(*) AS n FROM paper_vectors WHERE embedder_id = ?').get(s.id) as { n: number }).n;
      } finally {
        d.close();
      }
    };
    expect(vectorRows()).toBe(s.papers);
    // …but not while a serve holds the embeddings lease: it is embedding the same papers
    const opened = await openDatabase(db);
    await opened.store.migrate();
    expect(await opened.store.takeLease('embeddings', 'a serve elsewhere', 60)).toBe(true);
    const held = await runCli(['index', '--db', db, '--json']);
    expect(held.code).toBe(0);
    expect(JSON.parse(held.stdout)).toMatchObject({ indexed: 10, embedded: null, embedding: 'another process (a serve, or another index) is embedding the papers' });
    expect(vectorRows()).toBe(s.papers);
    await opened.store.releaseLease('embeddings', 'a serve elsewhere');
    await opened.store.close();
    const indexed = await runCli(['index', '--db', db, '--json']);
    expect(indexed.stderr).toBe('');
    expect(JSON.parse(indexed.stdout)).toMatchObject({ indexed: 0, embedded: 10, embedding: null });
    expect(vectorRows()).toBe(s.papers + 10);
    const found = await runCli(['search', '--db', db, '--mode', 'semantic', '--json', '--limit', '100', 'electron proton scattering']);
    expect(found.code).toBe(0);
    const atomIds = [...readFileSync(ATOM, 'utf8').matchAll(/<id>http:\/\/arxiv\.org\/abs\/([^<]+?)(?:v\d+)?<\/id>/g)].map((m) => m[1]);
    expect(atomIds).toHaveLength(10);
    expect((JSON.parse(found.stdout) as { id: string }[]).some((r) => atomIds.includes(r.id))).toBe(true);
    const quiet = await runCli(['index', '--db', db]);
    expect(quiet.stdout).toMatch(/^search index: 0 papers indexed; 0 papers embedded; related papers up to date \(\d+\.\d s\)\n$/);
  }, 90_000);

  it('learns from a uniform sample of a store larger than --sample, and embeds every paper', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-embed-'));
    const db = join(dir, 'papers.db');
    expect((await runCli(['ingest', KAGGLE, '--db', db])).code).toBe(0);
    const r = await runCli(['embeddings', 'train', '--db', db, '--sample', '60'], { PAPERBOY_MODEL_DIR: join(dir, 'models') });
    expect(r.code).toBe(0);
    const stored = Number(/on 60 of (\d+) papers/.exec(r.stdout)?.[1]);
    expect(stored).toBeGreaterThan(100);
    expect(r.stdout).toMatch(new RegExp(`embedded ${stored} papers in`));
    const bad = await runCli(['embeddings', 'train', '--db', db, '--sample', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sample/);
  }, 60_000);

  it('refuses an empty store, and PostgreSQL without a model folder, saying what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-embed-'));
    const db = join(dir, 'empty.db');
    expect((await runCli(['migrate', '--db', db])).code).toBe(0);
    const empty = await runCli(['embeddings', 'train', '--db', db]);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/no papers to learn embeddings from/);
    expect(existsSync(`${db}.model`)).toBe(false);
    const pg = await runCli(['embeddings', 'train', '--db', 'postgres://postgres@127.0.0.1:5432/nowhere']);
    expect(pg.code).not.toBe(0);
    expect(pg.stderr).toMatch(/cannot connect to PostgreSQL/);
  });
});

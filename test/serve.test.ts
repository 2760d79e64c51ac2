/**
 * `paperboy serve` as a user starts it: a new database gets the demo papers (Hugging Face days
 * merged with their arXiv metadata), the latest day is shown, papers, static files and /healthz
 * answer, and SIGTERM stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from './support/sqlite-harness.js';

describe('paperboy serve on a new SQLite database', () => {
  let child: ChildProcess;
  let base: string;
  let stderr = '';
  const dbPath = tempDbPath();

  beforeAll(async () => {
    child = spawn(process.execPath, ['bin/paperboy.js', 'serve', '--port', '0', '--db', dbPath], {
      env: { ...process.env, PAPERBOY_DEMO_DATA: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Paperboy on (http:\/\/localhost:\d+)\//.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`serve exited early:\n${stderr}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('loads the demo papers into the new database', () => {
    const m = /new database: loaded (\d+) demo papers/.exec(stderr);
    expect(Number(m?.[1])).toBeGreaterThan(600);
  });

  it('shows the latest day, most upvoted first, with its stylesheet', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain('<h1><time datetime="2026-06-30">Tuesday, June 30, 2026</time></h1>');
    expect(html).toContain('LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing');
    const upvotes = [...html.matchAll(/data-upvotes="(\d+)"/g)].map((m) => Number(m[1]));
    expect(upvotes.length).toBeGreaterThan(10);
    expect([...upvotes].sort((a, b) => b - a)).toEqual(upvotes);
    // the built server finds its static files from dist/ too
    const css = /<link rel="stylesheet" href="(\/static\/site\.css\?v=[\w-]+)">/.exec(html)![1]!;
    const cssRes = await fetch(`${base}${css}`);
    expect(cssRes.status).toBe(200);
    expect(cssRes.headers.get('content-type')).toContain('text/css');
  });

  it('serves a merged paper as a page and as JSON, any version suffix resolving', async () => {
    const page = await fetch(`${base}/papers/2606.26740v1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('https://github.com/cp-cp/LiveEdit');
    const res = await fetch(`${base}/api/v1/papers/2606.26740`);
    const p = (await res.json()) as { hf: { upvotes: number; featuredOn: string }; comments: string | null };
    expect(p.hf.upvotes).toBeGreaterThanOrEqual(57);
    expect(p.hf.featuredOn).toBe('2026-06-30');
    expect(p.comments).toContain('ECCV 2026'); // arXiv's metadata, merged with Hugging Face's signals
    expect((await fetch(`${base}/api/v1/papers/2606.99999`)).status).toBe(404);
    expect((await fetch(`${base}/papers/not-an-id`)).status).toBe(404);
  });

  it('learns the built-in model from the demo papers in a background process, then answers by meaning', async () => {
    const deadline = Date.now() + 100_000;
    while (!/semantic search answers from builtin-/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toMatch(/embeddings: no built-in model yet: learning one from the \d+ papers in a background process/);
    expect(stderr).toMatch(/embeddings train: kept in the database, a copy in .*models\/builtin\.bin/);
    // the model lives in the database (every node loads it from there); its copy beside the
    // database --db names, not in the working directory's data/
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM embedder_models WHERE kind = 'builtin'").pluck().get()).toBe(1);
    db.close();
    expect(existsSync(join(dirname(dbPath), 'models', 'builtin.bin'))).toBe(true);
    const res = await fetch(`${base}/api/v1/search?q=${encodeURIComponent('editing videos as they stream')}&mode=semantic&limit=5`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { mode: string; fallback: unknown; hits: Array<{ paper: { id: string }; match: string }> };
    expect(body.mode).toBe('semantic');
    expect(body.fallback).toBeNull();
    expect(body.hits.length).toBe(5);
    expect(body.hits.every((h) => h.match === 'semantic')).toBe(true);
  }, 120_000);

  it('computes every paper’s related papers in the background (from the vectors), and shows them on paper pages', async () => {
    // the training process embedded the papers and made their similar papers from the vectors;
    // serve then renders the pages ahead with them
    const deadline = Date.now() + 60_000;
    while (!/paper pages rendered ahead: \d+/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const db = new Database(dbPath, { readonly: true });
    const state = db.prepare(`SELECT content_version AS v, papers FROM related_state`).get() as { v: string; papers: number } | undefined;
    db.close();
    expect(state?.v).toMatch(/^vectors:builtin-/);
    expect(state?.papers).toBeGreaterThan(600);
    const html = await (await fetch(`${base}/papers/2606.26740`)).text();
    const similar = [.../<ul class="similar">(.*?)<\/ul>/s.exec(html)![1]!.matchAll(/href="\/papers\/([^"]+)"/g)].map((x) => x[1]);
    expect(similar.length).toBeGreaterThan(2);
    expect(similar).not.toContain('2606.26740');
  }, 90_000);

  it('then renders every paper page ahead, and serves the stored page', async () => {
    const deadline = Date.now() + 60_000;
    while (!/paper pages rendered ahead: \d+/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const rendered = Number(/paper pages rendered ahead: (\d+)/.exec(stderr)?.[1]);
    const loaded = Number(/new database: loaded (\d+) demo papers/.exec(stderr)?.[1]);
    expect(rendered).toBe(loaded);
    // a page nobody asked for yet (one asked for before stays in the response cache as rendered
    // then) is the page stored in the database, ETag and all
    const db = new Database(dbPath, { readonly: true });
    const row = db.prepare(`SELECT paper_id AS id, etag FROM paper_pages WHERE paper_id NOT LIKE '2606.26740' ORDER BY paper_id LIMIT 1`).get() as { id: string; etag: string };
    db.close();
    const stored = await fetch(`${base}/papers/${row.id}`, { headers: { 'accept-encoding': 'br' } });
    expect(stored.status).toBe(200);
    expect(stored.headers.get('etag')).toBe(`W/"${row.etag}"`);
    expect(await stored.text()).toMatch(new RegExp(`<link rel="canonical" href="[^"]+/papers/${row.id.replace(/[./]/g, "\\$&")}">`));
  });

  it('answers /healthz and stops on SIGTERM', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toMatch(/SIGTERM: shutting down/);
  });
});

/**
 * `paperboy index`, and the same step after `harvest` and `migrate`: brings what is derived from
 * the papers up to date — the keyword index, then the vectors of the papers that lack one from
 * the configured embedder (issue 12: vectors are derived data too), then the related papers of
 * every changed paper (from the vectors once they are complete, else from words; recomputed only
 * when the papers changed, or with --force). `serve` does the same at start and after each
 * harvest; `ingest` leaves it to them, so that a bulk load is not slowed by it.
 *
 * Embedding takes the same lease as serve's embedding job: while another process (a serve, or
 * another index) holds it, that process is embedding the same papers into the same database, and
 * this step leaves the vectors, and the related lists made from them, to it.
 */
import { hostname } from 'node:os';
import type { Container } from '../../container.js';
import type { RelatedProgress, RelatedRefresh } from '../../services/related.service.js';
import { JobLease } from '../../services/job-lease.js';
import { createCounter, createProgress, type Counter, type Progress } from './progress.js';

export interface IndexIo {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface IndexReport {
  indexed: number;
  pending: number;
  /**
   * papers embedded with the configured embedder; null when nothing could embed (no model
   * trained yet, PAPERBOY_EMBEDDER=none, an endpoint down) or another process was embedding them
   */
  embedded: number | null;
  /** why embedded is null, when it is */
  embedding: string | null;
  /** papers whose related lists were computed; null when they were up to date */
  related: number | null;
  seconds: number;
}

export async function refreshDerived(c: Container, io: IndexIo, opts: { force?: boolean; db?: string } = {}): Promise<IndexReport> {
  const started = Date.now();
  const tty = io.stderr.isTTY ? (io.stderr as NodeJS.WriteStream) : null;
  let bar: Counter | null = null;
  const search = await c.search
    .refresh(undefined, (p) => {
      bar ??= createCounter('search index', 'papers', p.indexed + p.pending, tty);
      bar.update(p.indexed);
    })
    .finally(() => (bar as Counter | null)?.stop());
  const db = opts.db ?? c.config.PAPERBOY_DATABASE_URL;
  const { embedded, why, related } = await embedNewPapers(c, db, tty, () => refreshRelated(c, tty, opts.force ?? false));
  return { ...search, embedded, embedding: why, related: related?.papers ?? null, seconds: (Date.now() - started) / 1000 };
}

/**
 * Embeds the papers the configured embedder lacks, under the embeddings lease, and runs `then`
 * (the related papers) once: while its vectors are open, so that the lists follow them, or on
 * its own when nothing embeds here.
 */
async function embedNewPapers(
  c: Container,
  db: string,
  tty: NodeJS.WriteStream | null,
  then: () => Promise<RelatedRefresh | null>,
): Promise<{ embedded: number | null; why: string | null; related: RelatedRefresh | null }> {
  if (c.config.PAPERBOY_EMBEDDER === 'none') return { embedded: null, why: 'PAPERBOY_EMBEDDER=none', related: await then() };
  const { configuredEmbedder, embedPapers } = await import('../../container-embeddings.js');
  const problems: string[] = [];
  const embedder = await configuredEmbedder(c.config, c.vectors, (m) => problems.push(m));
  if (!embedder) return { embedded: null, why: problems[0] ?? 'no built-in model yet: run `paperboy embeddings train` (serve trains one itself)', related: await then() };
  const lease = new JobLease(c.store, 'embeddings', `${hostname()}:${process.pid}:index`);
  const after: { related: RelatedRefresh | null } = { related: null };
  const r = await lease.run(() =>
    embedPapers(c.config, { vectors: c.vectors, related: c.related }, db, embedder, tty, async () => {
      after.related = await then();
    }),
  );
  if (!r.ran) {
    await embedder.close();
    return { embedded: null, why: 'another process (a serve, or another index) is embedding the papers', related: await then() };
  }
  return { embedded: r.value?.embedded ?? 0, why: null, related: after.related };
}

/** The related papers, one progress bar per phase on a terminal (createProgress is silent otherwise). */
async function refreshRelated(c: Container, tty: NodeJS.WriteStream | null, force: boolean): Promise<RelatedRefresh | null> {
  let phase: RelatedProgress['phase'] | null = null;
  let bar: Progress | null = null;
  return c.related
    .refresh({
      force,
      onProgress: (p) => {
        if (p.phase !== phase) {
          bar?.stop();
          phase = p.phase;
          bar = createProgress(p.phase === 'signatures' ? 'related papers: reading' : 'related papers: comparing', p.total, tty);
        }
        bar?.update(p.done, p.done);
      },
    })
    .finally(() => (bar as Progress | null)?.stop());
}

export function describeIndex(r: IndexReport): string {
  const vectors = r.embedded === null ? `no papers embedded (${r.embedding})` : `${r.embedded} papers embedded`;
  const related = r.related === null ? 'related papers up to date' : `related papers computed for ${r.related} papers`;
  return `search index: ${r.indexed} papers indexed${r.pending ? `, ${r.pending} pending` : ''}; ${vectors}; ${related} (${r.seconds.toFixed(1)} s)`;
}

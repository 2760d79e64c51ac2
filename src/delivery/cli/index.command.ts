/**
 * `paperboy index`, and the same step after `harvest` and `migrate`: brings what is derived from
 * the papers up to date — the keyword index, then the related papers of every paper (recomputed
 * only when the papers changed, or with --force). `serve` does the same at start and after each
 * harvest; `ingest` leaves it to them, so that a bulk load is not slowed by it.
 */
import type { Container } from '../../container.js';
import type { RelatedProgress } from '../../services/related.service.js';
import { createProgress, type Progress } from './progress.js';

export interface IndexIo {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface IndexReport {
  indexed: number;
  pending: number;
  /** papers whose related lists were computed; null when they were up to date */
  related: number | null;
  seconds: number;
}

export async function refreshDerived(c: Container, io: IndexIo, opts: { force?: boolean } = {}): Promise<IndexReport> {
  const started = Date.now();
  const tty = io.stderr.isTTY ? (io.stderr as NodeJS.WriteStream) : null;
  const search = await c.search.refresh();
  // one bar per phase, on a terminal only (createProgress is silent otherwise)
  let phase: RelatedProgress['phase'] | null = null;
  let bar: Progress | null = null;
  const related = await c.related
    .refresh({
      force: opts.force ?? false,
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
  return { ...search, related: related?.papers ?? null, seconds: (Date.now() - started) / 1000 };
}

export function describeIndex(r: IndexReport): string {
  const related = r.related === null ? 'related papers up to date' : `related papers computed for ${r.related} papers`;
  return `search index: ${r.indexed} papers indexed${r.pending ? `, ${r.pending} pending` : ''}; ${related} (${r.seconds.toFixed(1)} s)`;
}

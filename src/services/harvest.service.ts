/**
 * Harvest: runs each configured live source once, from where its last run stopped.
 *
 * Every page is stored together with the cursor after it, in one transaction, so a run that is
 * killed resumes at the next page. A source that fails is reported and the others still run;
 * what it brought before failing is kept.
 */
import type { HarvestCursors } from '../ports/harvest-cursors.js';
import type { HarvestSource } from '../ports/source.js';
import { addSummary, emptySummary, type IngestService, type IngestSummary } from './ingest.service.js';

export interface SourceRunReport extends IngestSummary {
  source: string;
  pages: number;
  /** set when the source failed; what it stored before is kept */
  error: string | null;
  ms: number;
  /** the caller stopped it (serve shutting down): not a failure, and it resumes from its cursor next time */
  stopped?: true;
}

export type HarvestLog = (message: string) => void;

export class HarvestService {
  constructor(
    private readonly store: HarvestCursors,
    private readonly ingest: IngestService,
    private readonly sources: readonly HarvestSource[],
    private readonly log: HarvestLog = () => {},
  ) {}

  get sourceNames(): string[] {
    return this.sources.map((s) => s.name);
  }

  /** Runs the named sources (default: all) one after the other. */
  async runOnce(names?: readonly string[], signal?: AbortSignal): Promise<SourceRunReport[]> {
    const unknown = (names ?? []).filter((n) => !this.sourceNames.includes(n));
    if (unknown.length > 0)
      throw new Error(`unknown source ${unknown.join(', ')}; configured: ${this.sourceNames.join(', ') || 'none'}`);
    const reports: SourceRunReport[] = [];
    for (const source of this.sources) {
      if (names && !names.includes(source.name)) continue;
      if (signal?.aborted) break;
      reports.push(await this.runSource(source, signal));
    }
    return reports;
  }

  private async runSource(source: HarvestSource, signal?: AbortSignal): Promise<SourceRunReport> {
    const started = Date.now();
    const report: SourceRunReport = { source: source.name, pages: 0, error: null, ms: 0, ...emptySummary() };
    try {
      const cursor = await this.store.getCursor(source.name);
      for await (const page of source.pages(cursor, signal)) {
        const counts = await this.ingest.applyPage(source.name, page);
        addSummary(report, counts);
        report.pages++;
        this.log(
          `${source.name}: ${page.label}: new ${counts.new}, updated ${counts.updated}, unchanged ${counts.unchanged}, rejected ${counts.rejected}`,
        );
      }
    } catch (e) {
      report.error = (e as Error).message;
      if (signal?.aborted) report.stopped = true;
      this.log(`${source.name}: ${report.stopped ? 'stopped' : 'failed'} after ${report.pages} page(s), kept what they brought${report.stopped ? '' : `: ${report.error}`}`);
    }
    report.ms = Date.now() - started;
    return report;
  }
}

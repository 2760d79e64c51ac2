/**
 * What `serve` tells Prometheus (issue 14, decision 036), with prom-client, on a registry of its
 * own per app:
 * - each request's latency by method, route pattern (never the raw URL: bounded cardinality)
 *   and status;
 * - this node's harvests (runs by source and outcome, papers by source and result) and digest
 *   messages (by result), as counters;
 * - the figures in the database, read when scraped (services/operations.service.ts): papers not
 *   yet in the keyword index, whether each embedder is complete, the digest outbox by status, the
 *   job leases and their holders, each source's last harvest. The same on every node of a
 *   PostgreSQL deployment: aggregate them with max(), not sum(). Each is an index range or a few
 *   rows: papers without a current vector are not counted here (that reads every paper, ~0.6 s
 *   per 100k on SQLite, on the thread that answers requests) but reported by the embedding job as
 *   it works;
 * - Node's own (process CPU, memory, event-loop delay, garbage collection).
 * The database is read at most once per READING_TTL_MS however often it is scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OperationsReading } from '../../services/operations.service.js';
import type { SourceRunReport } from '../../services/harvest.service.js';

/** How long one reading of the database serves the scrapes that follow. */
export const READING_TTL_MS = 10_000;

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly harvestRuns: Counter<'source' | 'outcome'>;
  private readonly harvested: Counter<'source' | 'result'>;
  private readonly digests: Counter<'result'>;
  private readonly embeddingMissing: Gauge<'embedder'>;
  private cached: { at: number; reading: Promise<OperationsReading | null> } | null = null;

  /** read: the database's figures (null when they cannot be read: the gauges are then left out). */
  constructor(private readonly read: () => Promise<OperationsReading>) {
    const registers = [this.registry];
    this.requests = new Histogram({
      name: 'paperboy_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer sent, by route pattern',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.harvestRuns = new Counter({ name: 'paperboy_harvest_runs_total', help: 'Harvest runs of each source on this node, by outcome (ok, failed, stopped)', labelNames: ['source', 'outcome'], registers });
    this.harvested = new Counter({
      name: 'paperboy_harvest_papers_total',
      help: 'Papers ingested by this node\'s harvests, by source and result (new, updated, unchanged, rejected)',
      labelNames: ['source', 'result'],
      registers,
    });
    this.digests = new Counter({ name: 'paperboy_digest_messages_total', help: 'Digest messages this node handed to SMTP, by result (sent, retry, failed)', labelNames: ['result'], registers });
    this.embeddingMissing = new Gauge({
      name: 'paperboy_embedding_lag_papers',
      help: 'Papers without a current vector, as this node\'s embedding job last counted them (it runs after each harvest; only the node holding the embeddings lease reports it)',
      labelNames: ['embedder'],
      registers,
    });
    this.databaseGauges(registers);
    collectDefaultMetrics({ register: this.registry });
  }

  /** One request answered: route is the pattern it matched, or null when none did (404). */
  observeRequest(method: string, route: string | null, status: number, seconds: number): void {
    this.requests.observe({ method, route: route ?? '(none)', status: String(status) }, seconds);
  }

  observeHarvest(reports: readonly SourceRunReport[]): void {
    for (const r of reports) {
      this.harvestRuns.inc({ source: r.source, outcome: r.stopped ? 'stopped' : r.error ? 'failed' : 'ok' });
      for (const result of ['new', 'updated', 'unchanged', 'rejected'] as const) this.harvested.inc({ source: r.source, result }, r[result]);
    }
  }

  observeDigests(t: { sent: number; retry: number; failed: number }): void {
    for (const result of ['sent', 'retry', 'failed'] as const) this.digests.inc({ result }, t[result]);
  }

  /** What the embedding job of this node has left to embed (its progress, 0 once complete). */
  embeddingLag(embedder: string, missing: number): void {
    this.embeddingMissing.reset();
    this.embeddingMissing.set({ embedder }, Math.max(0, missing));
  }

  /** The Prometheus text exposition, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private reading(): Promise<OperationsReading | null> {
    if (!this.cached || Date.now() - this.cached.at > READING_TTL_MS)
      this.cached = { at: Date.now(), reading: this.read().catch(() => null) };
    return this.cached.reading;
  }

  private databaseGauges(registers: Registry[]): void {
    const reading = () => this.reading();
    const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>, r: OperationsReading) => void) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        collect: async function (this: Gauge<L>) {
          this.reset();
          const r = await reading();
          if (r) fill(this, r);
        },
      });
    gauge('paperboy_search_index_lag_papers', 'Papers stored but not yet in the keyword index', [], (g, r) => g.set(r.searchBacklog));
    gauge('paperboy_embedding_complete', '1 for an embedder every paper had its vector from once (search answers by meaning from it), 0 while it is being filled', ['embedder'], (g, r) => {
      for (const e of r.embedders) g.set({ embedder: e.id }, e.complete ? 1 : 0);
    });
    gauge('paperboy_digest_outbox_messages', 'Digest messages in the outbox, by status', ['status'], (g, r) => {
      for (const [status, n] of Object.entries(r.outbox)) g.set({ status }, n);
    });
    gauge('paperboy_job_lease_held', '1 for each job lease a node holds now, labelled with the holder (host:pid:random)', ['job', 'holder'], (g, r) => {
      for (const l of r.leases) if (l.expiresInSeconds > 0) g.set({ job: l.name, holder: l.holder }, 1);
    });
    gauge('paperboy_job_lease_expiry_seconds', 'Seconds until each job lease runs out (negative: lapsed, its holder stopped or died)', ['job'], (g, r) => {
      for (const l of r.leases) g.set({ job: l.name }, l.expiresInSeconds);
    });
    gauge('paperboy_harvest_last_success_timestamp_seconds', 'When each source last stored a harvested page (Unix time)', ['source'], (g, r) => {
      for (const h of r.harvests) g.set({ source: h.source }, Date.parse(h.at) / 1000);
    });
  }
}

/**
 * The site on a harness store for the web suites: the demo papers (Hugging Face days of June
 * 2026 merged with their arXiv metadata) ingested through the real IngestService, plus a few
 * hand-made papers that pages must survive (script payloads, old-style ids, broken LaTeX),
 * and the app built on it, driven with app.inject().
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { readServices } from '../../src/container.js';
import type { SemanticRetriever } from '../../src/services/semantic-retriever.js';
import { openFileInput } from '../../src/adapters/sources/input.js';
import { loadConfig } from '../../src/config.js';
import type { PaperRecord } from '../../src/core/paper.js';
import { demoFiles } from '../../src/delivery/demo.js';
import { buildApp, type AppOptions, type WebContainer } from '../../src/delivery/http/app.js';
import type { ParseResult } from '../../src/ports/source.js';
import { CommentService } from '../../src/services/comment.service.js';
import { IngestService } from '../../src/services/ingest.service.js';
import { kaggleRecord } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';

export const XSS = {
  title: `<script>alert("t")</script> Attack <img src=x onerror=alert(1)> $<iframe src=javascript:alert(2)>$`,
  abstract: `An abstract with <iframe src="javascript:alert(3)"></iframe> and <img src=x onerror=alert(4)> and "quotes" & ampersands.\n\n$$\\href{javascript:alert(5)}{x}$$ <svg onload=alert(6)>`,
  author: `<script>alert(7)</script> Mallory`,
};

/** Papers no real source would send, but a store may hold. */
export const HAND_MADE: PaperRecord[] = [
  kaggleRecord('2606.90001', {
    title: XSS.title,
    abstract: XSS.abstract,
    authors: [XSS.author, 'Eve <b>Bold</b>'],
    categories: ['cs.CR'],
    submittedAt: '2026-06-30T09:00:00.000Z',
    versions: [{ version: 1, submittedAt: '2026-06-30T09:00:00.000Z', size: null }],
    codeUrl: 'javascript:alert(8)',
    comments: `<script>alert(9)</script>`,
    doi: `10.1/"><script>alert(10)</script>`,
    license: 'javascript:alert(11)',
  }),
  kaggleRecord('hep-th/9901001', {
    title: 'Old-style strings in $AdS_5 \\times S^5$',
    categories: ['hep-th'],
    submittedAt: '1999-01-04T10:00:00.000Z',
    versions: [{ version: 1, submittedAt: '1999-01-04T10:00:00.000Z', size: '20kb' }],
  }),
  kaggleRecord('2606.90002', {
    title: 'Broken math $\\frac{a$ and prices of $5 and $10',
    abstract: 'Display math $$\\sum_{i=1}^n x_i$$ and broken \\(\\badcommand{x}\\) inline.',
    submittedAt: '2026-06-30T08:00:00.000Z',
    versions: [{ version: 1, submittedAt: '2026-06-30T08:00:00.000Z', size: null }, { version: 2, submittedAt: '2026-07-01T08:00:00.000Z', size: null }],
    version: 2,
  }),
];

export interface Site {
  app: FastifyInstance;
  opened: OpenedStore;
  ingest: IngestService;
  /** the site's comments (what the paper pages show): writes through it show on the next page */
  comments: CommentService;
  /** GET (or any method) through app.inject */
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

async function* batchOf(records: PaperRecord[]): AsyncIterable<ParseResult> {
  yield { records, errors: [] };
}

/** A store with the demo papers and HAND_MADE. */
export async function openSiteStore(harness: StoreHarness): Promise<{ opened: OpenedStore; ingest: IngestService }> {
  const opened = await harness.open();
  const ingest = new IngestService(opened.store);
  for (const file of demoFiles()) await ingest.ingest((await openFileInput(file, 'auto')).batches);
  await ingest.ingest(batchOf(HAND_MADE));
  return { opened, ingest };
}

/**
 * The app on the store, with the services createContainer makes (a real listing and search);
 * `search` replaces the search service, for a suite that tests the pages apart from ranking.
 */
export async function buildSite(
  opened: OpenedStore,
  ingest: IngestService,
  extra: { search?: WebContainer['search']; semantic?: SemanticRetriever } = {},
  opts: AppOptions = {},
): Promise<Site> {
  const { store } = opened;
  const services = readServices(opened, extra.semantic);
  const comments = new CommentService(opened.comments, store);
  const c: WebContainer = {
    config: loadConfig({ PUBLIC_URL: 'https://papers.example.org' }),
    store,
    ...services,
    search: extra.search ?? services.search,
    comments,
  };
  const app = await buildApp(c, { pageSize: 20, ...opts });
  return {
    app,
    opened,
    ingest,
    comments,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers }),
    close: () => app.close(),
  };
}

/**
 * For a describe block: the site on a fresh harness store, built before its tests and torn down
 * after them. Read it through the returned getter inside tests.
 */
export function useSite(harness: StoreHarness): () => Site {
  let site: Site | undefined;
  beforeAll(async () => {
    const { opened, ingest } = await openSiteStore(harness);
    site = await buildSite(opened, ingest);
  }, 120_000);
  afterAll(async () => {
    if (!site) return;
    await site.close();
    await site.opened.store.close();
    await site.opened.drop();
  });
  return () => {
    if (!site) throw new Error('the site is built in beforeAll');
    return site;
  };
}

export async function ingestRecords(ingest: IngestService, records: PaperRecord[]): Promise<void> {
  await ingest.ingest(batchOf(records));
}

/** The values of every attribute `attr` in the page, in order. */
export function attrs(html: string, attr: string): string[] {
  return [...html.matchAll(new RegExp(`${attr}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}

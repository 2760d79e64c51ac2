/**
 * A Paperboy site for the API and feed suites: a fresh store of the given harness, the demo
 * papers (Hugging Face days of June 2026 merged with their arXiv metadata) ingested through the
 * real IngestService, plus an old-style paper and one whose every field is hostile markup, and
 * the app built on it, answering app.inject() without a port.
 */
import type { FastifyInstance } from 'fastify';
import { readServices } from '../../src/container.js';
import { openFileInput } from '../../src/adapters/sources/input.js';
import { loadConfig } from '../../src/config.js';
import type { PaperRecord } from '../../src/core/paper.js';
import { demoFiles } from '../../src/delivery/demo.js';
import { buildApp, type WebContainer } from '../../src/delivery/http/app.js';
import { IngestService } from '../../src/services/ingest.service.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { embedStore } from '../support/semantic.js';

/** With a path prefix, to show every link keeps it. */
export const PUBLIC_URL = 'https://papers.example.org/pb';

export const HOSTILE_ID = '2606.99001';
export const HOSTILE = {
  title: `Breaking <script>alert("t")</script> & ]]> parsers: Tom & Jerry's <b>bold</b> claim`,
  abstract: `We show <img src=x onerror=alert(1)> that a < b && c > d holds, even with ]]> inside.\n\nA second paragraph: &amp; stays literal, <iframe src="javascript:alert(2)"></iframe> too.`,
  authors: ['Eve <eve@example.org>', 'Mallory & Trent'],
};
export const OLD_STYLE_ID = 'hep-th/9901001';

const EXTRA: PaperRecord[] = [
  {
    id: HOSTILE_ID,
    version: 2,
    source: 'kaggle',
    ...HOSTILE,
    categories: ['cs.CR', 'cs.LG'],
    submittedAt: '2026-06-29T10:00:00.000Z',
    updatedAt: '2026-06-30T09:00:00.000Z',
    versions: [
      { version: 1, submittedAt: '2026-06-29T10:00:00.000Z', size: '12kb' },
      { version: 2, submittedAt: '2026-06-30T09:00:00.000Z', size: '13kb' },
    ],
    listedOn: '2026-06-30',
  },
  {
    id: OLD_STYLE_ID,
    version: 2,
    source: 'kaggle',
    title: 'Large N limit of superconformal field theories',
    abstract: 'An old-style identifier, with a slash.',
    authors: ['Juan Maldacena'],
    categories: ['hep-th'],
    submittedAt: '1999-01-04T10:00:00.000Z',
    updatedAt: '1999-01-20T10:00:00.000Z',
    versions: [
      { version: 1, submittedAt: '1999-01-04T10:00:00.000Z', size: null },
      { version: 2, submittedAt: '1999-01-20T10:00:00.000Z', size: null },
    ],
    listedOn: '1999-01-04',
  },
];

/** What the app is built from: the services the web needs, on the harness store. */
export type SiteContainer = WebContainer & ReturnType<typeof readServices>;

export interface TestSite {
  app: FastifyInstance;
  container: SiteContainer;
  ingest: IngestService;
  /** local votes on the same store (a paper voted on joins the curated day) */
  votes: OpenedStore['votes'];
  close(): Promise<void>;
}

async function* once(records: PaperRecord[]) {
  yield { records, errors: [] };
}

const config = (env: Record<string, string>) => loadConfig({ PAPERBOY_DEMO_DATA: 'false', PUBLIC_URL, PAPERBOY_API_RATE_LIMIT: '0', ...env });

/** Opens a store, fills it, builds the app; `env` adds settings (PAPERBOY_API_RATE_LIMIT, say). */
export async function openSite(harness: StoreHarness, env: Record<string, string> = {}, opts: { embedded?: boolean } = {}): Promise<TestSite> {
  const opened = await harness.open();
  const { store } = opened;
  const ingest = new IngestService(store);
  for (const file of demoFiles()) await ingest.ingest((await openFileInput(file, 'auto')).batches);
  await ingest.ingest(once(EXTRA));
  const semantic = opts.embedded ? await embedStore(opened) : undefined;
  const container: SiteContainer = { config: config(env), store, ...readServices(opened, semantic) };
  const app = await appOn(container);
  return {
    app,
    container,
    ingest,
    votes: opened.votes,
    async close() {
      await app.close();
      await store.close();
      await opened.drop();
    },
  };
}

/** Another app on the same store: to try other settings without loading the papers again. */
export async function appWith(site: TestSite, env: Record<string, string>): Promise<FastifyInstance> {
  return appOn({ ...site.container, config: config(env) });
}

/** The app (buildApp, as `paperboy serve` builds it) on a container of the test's making. */
export async function appOn(container: WebContainer): Promise<FastifyInstance> {
  const app = await buildApp(container);
  await app.ready();
  return app;
}

/** The container with some methods of one of its services replaced; the others still work. */
export function replacing<K extends 'listing' | 'search'>(c: SiteContainer, service: K, methods: Partial<NonNullable<SiteContainer[K]>>): SiteContainer {
  const real = (c[service] ?? {}) as object;
  const proxy = new Proxy(real, {
    get: (target, name, receiver) => (name in methods ? (methods as Record<string | symbol, unknown>)[name] : Reflect.get(target, name, receiver)),
  });
  return { ...c, [service]: proxy };
}

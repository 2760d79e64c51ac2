/**
 * The browser suites' harness: the real `paperboy serve` (the built bin, as a user starts it) on
 * a fresh SQLite file and a random port, and Debian's Chromium driven by playwright-core.
 *
 * The server runs in a child process rather than in the vitest worker so that the page
 * requests, the CSP and the headers are exactly what `npm start` serves, and a crash of the
 * server can't take the test runner with it. It needs `npm run build` first (`npm test` does it).
 *
 * Chromium is never downloaded (`npx playwright install` is not used): a missing
 * /usr/bin/chromium fails the suites with a message saying how to install it, never skips them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { demoFiles } from '../../src/delivery/demo.js';
import type { DomDocument } from './dom.js';

declare const document: DomDocument; // in page.evaluate() callbacks only: they run in Chromium

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
/** The flags the brief fixes; playwright-core adds only what it needs to drive the browser (the pipe). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser');
const BIN = join(ROOT, 'bin', 'paperboy.js');

/** Settings that keep a test server offline: the harvest schedule fires once a year, at unreachable sources. */
const OFFLINE_ENV = {
  PAPERBOY_HARVEST_SCHEDULE: '0 2 1 1 *',
  PAPERBOY_ARXIV_OAI_URL: 'http://127.0.0.1:9/oai',
  PAPERBOY_ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
  PAPERBOY_HF_URL: 'http://127.0.0.1:9',
};

export interface Site {
  /** http://localhost:PORT, no trailing slash */
  base: string;
  dbPath: string;
  /** what the server wrote on stderr so far (its log) */
  log(): string;
  /**
   * What serve logged that says something went wrong: a line at level error or above (pino's 50),
   * a request answered 5xx, a stack, or a plain line saying error.
   */
  problems(): string[];
  stop(): Promise<void>;
}

export interface SiteOptions {
  /**
   * Extra input files (any format `paperboy ingest` reads) stored through the CLI together with
   * the demo papers before the server starts. Without them the server loads the demo papers
   * itself (PAPERBOY_DEMO_DATA=true on a new database), as on a first `npm start`.
   */
  inputs?: string[];
  /** extra settings for the server, read when it starts (an SMTP peer's port is known only then) */
  env?: () => Record<string, string>;
  /**
   * the port to serve on, read when it starts (default: any free one). A suite whose PUBLIC_URL
   * must be the very address the browser opens (WebAuthn checks the origin) picks it first.
   */
  port?: () => number;
}

/** Starts `paperboy serve --port 0` on a new SQLite database; resolves once it listens. */
export async function startSite(opts: SiteOptions = {}): Promise<Site> {
  if (!existsSync(join(ROOT, 'dist', 'delivery', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` before the browser tests (`npm test` does)');
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-browser-'));
  const dbPath = join(dir, 'paperboy.db');
  const env = { ...process.env, ...OFFLINE_ENV, PAPERBOY_DEMO_DATA: 'true', ...opts.env?.() };
  if (opts.inputs) ingest(dbPath, opts.inputs);

  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(opts.port?.() ?? 0), '--db', dbPath], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill); // a crashed runner must not leave a server behind
  let log = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /Paperboy on (http:\/\/localhost:\d+)\//.exec(log);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`paperboy serve exited early (${code}):\n${log}`)));
  });
  return {
    base,
    dbPath,
    log: () => log,
    problems: () => problemsIn(log),
    async stop() {
      process.off('exit', kill);
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `paperboy ingest <demo files> <inputs> --db`: the real CLI and IngestService. */
function ingest(dbPath: string, inputs: string[]): void {
  const r = spawnSync(process.execPath, [BIN, 'ingest', ...demoFiles(), ...inputs, '--db', dbPath, '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV, PAPERBOY_DEMO_DATA: 'false' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`paperboy ingest failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/**
 * Runs the built bin (`paperboy <args>`) as an operator would, offline, with `env` on top, and
 * resolves to its exit code and output. Asynchronous: a test's own servers (an SMTP peer) keep
 * answering while it runs.
 */
export async function runBin(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV, PAPERBOY_DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Debian's Chromium, headless; each launch has its own temporary profile (--user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium); .ci/run does`,
    );
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface Suite {
  readonly site: Site;
  readonly browser: Browser;
  /** A page in a fresh context (no cookies, no storage), closed after the test. */
  page(options?: BrowserContextOptions): Promise<WatchedPage>;
}

/**
 * Starts Chromium and a site for the calling suite file and stops them after it. A setup that
 * fails (no Chromium, a server that won't start) fails every test with its error: vitest would
 * otherwise report the tests of a failed beforeAll as skipped, and a suite must never look
 * skipped because the browser is missing.
 */
export function browserSuite(opts: SiteOptions = {}): Suite {
  let site: Site | undefined;
  let browser: Browser | undefined;
  let setupError: unknown = null;
  const opened: WatchedPage[] = [];
  beforeAll(async () => {
    try {
      browser = await launchBrowser();
      site = await startSite(opts);
    } catch (e) {
      setupError = e;
    }
  }, 180_000);
  beforeEach(() => {
    if (setupError) throw setupError;
  });
  afterEach(async () => {
    for (const w of opened.splice(0)) await w.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  }, 30_000);
  return {
    get site() {
      return site!;
    },
    get browser() {
      return browser!;
    },
    async page(options = {}) {
      const w = await openPage(browser!, options);
      opened.push(w);
      return w;
    },
  };
}

/** What a page did that a test may want to look at: console errors, uncaught errors, dialogs, requests. */
export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  requests: string[];
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
}

/** A fresh context (no cookies, no storage) and page, with its events recorded; dialogs are dismissed. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => watch.requests.push(r.url()));
  return { context, page, watch };
}

/** Saves a viewport screenshot as test-artifacts/browser/<name>.png (fullPage for the whole page). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Fails with the response's status when a navigation does not answer 200. */
export async function visit(page: Page, url: string, status = 200): Promise<void> {
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res) throw new Error(`no response for ${url}`);
  if (res.status() !== status) throw new Error(`${url} answered ${res.status()}, expected ${status}`);
}

/** Whether the document is wider than the viewport (a page a phone would have to scroll sideways). */
export function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && culprits.length < 10) {
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/).join('.')}` : '';
        culprits.push(`${el.tagName.toLowerCase()}${cls} (right ${Math.round(r.right)})`);
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits };
  });
}

function problemsIn(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const entry = JSON.parse(line) as { level?: number; status?: number; err?: unknown; stack?: unknown };
        return (entry.level ?? 0) >= 50 || (entry.status ?? 0) >= 500 || entry.err !== undefined || entry.stack !== undefined;
      } catch {
        return /error|^\s+at /i.test(line);
      }
    });
}

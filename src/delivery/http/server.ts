/**
 * The web server of `paperboy serve`, for now the minimal site: the latest day's papers, a
 * page per day, a page per paper, the paper API and /healthz. The full site (issue 3) grows
 * from here. Routes are all on this screen; nothing changes state.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseArxivId, absUrl, pdfUrl } from '../../core/arxiv-id.js';
import type { Paper } from '../../core/paper.js';
import type { PaperStore } from '../../ports/paper-store.js';
import { esc } from './html.js';

type Handler = (store: PaperStore, match: RegExpExecArray) => Promise<Response>;
interface Response {
  status: number;
  type: string;
  body: string;
}

const ROUTES: [RegExp, Handler][] = [
  [/^\/$/, async (store) => dayPage(store, await store.latestDay())],
  [/^\/papers\/date\/(\d{4}-\d{2}-\d{2})$/, async (store, m) => dayPage(store, m[1]!)],
  [/^\/papers\/(.+)$/, async (store, m) => paperPage(store, m[1]!)],
  [/^\/api\/v1\/papers\/(.+)$/, async (store, m) => paperJson(store, m[1]!)],
  [/^\/healthz$/, async (store) => (await store.ping(), { status: 200, type: 'text/plain', body: 'ok\n' })],
];

export function createWebServer(store: PaperStore, log: (m: string) => void): Server {
  return createServer((req, res) => void handle(store, req, res, log));
}

async function handle(store: PaperStore, req: IncomingMessage, res: ServerResponse, log: (m: string) => void): Promise<void> {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let r: Response = notFound();
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') r = { status: 405, type: 'text/plain', body: 'method not allowed\n' };
    else
      for (const [re, h] of ROUTES) {
        const m = re.exec(path);
        if (m) {
          r = await h(store, m);
          break;
        }
      }
  } catch (e) {
    log(`GET ${path}: ${(e as Error).stack ?? String(e)}`);
    r = path === '/healthz' ? { status: 503, type: 'text/plain', body: 'database unavailable\n' } : page(500, 'Error', '<p>Something went wrong.</p>');
  }
  res.writeHead(r.status, {
    'content-type': `${r.type}; charset=utf-8`,
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
  res.end(req.method === 'HEAD' ? undefined : r.body);
}

async function dayPage(store: PaperStore, day: string | null): Promise<Response> {
  if (!day) return page(200, 'Paperboy', '<p>No papers yet. Run <code>paperboy harvest</code> or <code>paperboy ingest</code>.</p>');
  const papers = await store.papersOnDay(day, 200);
  if (papers.length === 0) return page(404, `No papers on ${day}`, `<p>No papers on ${esc(day)}.</p>`);
  const items = papers.map(
    (p) => `<li><article><h2><a href="/papers/${esc(p.id)}">${esc(p.title)}</a></h2>
<p class="meta">${esc((p.authors ?? []).join(', '))} · ${esc((p.categories ?? []).join(' '))} · ▲ ${p.hf.upvotes ?? 0}</p>
<p>${esc(p.abstract)}</p></article></li>`,
  );
  return page(200, `Daily papers — ${day}`, `<h1>Daily papers — <time>${esc(day)}</time></h1><ol>${items.join('\n')}</ol>`);
}

async function findPaper(store: PaperStore, raw: string): Promise<Paper | null> {
  const id = parseArxivId(raw);
  return id ? store.getPaper(id.id) : null;
}

async function paperPage(store: PaperStore, raw: string): Promise<Response> {
  const p = await findPaper(store, raw);
  if (!p) return notFound();
  const links = [`<a href="${esc(absUrl(p.id))}">arXiv</a>`, `<a href="${esc(pdfUrl(p.id))}">PDF</a>`];
  if (p.codeUrl) links.push(`<a href="${esc(p.codeUrl)}" rel="nofollow">code</a>`);
  return page(
    200,
    p.title ?? p.id,
    `<article><h1>${esc(p.title)}</h1><p class="meta">${esc((p.authors ?? []).join(', '))}</p>
<p>${esc(p.abstract)}</p><p>${links.join(' · ')}</p></article>`,
  );
}

async function paperJson(store: PaperStore, raw: string): Promise<Response> {
  const p = await findPaper(store, raw);
  if (!p) return { status: 404, type: 'application/json', body: JSON.stringify({ error: { code: 'NOT_FOUND', message: `no paper ${raw}` } }) };
  return { status: 200, type: 'application/json', body: JSON.stringify(p) };
}

function notFound(): Response {
  return page(404, 'Not found', '<p>Nothing here.</p>');
}

function page(status: number, title: string, main: string): Response {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title></head><body><header><a href="/">Paperboy</a></header><main>${main}</main></body></html>`;
  return { status, type: 'text/html', body };
}

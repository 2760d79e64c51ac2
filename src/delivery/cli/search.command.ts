/**
 * `paperboy search "<query>"`: the same search as the web page. With --json, an array of
 * {"id","title","score"} best first (PRODUCT.md); otherwise one line per paper (rank, id, day,
 * title; a paper found by meaning alone then says so, with its abstract's closest sentence),
 * then the count and any notice. --mode is hybrid by default: without embeddings that is keyword
 * search, said on stderr; an explicit --mode semantic without them exits 2 (PaperboyError).
 */
import { paperDay } from '../../core/paper.js';
import type { Container } from '../../container.js';
import type { SearchMode } from '../../services/search.service.js';
import type { SearchSort } from '../../ports/search-index.js';
import type { Io } from './main.js';

export interface SearchOpts {
  mode: SearchMode;
  sort: SearchSort;
  limit: number;
  offset: number;
  db?: string;
  json?: boolean;
}

export async function runSearch(c: Pick<Container, 'search'>, q: string, opts: SearchOpts, io: Io): Promise<number> {
  const out = (s: string) => io.stdout.write(s + '\n');
  const service = c.search;
  // a command line waits for the whole index (a web request indexes a little at a time)
  // (every mode reads the keyword index: hybrid ranks by it, semantic filters by it)
  const { indexed } = await service.refresh();
  if (indexed >= 1000) io.stderr.write(`indexed ${indexed} papers written since the last search\n`);
  const r = await service.search({ q, mode: opts.mode, sort: opts.sort, limit: opts.limit, offset: opts.offset });
  if (r.fallback) io.stderr.write(`${r.fallback}\n`);
  if (opts.json) {
    out(JSON.stringify(r.hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: h.score }))));
    if (r.notice) io.stderr.write(`${r.notice}\n`);
    return 0;
  }
  const width = String(r.offset + r.hits.length).length;
  r.hits.forEach((h, i) => {
    const rank = String(r.offset + i + 1).padStart(width);
    out(`${rank}. ${h.paper.id.padEnd(12)} ${paperDay(h.paper) ?? '          '}  ${oneLine(h.paper.title ?? '(untitled)')}`);
    if (h.match === 'semantic') out(`${' '.repeat(width + 2)}similar in meaning${h.closestSentence ? `: ${oneLine(h.closestSentence)}` : ''}`);
  });
  const total = `${r.totalIsEstimate ? 'about ' : ''}${r.total}`;
  if (r.hits.length === 0) out(r.total === 0 ? 'no papers match' : `no papers past ${r.offset} (of ${total})`);
  else out(`${r.offset + 1}-${r.offset + r.hits.length} of ${total} papers, ${r.sort === 'date' ? 'newest first' : 'best first'}`);
  if (r.notice) out(r.notice);
  return 0;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * What each page handler renders: asks the services for the data, picks the view, wraps it in
 * the page shell with the reader's theme. Kept apart from the route table so that both stay
 * short; nothing here knows about URLs' shapes beyond urls.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ArxivId } from '../../core/arxiv-id.js';
import { isUnknownVersion, type Paper } from '../../core/paper.js';
import type { Comment, ReportedComment } from '../../ports/comments.js';
import type { PaperCard } from '../../ports/related-lists.js';
import type { StoredPage } from '../../ports/rendered-pages.js';
import type { Period } from '../../core/periods.js';
import type { ListingOrder } from '../../core/ranking.js';
import { PaperboyError } from '../../core/errors.js';
import { oneLinePrefix } from '../../core/text.js';
import type { ListingScope, VersionScope } from '../../services/listing.service.js';
import type { SiteReads } from '../../services/site-reads.js';
import type { Precompressed, Rendered, ResponseCache } from './http-cache.js';
import { themeOf } from './theme.js';
import { viewerOf } from './viewer.js';
import { absoluteUrl, urls } from './urls.js';
import type { CalendarData } from './views/calendar.view.js';
import { periodTitle } from './views/format.js';
import { html, type Html } from './views/html.js';
import { page, type Assets, type PageOptions, type Theme } from './views/layout.js';
import { emptyPeriodMain, feedHead, listingMain } from './views/listing.view.js';
import { discussionSection, NO_PEOPLE, type CommentPeople } from './views/comments.view.js';
import { moderationMain } from './views/moderation.view.js';
import { aboutRankingMain, errorMain, notFoundMain } from './views/pages.view.js';
import { paperHead } from './views/paper-meta.view.js';
import { missingVersionMain, paperMain } from './views/paper.view.js';
import { anonymousState, viewerPart, type Draft, type PageReader } from './views/viewer-part.view.js';
import { PAGE_MODES, searchFeedHead, searchMain, type SearchHitView, type SearchMode, type SearchPageData, type SearchSort } from './views/search.view.js';

/** What the pages need of search (SearchService). */
export interface PageSearch {
  search(req: { q: string; mode?: SearchMode; sort?: SearchSort; limit?: number; offset?: number }): Promise<{
    total: number;
    totalIsEstimate?: boolean;
    hits: SearchHitView[];
    notice: string | null;
    fallback?: string | null;
  }>;
}

/** A paper page's paper and related papers (RelatedService). */
export interface PageRelated {
  paperPage(id: string, limit: number): Promise<{ paper: Paper; similar: PaperCard[] | null } | null>;
  similar(id: string, limit: number): Promise<PaperCard[]>;
}

/**
 * What the paper pages need of the community (issue 13, decision 031): the local vote count, the
 * reader's vote, and the members behind a discussion (names, profile pages, @-mentions).
 */
export interface PageCommunity {
  votesOf(paperId: string): Promise<number>;
  /** of these papers, those the reader voted on */
  votedOn(accountId: string, paperIds: readonly string[]): Promise<Set<string>>;
  people(comments: readonly Comment[]): Promise<CommentPeople>;
}

/** Who reads a page rendered for one reader, with their token and a refused form to show again. */
export interface PageViewer {
  reader: PageReader;
  csrf: string;
  draft?: Draft | null;
  /** their library controls (library.view.ts libraryControls), when the site has libraries */
  library?: Html | null;
}

/** A paper's discussion (CommentService), and the number that changes with it (the page's cache version). */
export interface PageDiscussions {
  discussion(paperId: string): Promise<Comment[]>;
  discussionVersion(paperId: string): Promise<number>;
  /** authors' names and mentions' pages; NO_PEOPLE until there are accounts */
  people?: CommentPeople;
}

export interface PageDeps {
  listing: SiteReads['listing'];
  search: PageSearch;
  related: PageRelated;
  publicUrl: string;
  cache: ResponseCache;
  assets: Assets;
  /** papers per listing page */
  pageSize: number;
  /** results per search page */
  searchPageSize: number;
  /** searches a minute one client address may ask for (0: no limit) */
  searchRateLimit: number;
  /** the subscribe forms are live (SMTP_URL set); else they say subscriptions are off */
  subscriptionsOn: boolean;
  /** answers when the database does */
  ping: () => Promise<void>;
  /** a paper's page rendered ahead, while current (pages-ahead.ts); null: render it on request */
  storedPage: ((id: string) => Promise<StoredPage | null>) | null;
  /** a page that could have been a stored one was rendered on request: to render ahead next time (PagesAhead.miss) */
  missedPage?: (id: string) => void;
  /** the discussions under paper pages; null: none shown */
  discussions: PageDiscussions | null;
  /**
   * The part of a paper page that is the signed-in viewer's own library controls (decision 033),
   * shown on the page rendered for that viewer alone (paperFor). Null: no library controls.
   */
  viewerPart?: ((req: FastifyRequest, paperId: string, csrfToken: string) => Promise<Html | null>) | null;
  /** votes and members on paper pages (issue 13); null: no votes shown, authors by number */
  community: PageCommunity | null;
  log: (message: string) => void;
}

type Query = Record<string, unknown>;
type Main = Omit<PageOptions, 'theme' | 'path'>;
const HTML = 'text/html; charset=utf-8';
/** similar papers shown on a paper page */
export const SIMILAR = 6;

export type PageRenderer = ReturnType<typeof pageRenderer>;

export function pageRenderer(d: PageDeps) {
  const shellAs = (theme: Theme, path: string, o: Main) => page({ ...o, theme, path }, d.assets);
  const shell = (req: FastifyRequest, path: string, o: Main) => shellAs(themeOf(req), path, o);
  const rendered = (status: number, body: string): Rendered => ({ status, type: HTML, body });

  /**
   * A paper's page: for nobody (`viewer` null: the shared page, cached and rendered ahead, with
   * `votes` as its count) or for one signed-in reader (their vote, their forms and token).
   */
  async function paperPage(theme: Theme, path: string, id: ArxivId, viewer: PageViewer | null, votes: number | null = null): Promise<Rendered> {
    const found = await d.related.paperPage(id.id, SIMILAR);
    if (!found) return rendered(404, shellAs(theme, path, { title: 'Not found · Paperboy', main: notFoundMain(`There is no paper ${id.id} here (yet).`) }));
    const p = found.paper;
    if (isUnknownVersion(p, id.version)) return rendered(404, shellAs(theme, path, { title: 'Not found · Paperboy', main: missingVersionMain(p, id.version!) }));
    // no stored list yet (a paper newer than the last computation): similar() searches
    const [similar, comments] = await Promise.all([
      found.similar ??
        d.related.similar(p.id, SIMILAR).catch((e: unknown) => {
          d.log(`similar(${p.id}) failed: ${(e as Error).stack ?? String(e)}`);
          return [];
        }),
      d.discussions ? d.discussions.discussion(p.id) : null,
    ]);
    const c = d.community;
    const [people, count, voted] = await Promise.all([
      c && comments ? c.people(comments) : (d.discussions?.people ?? NO_PEOPLE),
      votes ?? (c ? c.votesOf(p.id) : 0),
      c && viewer ? c.votedOn(viewer.reader.accountId, [p.id]).then((s) => s.has(p.id)) : false,
    ]);
    const state = viewer ? { paperId: p.id, votes: count, reader: viewer.reader, voted, csrf: viewer.csrf, draft: viewer.draft ?? null } : anonymousState(p.id, count);
    const part = c ? viewerPart(state) : null;
    const discussion = comments ? discussionSection(comments, people, part) : null;
    return rendered(
      200,
      shellAs(theme, path, {
        title: `${p.title ?? p.id} · Paperboy`,
        description: oneLinePrefix(p.abstract ?? '', 200),
        head: paperHead(p, d.publicUrl),
        main: paperMain({ paper: p, requestedVersion: id.version, similar, discussion, viewer: part?.vote ?? null, viewerPart: viewer?.library ?? null }),
      }),
    );
  }

  return {
    /** A cacheable page: `path` is the normalised URL; the theme is added to the key here. */
    async cached(
      req: FastifyRequest,
      reply: FastifyReply,
      path: string,
      render: (path: string) => Promise<Rendered | Precompressed>,
      scope: VersionScope = 'papers',
      also = '',
    ) {
      const version = `${await d.listing.version(scope)}${also}`;
      return d.cache.respond(req, reply, { key: `${path}|${themeOf(req)}`, version, vary: 'Cookie', render: () => render(path) });
    },

    /**
     * A listing: the shared cached page for nobody; for a signed-in reader the same page with
     * the papers they voted on marked (one votedOn query for the page's papers, and a pass over
     * the cached body), answered no-store (decision 031).
     */
    async listingPage(req: FastifyRequest, reply: FastifyReply, path: string, render: (path: string) => Promise<Rendered>, scope: VersionScope) {
      const v = viewerOf(req);
      if (!v || !d.community) return this.cached(req, reply, path, render, scope);
      const version = await d.listing.version(scope);
      const page = await d.cache.shared({ key: `${path}|${themeOf(req)}`, version, render: () => render(path) });
      let body = page.body.toString('utf8');
      const ids = [...new Set([...body.matchAll(/<article class="paper" [^>]*data-paper="([^"]+)">/g)].map((m) => m[1]!))];
      const voted = ids.length ? await d.community.votedOn(v.accountId, ids) : new Set<string>();
      if (voted.size > 0)
        body = body.replace(/(<article class="paper)(" [^>]*data-paper="([^"]+)">)/g, (all, open: string, rest: string, id: string) =>
          voted.has(unescapeAttr(id)) ? `${open} voted${rest}\n<p class="you-voted">You voted for this paper</p>` : all,
        );
      return reply.code(page.status).type(page.type).header('cache-control', 'no-store').header('vary', 'Cookie').send(body);
    },

    async listing(req: FastifyRequest, path: string, period: Period, q: { order: ListingOrder; page: number; scope: ListingScope }): Promise<Rendered> {
      const { order, page: pageNo, scope } = q;
      const l = await d.listing.listing(period, { order, page: pageNo, pageSize: d.pageSize, scope });
      const month = period.kind === 'month' ? period.key : (period.kind === 'day' ? period.key : (l.lastDay ?? l.from)).slice(0, 7);
      const [days, latestDay] = await Promise.all([d.listing.calendar(month), d.listing.latestDay()]);
      const cal: CalendarData = { month, days, current: period, latestDay };
      const title = periodTitle(period);
      if (l.total === 0) return rendered(404, shell(req, path, { title: `No papers: ${title} · Paperboy`, section: period.kind, main: emptyPeriodMain(period, l.previous, l.next, cal) }));
      if (l.papers.length === 0) return rendered(404, shell(req, path, { title: 'Not found · Paperboy', main: notFoundMain(`This listing has fewer pages than that.`) }));
      return rendered(
        200,
        shell(req, path, {
          title: `${title}${pageNo > 1 ? ` (page ${pageNo})` : ''} · Daily Papers · Paperboy`,
          description: `Trending research papers of ${title}.`,
          section: period.kind,
          head: html`<link rel="canonical" href="${absoluteUrl(d.publicUrl, urls.period(period, order, pageNo, scope))}">\n${feedHead(period)}`,
          main: listingMain(l, cal, d.subscriptionsOn),
        }),
      );
    },

    /**
     * A paper's page: from the response cache, else the copy rendered ahead when there is a
     * current one and the request would get the same bytes (the canonical URL, no theme chosen),
     * else rendered now.
     */
    async paper(req: FastifyRequest, reply: FastifyReply, path: string, id: ArxivId) {
      const theme = themeOf(req);
      // a signed-in reader's page holds their token, their vote and their library: rendered for them, never shared (decision 031)
      const v = viewerOf(req);
      if (v && (d.community || d.viewerPart)) return this.paperFor(req, reply, path, id, null, 200);
      // a comment changes this page and no other: its discussion's version joins the data's, and
      // so does its vote count, so that a vote re-renders this page only (decision 031)
      const [discussion, votes] = await Promise.all([
        d.discussions ? d.discussions.discussionVersion(id.id).then((n) => `|d${n}`) : '',
        d.community ? d.community.votesOf(id.id) : 0,
      ]);
      // pages rendered ahead show no votes: taken while the paper has none (the long tail they are for)
      const ahead = d.storedPage && id.version === null && theme === 'auto' && votes === 0 ? d.storedPage : null;
      return this.cached(
        req,
        reply,
        path,
        async (p) => {
          const stored = ahead ? await ahead(id.id) : null;
          if (stored) return { type: HTML, br: stored.body, etag: stored.etag };
          const page = await paperPage(theme, p, id, null, votes);
          if (ahead && page.status === 200) d.missedPage?.(id.id);
          return page;
        },
        'papers',
        `${discussion}|v${votes}`,
      );
    },

    /**
     * A paper's page for the signed-in reader: their vote, their forms, their CSRF token; `draft`,
     * a refused form shown again with its problem. Never cached (no-store, no ETag).
     */
    async paperFor(req: FastifyRequest, reply: FastifyReply, path: string, id: ArxivId, draft: Draft | null, status: number) {
      const v = viewerOf(req)!;
      // one token for the page, its vote and comment forms and its library controls alike
      const csrf = req.server.csrf.token(req, reply);
      const library = d.viewerPart ? await d.viewerPart(req, id.id, csrf) : null;
      const page = await paperPage(themeOf(req), path, id, { reader: { accountId: v.accountId, displayName: v.displayName, role: v.role }, csrf, draft, library });
      return reply
        .code(page.status === 200 ? status : page.status)
        .type(HTML)
        .header('cache-control', 'no-store')
        .header('vary', 'Cookie')
        .send(page.body);
    },

    /** The page a paper gets ahead of any request (pages-ahead.ts): its canonical URL, no theme chosen, no votes (taken only while it has none). */
    paperAhead(id: string): Promise<Rendered> {
      return paperPage('auto', urls.paper(id), { id, version: null }, null, 0);
    },

    async welcome(req: FastifyRequest, path: string): Promise<Rendered> {
      const main = html`<section class="notice"><h1>No papers yet</h1><p>This Paperboy has no papers yet. Run <code>paperboy harvest</code> to fetch today's, or <code>paperboy ingest</code> a file.</p></section>`;
      return rendered(200, shell(req, path, { title: 'Paperboy', section: 'day', main }));
    },

    async about(req: FastifyRequest, path: string): Promise<Rendered> {
      return rendered(200, shell(req, path, { title: 'How papers are ranked · Paperboy', section: 'about', main: aboutRankingMain() }));
    },

    notFound(req: FastifyRequest, reply: FastifyReply, message: string) {
      const body = shell(req, req.url, { title: 'Not found · Paperboy', main: notFoundMain(message) });
      return reply.code(404).type(HTML).header('cache-control', 'no-cache').send(body);
    },

    /** An error page; `detail`, when given, says what went wrong and what to change (never a stack or SQL). */
    error(req: FastifyRequest, status: number, detail?: string): string {
      return shell(req, '/', { title: 'Error · Paperboy', main: errorMain(status, detail) });
    },

    async search(req: FastifyRequest, q: Query): Promise<string> {
      const data = await runSearch(d, searchQuery(q, d.searchPageSize));
      const path = urls.search(data.q, { sort: data.sort, mode: data.mode, page: data.page });
      return shell(req, path, {
        title: data.q ? `${data.q.slice(0, 80)} · Search · Paperboy` : 'Search · Paperboy',
        section: 'search',
        query: data.q,
        head: searchFeedHead(data.q, data.mode),
        main: searchMain(data, d.subscriptionsOn),
      });
    },

    /** The moderators' queue of reported comments (never cached: it carries the moderator's CSRF token). */
    async moderation(req: FastifyRequest, queue: readonly ReportedComment[], csrfToken: string): Promise<string> {
      const people = await this.people(queue.map((r) => r.comment));
      return shell(req, urls.moderation(), { title: 'Reported comments · Paperboy', main: moderationMain(queue, csrfToken, people) });
    },

    /** The members behind these comments (names, pages, @-mentions), as the views take them. */
    people(comments: readonly Comment[]): Promise<CommentPeople> {
      return d.community ? d.community.people(comments) : Promise.resolve(d.discussions?.people ?? NO_PEOPLE);
    },

    /** A page of the site's shell around `main` (the subscription pages). */
    page(req: FastifyRequest, title: string, main: Html): string {
      return shell(req, req.url, { title, main });
    },
  };
}

/** An attribute's value as the html tag escaped it, back to text (ids hold no other escapes). */
function unescapeAttr(v: string): string {
  return v.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The search page's parameters from a query string: whatever it holds, something sensible. */
function searchQuery(q: Query, pageSize: number): SearchPageData {
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const text = first(q.q);
  const pageRaw = first(q.page);
  const page = typeof pageRaw === 'string' && /^\d{1,4}$/.test(pageRaw) ? Math.max(1, Number(pageRaw)) : 1;
  const mode = PAGE_MODES.find((m) => m.mode === first(q.mode))?.mode ?? 'hybrid';
  return {
    q: typeof text === 'string' ? text : '',
    mode,
    fallback: null,
    sort: first(q.sort) === 'date' ? 'date' : 'relevance',
    page,
    pageSize,
    total: 0,
    totalIsEstimate: false,
    hits: [],
    notice: null,
    problem: null,
  };
}

async function runSearch(d: PageDeps, s: SearchPageData): Promise<SearchPageData> {
  if (s.q.trim() === '') return s;
  try {
    const req = { q: s.q, sort: s.sort, limit: s.pageSize, offset: (s.page - 1) * s.pageSize };
    let fallback: string | null = null;
    const r = await d.search.search({ ...req, mode: s.mode }).catch((e: unknown) => {
      // search by meaning asked for where there are no embeddings: the keyword results, said so
      if (!(e instanceof PaperboyError && e.code === 'UNSUPPORTED')) throw e;
      fallback = 'Searched by keywords only: search by meaning is not available on this site yet.';
      return d.search.search({ ...req, mode: 'keyword' });
    });
    return { ...s, total: r.total, totalIsEstimate: r.totalIsEstimate === true, hits: r.hits, notice: r.notice, fallback: fallback ?? r.fallback ?? null };
  } catch (e) {
    // over its time budget: answered 503 with what to change (app.ts), and never cached
    if (e instanceof PaperboyError && e.code === 'QUERY_TIMEOUT') throw e;
    // any input must give a page, never a 500: the failure is logged and the reader told
    d.log(`search failed for a ${s.q.length}-character query: ${(e as Error).stack ?? String(e)}`);
    return { ...s, problem: 'failed' };
  }
}

/**
 * The submission, library and collection pages (issue 13, docs/decisions/032 and 033), the whole
 * route table on one screen. Each handler parses the request, calls SubmissionService or
 * LibraryService, and renders (views/library.view.ts) or redirects back.
 * - the reader's own pages and every form are private forms (private-forms.ts: never cached,
 *   indexed or sent as a referrer), behind requireSession; every POST passes the CSRF guard with a
 *   token (csrf.ts, the default);
 * - a collection's page is anyone's when it is public, its owner's only when private (a 404 to
 *   anyone else, the same answer as for no collection at all); a public one has an Atom feed.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { PaperboyError } from '../../core/errors.js';
import { libraryPaths as paths } from '../../core/library-links.js';
import type { SavedFilter } from '../../ports/library.js';
import { COLLECTION_FEED, LibraryInputError, type LibraryService } from '../../services/library.service.js';
import { SubmissionError, type SubmissionService } from '../../services/submission.service.js';
import { submissionRefused } from './api.writes.js';
import { csrfField } from './csrf.js';
import { buildFeed } from './feeds/feed.js';
import { renderAtom } from './feeds/atom.js';
import { pageNumber } from './request-parts.js';
import { privateForms } from './private-forms.js';
import { localPath } from './theme.js';
import { requireSession, viewerOf } from './viewer.js';
import type { Html } from './views/html.js';
import * as v from './views/library.view.js';
import { capitalise } from '../../core/text.js';

/** What the library pages use (issue 13): the two services. */
export interface WebLibrary {
  submissions: SubmissionService;
  library: LibraryService;
}

export interface LibraryRouteDeps {
  /** null: this site has no library wired (the routes answer 404) */
  web: WebLibrary | null;
  page: (req: FastifyRequest, title: string, main: Html) => string;
  /** the not-found page, as every other route answers it */
  notFound: (req: FastifyRequest, reply: FastifyReply, message: string) => unknown;
  publicUrl: string;
  /** submissions an hour one client address may make (0: no limit); accounts also have a daily quota */
  clientRateLimit: number;
  /** papers on a page of a collection: the site's listings' page size */
  pageSize: number;
}

type Body = Record<string, unknown>;
const NO_COLLECTION = 'There is no collection at this address (it may be private, or deleted).';

export const libraryRoutes: FastifyPluginAsync<LibraryRouteDeps> = async (app, d) => {
  if (!d.web) return;
  const web = d.web;
  await app.register((scope) => privatePages(scope, d, web));
  await app.register((scope) => publicPages(scope, d, web));
};

async function privatePages(app: FastifyInstance, d: LibraryRouteDeps, web: WebLibrary): Promise<void> {
  const { perClient, show } = await privateForms(app, d, 'submissions');
  const me = (req: FastifyRequest) => viewerOf(req)!.accountId; // behind requireSession
  const body = (req: FastifyRequest) => (req.body ?? {}) as Body;
  // a signed-in browser's pages and forms; API access tokens act through /api only
  const guarded = { preHandler: requireSession };
  /** where a form goes on: the page it names in `back` (a local path), else `fallback` */
  const backOr = (fallback: (req: FastifyRequest) => string) => (req: FastifyRequest) => (body(req).back === undefined ? fallback(req) : localPath(body(req).back));

  const submitPage = (req: FastifyRequest, reply: FastifyReply, status: number, extra: Omit<v.SubmitPageData, 'csrf' | 'perDay'> = {}) =>
    show(req, reply, status, 'Submit a paper', v.submitMain({ csrf: csrfField(req, reply), perDay: web.submissions.perDay, ...extra }));

  app.get(paths.submit(), guarded, async (req, reply) => submitPage(req, reply, 200));

  app.post(paths.submit(), { ...guarded, config: perClient }, async (req, reply) => {
    const raw = body(req).id;
    try {
      const done = await web.submissions.submit(me(req), raw);
      return await submitPage(req, reply, done.recorded ? 201 : 200, { done });
    } catch (e) {
      if (!(e instanceof SubmissionError)) throw e;
      const value = typeof raw === 'string' ? raw.slice(0, 300) : '';
      return submitPage(req, reply, submissionRefused(reply, e).status, { problem: `${capital(e.message)}.`, value });
    }
  });

  const libraryPage = async (req: FastifyRequest, reply: FastifyReply, status: number, problem?: string) => {
    const q = req.query as Body;
    const filter: SavedFilter = q.filter === 'read' || q.filter === 'unread' ? q.filter : 'all';
    const l = await web.library.library(me(req), filter, pageNumber(q.page));
    return show(req, reply, status, 'Your library', v.libraryMain(l, csrfField(req, reply), problem));
  };

  app.get(paths.library(), guarded, async (req, reply) => libraryPage(req, reply, 200));

  // a form's mistake (not an arXiv id, an empty name, a paper or collection not there) shows the library with what to change
  const act = <T>(fn: (req: FastifyRequest) => Promise<T>, next: (req: FastifyRequest, done: T) => string) => async (req: FastifyRequest, reply: FastifyReply) => {
    let done: T;
    try {
      done = await fn(req);
    } catch (e) {
      if (e instanceof LibraryInputError) return libraryPage(req, reply, 400, `${capital(e.problem)}.`);
      if (e instanceof PaperboyError && e.code === 'NOT_FOUND') return libraryPage(req, reply, 404, `${capital(e.message)}.`);
      throw e;
    }
    return reply.redirect(next(req, done), 303);
  };
  const toLibrary = backOr(() => paths.library());
  const toCollection = backOr((req) => paths.collection(collectionId(req)));

  app.post(paths.save(), guarded, act((req) => web.library.save(me(req), body(req).paper), toLibrary));
  app.post(paths.unsave(), guarded, act((req) => web.library.unsave(me(req), body(req).paper), toLibrary));
  app.post(paths.markRead(), guarded, act((req) => web.library.markRead(me(req), body(req).paper, body(req).read !== '0'), toLibrary));

  // a new collection, and the paper the form came with (the paper page's "save to a new collection")
  app.post(
    paths.newCollection(),
    guarded,
    act(
      async (req) => (await web.library.createCollection(me(req), body(req).name, body(req).public === '1', body(req).paper)).id,
      // back to the paper page it was made from, else to the new collection's page
      (req, id) => (body(req).paper === undefined ? paths.collection(id) : backOr(() => paths.collection(id))(req)),
    ),
  );

  app.post('/collections/:id/rename', guarded, act((req) => web.library.rename(me(req), collectionId(req), body(req).name), toCollection));
  app.post('/collections/:id/visibility', guarded, act((req) => web.library.setPublic(me(req), collectionId(req), body(req).public === '1'), toCollection));
  app.post('/collections/:id/add', guarded, act((req) => web.library.add(me(req), collectionId(req), body(req).paper), toCollection));
  app.post('/collections/:id/remove', guarded, act((req) => web.library.remove(me(req), collectionId(req), body(req).paper), toCollection));
  app.post(
    '/collections/:id/delete',
    guarded,
    act(
      async (req) => {
        if (body(req).sure !== 'yes') throw new LibraryInputError('collection', 'tick the box to confirm that the collection should be deleted');
        await web.library.deleteCollection(me(req), collectionId(req));
      },
      () => paths.library(), // its page is gone
    ),
  );
}

/** A collection's page and feed: public ones anybody's, private ones their owner's (404 to others). */
async function publicPages(app: FastifyInstance, d: LibraryRouteDeps, web: WebLibrary): Promise<void> {
  app.get('/collections/:id', async (req, reply) => {
    const viewer = viewerOf(req);
    const page = pageNumber((req.query as Body).page);
    const view = await web.library.collectionView(collectionId(req), viewer?.accountId ?? null, page, d.pageSize);
    if (!view) return d.notFound(req, reply, NO_COLLECTION);
    if (page > 1 && view.entries.length === 0) return d.notFound(req, reply, 'This collection has fewer pages than that.');
    // the owner's page holds forms with a CSRF token (no-store, set by the field); anyone else's is
    // asked for again each time (a collection made private must not linger in a proxy) and varies
    // with the cookies (the theme, whether this is the owner)
    const csrf = view.mine ? csrfField(req, reply) : null;
    if (!view.mine) reply.header('cache-control', 'no-cache').header('vary', 'Cookie');
    if (!view.collection.public) reply.header('x-robots-tag', 'noindex');
    return reply.type('text/html; charset=utf-8').send(d.page(req, `${view.collection.name} · Paperboy`, v.collectionMain(view, csrf)));
  });

  app.get('/collections/:id/feed.atom', async (req, reply) => {
    // a feed reader is nobody: only a public collection has a feed (revalidated: it may turn private)
    const view = await web.library.collectionView(collectionId(req), null);
    if (!view) return d.notFound(req, reply, NO_COLLECTION);
    const c = view.collection;
    const doc = buildFeed(
      {
        title: `Paperboy: ${c.name}`,
        description: `Papers in the collection “${c.name}”${view.owner ? ` by ${view.owner}` : ''}, latest added first (at most ${COLLECTION_FEED}).`,
        homePath: paths.collection(c.id),
        feedPath: () => paths.collectionFeed(c.id),
        emptyDate: c.createdAt,
      },
      view.entries.map((e) => e.paper),
      d.publicUrl,
    );
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'no-cache').send(renderAtom(doc));
  });
}

const collectionId = (req: FastifyRequest) => (req.params as { id: string }).id;
/** A message as a sentence; a name spelled with a small first letter (arXiv) stays as it is. */
const capital = (s: string) => (/^[a-z]+[A-Z]/.test(s) ? s : capitalise(s));

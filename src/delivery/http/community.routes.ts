/**
 * The community's routes (issue 13, decision 031), the whole table on one screen: voting on a
 * paper, commenting under it (post, reply, edit, delete, report), the moderators' queue with
 * hide and restore, and members' public pages. Each handler parses the request, takes the
 * signed-in reader (viewer.ts), calls VoteService or CommentService and answers:
 * - a plain form POST: 303 back to the page (a vote, to the same-site path it came from), or
 *   the paper page again with the refused form, the reader's text kept and the problem said;
 * - the vote's fetch from site.js (`Accept: application/json`): `{ voted, votes }`.
 * Every POST passes the CSRF guard with a token (csrf.ts's default); GETs change nothing.
 * Refusals: not signed in 401, FORBIDDEN 403, NOT_FOUND 404, RECORD_INVALID 400, RATE_LIMITED
 * and the per-client / per-account limits 429 with Retry-After.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ArxivId } from '../../core/arxiv-id.js';
import { networkOfAddress } from '../../core/vote-weight.js';
import { PaperboyError } from '../../core/errors.js';
import type { Member } from '../../ports/members.js';
import type { CommentService } from '../../services/comment.service.js';
import type { VoteService } from '../../services/vote.service.js';
import { errorBody, mapError, setRetryAfter } from './api.errors.js';
import type { PageRenderer } from './page-render.js';
import { paperPath, type PaperPath } from './request-parts.js';
import { localPath } from './theme.js';
import { urls } from './urls.js';
import { requireRole, requireSession, viewerOf, type Viewer } from './viewer.js';
import type { Html } from './views/html.js';
import { memberMain, type ProfilePart } from './views/member.view.js';
import type { Draft } from './views/viewer-part.view.js';
import { capitalise } from '../../core/text.js';

export interface CommunityRouteDeps {
  votes: VoteService;
  comments: CommentService;
  members: { membersByIds(ids: readonly string[]): Promise<Map<string, Member>> };
  pages: PageRenderer;
  /** votes one account may cast or withdraw a minute (per web node); 0: no limit */
  voteRateLimit: number;
  /** comment-form posts (post, reply, edit, delete, report) one client address may make an hour (per web node); 0: no limit */
  commentRateLimit: number;
  /** what other features add to a member's page (submissions, public collections) */
  profileParts: ProfilePart[];
}

type Body = Record<string, unknown>;
const HTML = 'text/html; charset=utf-8';
/** Comments a member's page lists. */
const PROFILE_COMMENTS = 50;

/** The POST paths under /papers/<id>: the id may hold a slash (hep-th/9901001), so they are parsed here. */
const VOTE = /^(.+)\/vote$/;
const COMMENTS = /^(.+)\/comments$/;
const COMMENT_ACTION = /^(.+)\/comments\/(\d{1,15})\/(edit|delete|report)$/;

export const communityRoutes: FastifyPluginAsync<CommunityRouteDeps> = async (app, d) => {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Object.assign(new Error(`more than ${ctx.max} of these requests from you lately; retry in ${ctx.after}`), { statusCode: 429 }),
  });
  // every POST here is limited per account (a reader behind a shared address is not held by the
  // others); comment forms also per client address (limitComments), on top of CommentService's own
  // per-account limits, tighter for new accounts
  const perAccount = { rateLimit: d.voteRateLimit > 0 ? { max: d.voteRateLimit, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `vote:${viewerOf(req)?.accountId ?? req.ip}` } : false } as const;
  // the comment forms share the one wildcard route with votes, so their per-client limit is the
  // same plugin's, asked from the handlers that take comment forms
  const commentLimit = d.commentRateLimit > 0 ? app.createRateLimit({ max: d.commentRateLimit, timeWindow: 3_600_000, keyGenerator: (req) => `comment:${req.ip}` }) : null;

  // the API's codes and JSON (api.errors.ts) for the script's fetch; the site's error page for forms (app.ts)
  app.setErrorHandler(async (err: Error, req, reply) => {
    const m = mapError(err);
    if (m.status >= 500) throw err;
    setRetryAfter(reply, m);
    reply.header('cache-control', 'no-store');
    if (wantsJson(req)) return reply.code(m.status).type('application/json; charset=utf-8').send(errorBody(m.code, m.message));
    if (m.status === 404) return d.pages.notFound(req, reply, err.message);
    return reply.code(m.status).type(HTML).send(d.pages.error(req, m.status, capital(err.message)));
  });

  app.post('/papers/*', { preHandler: requireSession, config: { ...perAccount } }, async (req, reply) => {
    let p = paperPath(req, VOTE);
    if (p) return vote(req, reply, paperOf(p));
    p = paperPath(req, COMMENTS);
    if (p) return commentPost(req, reply, paperOf(p));
    p = paperPath(req, COMMENT_ACTION);
    if (p) return commentAction(req, reply, paperOf(p), Number(p.rest[0]), p.rest[1] as 'edit' | 'delete' | 'report');
    throw new PaperboyError('NOT_FOUND', 'There is nothing to post to at this address.');
  });

  async function vote(req: FastifyRequest, reply: FastifyReply, id: ArxivId) {
    const v = viewerOf(req)!;
    // the form says the state it asks for (vote=1 or 0): a second tab's stale button, or the same
    // form sent again after a lost answer, leaves the vote as asked instead of undoing it; a post
    // that names none toggles
    const wanted = (req.body as Body | undefined)?.vote;
    const voter = voterOf(v, req);
    const r = wanted === '1' ? await d.votes.vote(id.id, voter) : wanted === '0' ? await d.votes.unvote(id.id, voter) : await d.votes.toggle(id.id, voter);
    if (wantsJson(req)) return reply.header('cache-control', 'no-store').send({ voted: r.voted, votes: r.votes });
    const back = localPath((req.body as Body | undefined)?.back);
    return reply.redirect(back === '/' ? urls.paper(r.paperId) : back, 303);
  }

  // comment posts are limited per client on top of CommentService's per-account limits
  async function commentPost(req: FastifyRequest, reply: FastifyReply, id: ArxivId) {
    await limitComments(req, reply);
    const body = (req.body ?? {}) as Body;
    const parent = parentOf(body.parent);
    try {
      const c = await d.comments.post(actorOf(viewerOf(req)!), id.id, body.body, parent);
      return reply.redirect(urls.comment(c.paperId, c.id), 303);
    } catch (e) {
      return refusedForm(req, reply, id, e, { form: parent === null ? 'comment' : 'reply', commentId: parent, text: textOf(body.body) });
    }
  }

  async function commentAction(req: FastifyRequest, reply: FastifyReply, id: ArxivId, commentId: number, action: 'edit' | 'delete' | 'report') {
    await limitComments(req, reply);
    const body = (req.body ?? {}) as Body;
    const actor = actorOf(viewerOf(req)!);
    // the address names the comment's paper: a comment under another paper is not found here
    const paperId = (await d.comments.commentOn(id.id, commentId)).paperId;
    try {
      if (action === 'edit') await d.comments.edit(actor, commentId, body.body);
      else if (action === 'delete') await d.comments.remove(actor, commentId);
      else await d.comments.report(actor, commentId, body.reason ?? '');
    } catch (e) {
      if (action === 'delete') throw e;
      return refusedForm(req, reply, id, e, { form: action, commentId, text: textOf(action === 'edit' ? body.body : body.reason) });
    }
    return reply.redirect(action === 'delete' ? `${urls.paper(paperId)}#discussion-title` : urls.comment(paperId, commentId), 303);
  }

  /** A form CommentService refused for what it holds: the paper page again, the text kept, the problem said. */
  async function refusedForm(req: FastifyRequest, reply: FastifyReply, id: ArxivId, e: unknown, draft: Omit<Draft, 'problem'>) {
    if (!(e instanceof PaperboyError) || !['RECORD_INVALID', 'RATE_LIMITED', 'FORBIDDEN'].includes(e.code) || wantsJson(req)) throw e;
    const m = mapError(e);
    setRetryAfter(reply, m);
    return d.pages.paperFor(req, reply, urls.paper(id.id), id, { ...draft, problem: capital(e.message) }, m.status);
  }

  /** The per-client limit of comment forms (the route's own limit is the vote's, per account). */
  async function limitComments(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const r = commentLimit ? await commentLimit(req) : null;
    if (!r || r.isAllowed || !r.isExceeded) return;
    reply.header('retry-after', String(r.ttlInSeconds));
    throw Object.assign(new Error(`more than ${r.max} comment forms an hour from this address; try again later`), { statusCode: 429 });
  }

  app.get(urls.moderation(), { preHandler: requireRole('moderator') }, async (req, reply) => {
    const queue = await d.comments.reportQueue(actorOf(viewerOf(req)!), 100);
    const token = req.server.csrf.token(req, reply);
    return reply.header('cache-control', 'no-store').type(HTML).send(await d.pages.moderation(req, queue, token));
  });

  app.post('/moderation/comments/:id/:action', { preHandler: requireRole('moderator') }, async (req, reply) => {
    const { id, action } = req.params as { id: string; action: string };
    if (!/^\d{1,15}$/.test(id) || (action !== 'hide' && action !== 'restore')) throw new PaperboyError('NOT_FOUND', 'There is no such moderation decision.');
    const actor = actorOf(viewerOf(req)!);
    const c = action === 'hide' ? await d.comments.hide(actor, Number(id)) : await d.comments.restore(actor, Number(id));
    const back = localPath((req.body as Body | undefined)?.back);
    return reply.redirect(back === '/' ? `${urls.moderation()}#reported-${c.id}` : back, 303);
  });

  app.get('/users/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const member = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? (await d.members.membersByIds([id])).get(id) : undefined;
    if (!member) return d.pages.notFound(req, reply, 'There is no member with this address (the account may have been deleted).');
    const [comments, parts] = await Promise.all([d.comments.commentsBy(member.id, PROFILE_COMMENTS), Promise.all(d.profileParts.map((p) => p(member)))]);
    const people = await d.pages.people(comments);
    // public, but names change: revalidated on every request
    return reply.header('cache-control', 'no-cache').type(HTML).send(d.pages.page(req, `${member.displayName} · Paperboy`, memberMain(member, comments, people, parts.filter((p): p is Html => p !== null))));
  });
};

function paperOf(p: PaperPath): ArxivId {
  if (!p.id) throw new PaperboyError('NOT_FOUND', `“${p.text.slice(0, 80)}” is not an arXiv id.`);
  return p.id;
}

function parentOf(raw: unknown): number | null {
  if (raw === undefined || raw === '') return null;
  if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return Number(raw);
  throw new PaperboyError('RECORD_INVALID', 'parent: the comment replied to must be given by its number');
}

const textOf = (v: unknown) => (typeof v === 'string' ? v.slice(0, 20_000) : '');

export function voterOf(v: Viewer, req: FastifyRequest) {
  return { accountId: v.accountId, accountCreatedAt: v.createdAt, network: networkOfAddress(req.ip) };
}

export function actorOf(v: Viewer) {
  return { id: v.accountId, role: v.role, createdAt: v.createdAt };
}

/** A fetch from site.js or an API client asks for JSON; a form does not. */
function wantsJson(req: FastifyRequest): boolean {
  return /\bapplication\/json\b/.test(String(req.headers.accept ?? ''));
}

const capital = (s: string) => capitalise(s).replace(/([^.])$/, '$1.');

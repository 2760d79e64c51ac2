/**
 * The subscription pages and the bounce hook (issue 11, docs/decisions/019), the whole route
 * table on one screen. Each handler parses the request, calls SubscriptionService, and renders
 * (views/subscription.view.ts, views/preferences.view.ts). Rules every route here keeps:
 * - a GET changes nothing (mail scanners and link previews follow links); changes are POSTs;
 * - the token in the URL is the capability: forms post back to the URL they came from, and a
 *   POST from another site is refused (Sec-Fetch-Site, else Origin), except the RFC 8058
 *   one-click unsubscribe, which mail providers send from their own servers;
 * - answers are never stored by caches and never send the URL (and its token) as a Referer.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { subscriptionPaths as paths } from '../../core/subscription-links.js';
import type { Subscription } from '../../ports/subscriptions.js';
import { MailError } from '../../ports/mailer.js';
import { LinkError, SubscriptionInputError, SubscriptionsOffError, type PreferenceChange, type SubscriptionService } from '../../services/subscription.service.js';
import { errorBody } from './api.errors.js';
import { bearerMatches, crossSite, previewPolicy } from './subscriptions.guards.js';
import { privateForms } from './private-forms.js';
import type { Html } from './views/html.js';
import { DONE_MESSAGES, preferencesMain, type DoneKey } from './views/preferences.view.js';
import * as v from './views/subscription.view.js';
import { capitalise } from '../../core/text.js';

/** The digest a subscription would get now, composed by the same pure function as the email; null: nothing to send. */
export type DigestPreview = (subscription: Subscription, manageToken: string) => Promise<{ subject: string; html: string } | null>;

export interface SubscriptionRouteDeps {
  /** null: this site has no inbox wired (every page says subscriptions are off) */
  service: SubscriptionService | null;
  preview: DigestPreview | null;
  /** a page in the site's shell */
  page: (req: FastifyRequest, title: string, main: Html) => string;
  /** POST /subscribe requests an hour one client address may make (0: no limit) */
  clientRateLimit: number;
  /** bearer token of POST /hooks/mail; null: the hook does not exist (404) */
  hookToken: string | null;
  publicUrl: string;
}

type Body = Record<string, unknown>;
const HTML = 'text/html; charset=utf-8';
/** Large enough that an over-long field reaches the checks and is refused with what is wrong, not a bare 413. */
const FORM_LIMIT = { bodyLimit: 256 * 1024 };

export const subscriptionRoutes: FastifyPluginAsync<SubscriptionRouteDeps> = async (app, d) => {
  const { perClient, show } = await privateForms(app, d, 'subscribe requests');
  const on = d.service?.enabled === true;
  const service = (): SubscriptionService => d.service ?? (() => { throw new SubscriptionsOffError(); })();
  // a link that can't be used, or a service that isn't there, as a page (never a stack)
  const guarded = (fn: (req: FastifyRequest, reply: FastifyReply, token: string) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      return await fn(req, reply, (req.params as { token: string }).token);
    } catch (e) {
      if (e instanceof LinkError) return show(req, reply, e.reason === 'invalid' ? 400 : 410, 'Link', v.linkProblemMain(e.reason));
      if (e instanceof SubscriptionsOffError) return show(req, reply, 503, 'Subscriptions are off', v.subscriptionsOffMain());
      throw e;
    }
  };
  const refuseCrossSite = (req: FastifyRequest, reply: FastifyReply) => (crossSite(req, d.publicUrl) ? show(req, reply, 403, 'Refused', v.linkProblemMain('invalid')) : null);

  app.get(paths.subscribe(), async (req, reply) => {
    const q = req.query as Body;
    const main = on ? v.subscribePageMain({ enabled: true, topic: str(q.topic), frequency: str(q.frequency) }) : v.subscriptionsOffMain();
    return show(req, reply, 200, 'Subscribe', main);
  });

  // the CSRF guard (csrf.ts): these forms are anonymous and sit on shared, cached pages, or post
  // to a URL whose token is the capability: a same-site request suffices, as before
  const sameOrigin = { csrf: 'same-origin' } as const;
  app.post(paths.subscribe(), { ...FORM_LIMIT, config: { ...perClient, ...sameOrigin } }, async (req, reply) => {
    if (!on) return show(req, reply, 503, 'Subscriptions are off', v.subscriptionsOffMain());
    if (refuseCrossSite(req, reply)) return reply;
    const body = (req.body ?? {}) as Body;
    try {
      await service().subscribe({ email: body.email, frequency: body.frequency, topic: body.topic });
    } catch (e) {
      if (e instanceof SubscriptionInputError) {
        const keep = (s: unknown) => (typeof s === 'string' && s.length <= 300 ? s : '');
        return show(req, reply, 400, 'Subscribe', v.subscribePageMain({ enabled: true, problem: capitalise(`${e.problem}.`), email: keep(body.email), topic: keep(body.topic), frequency: str(body.frequency) }));
      }
      if (e instanceof MailError) {
        reply.header('retry-after', '300');
        return show(req, reply, 503, 'Try again later', v.mailDownMain());
      }
      throw e;
    }
    // the same answer whatever the address: known, unknown, suppressed or over its budget
    return reply.redirect(paths.checkInbox(), 303);
  });

  app.get(paths.checkInbox(), async (req, reply) => show(req, reply, 200, 'Check your inbox', v.checkInboxMain()));

  app.get('/subscribe/confirm/:token', guarded(async (req, reply, token) => show(req, reply, 200, 'Confirm', v.confirmMain(await service().toConfirm(token), token))));
  app.post('/subscribe/confirm/:token', { config: sameOrigin }, guarded(async (req, reply, token) => refuseCrossSite(req, reply) ?? show(req, reply, 200, 'Subscribed', v.confirmedMain(await service().confirm(token)))));

  app.get('/subscriptions/:token', guarded(async (req, reply, token) => {
    const done = str((req.query as Body).done) ?? '';
    return show(req, reply, 200, 'Your subscription', preferencesMain(await service().preferences(token), { done: done in DONE_MESSAGES ? (done as DoneKey) : null }));
  }));
  app.post('/subscriptions/:token', { ...FORM_LIMIT, config: sameOrigin }, guarded(async (req, reply, token) => {
    if (refuseCrossSite(req, reply)) return reply;
    const body = (req.body ?? {}) as Body;
    const s = service();
    if (body.action === 'delete') {
      if (body.sure !== 'yes') return show(req, reply, 400, 'Your subscription', preferencesMain(await s.preferences(token), { problem: 'Tick the box to confirm that the data should be deleted.' }));
      await s.deleteData(token);
      return show(req, reply, 200, 'Deleted', v.deletedMain());
    }
    const change = preferenceChange(body);
    if (!change) return show(req, reply, 400, 'Your subscription', preferencesMain(await s.preferences(token), { problem: 'That form sent no action this page knows.' }));
    try {
      await s.change(token, change);
    } catch (e) {
      if (!(e instanceof SubscriptionInputError)) throw e;
      return show(req, reply, 400, 'Your subscription', preferencesMain(await s.preferences(token), { problem: capitalise(`${e.problem}.`) }));
    }
    return reply.redirect(`${paths.manage(token)}?done=${change.kind}`, 303);
  }));

  app.get('/subscriptions/:token/preview', guarded(async (req, reply, token) => {
    const m = await service().preferences(token);
    const digest = d.preview ? await d.preview(m.subscription, token) : null;
    if (!digest) return show(req, reply, 200, 'Preview', v.nothingToPreviewMain(m));
    // the email's own HTML, as the reader's mail client gets it: its inline styles, no script at all
    return reply.header('content-security-policy', previewPolicy()).type(HTML).send(digest.html);
  }));

  app.get('/subscriptions/:token/export', guarded(async (_req, reply, token) => {
    const data = await service().exportData(token);
    return reply.type('application/json; charset=utf-8').header('content-disposition', 'attachment; filename="paperboy-subscription.json"').send(JSON.stringify(data, null, 2));
  }));

  app.get('/unsubscribe/:token', guarded(async (req, reply, token) => show(req, reply, 200, 'Unsubscribe', v.unsubscribeConfirmMain(await service().toUnsubscribe(token), token))));
  // RFC 8058 one-click: the body says List-Unsubscribe=One-Click; no cookie, session or CSRF
  // token, and no Origin check (the mail provider posts from its own servers); the token is the
  // capability and names this one subscription
  app.post('/unsubscribe/:token', { config: { csrf: 'none' } }, guarded(async (req, reply, token) => show(req, reply, 200, 'Unsubscribed', v.unsubscribedMain(await service().unsubscribe(token)))));

  // a server's call with a bearer token, no browser's
  app.post(paths.mailHook(), { config: { csrf: 'none' } }, async (req, reply) => {
    // the API's codes and shape (api.errors.ts): 401 is UNAUTHENTICATED there and here
    if (!d.hookToken) return reply.code(404).type('application/json; charset=utf-8').send(errorBody('NOT_FOUND', 'the mail hook is off (PAPERBOY_MAIL_HOOK_TOKEN is not set)'));
    if (!bearerMatches(req.headers.authorization, d.hookToken)) return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('UNAUTHENTICATED', 'a valid bearer token is needed'));
    const body = (req.body ?? {}) as Body;
    try {
      const state = await service().markAddress(body.email, body.kind, str(body.detail) ?? 'reported through /hooks/mail');
      return reply.send({ email: state.email, suppressed: state.suppressed, marks: state.marks.length });
    } catch (e) {
      if (e instanceof SubscriptionInputError) return reply.code(400).send(errorBody('INVALID_PARAMETER', e.problem));
      throw e;
    }
  });
};

/** The preferences form's fields as one change; null for an action this page does not have. */
function preferenceChange(b: Body): PreferenceChange | null {
  const index = Number(str(b.index) ?? NaN);
  switch (b.action) {
    case 'frequency':
      return { kind: 'frequency', frequency: b.frequency };
    case 'add-topic':
      return { kind: 'add-topic', topic: b.topic };
    case 'edit-topic':
      return { kind: 'edit-topic', index, topic: b.topic };
    case 'remove-topic':
      return { kind: 'remove-topic', index };
    case 'pause':
    case 'resume':
    case 'unsubscribe':
      return { kind: b.action };
    default:
      return null;
  }
}

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/**
 * The account pages (issue 13, docs/decisions/027), the whole route table on one screen. Each
 * handler parses the request, calls AccountService, and renders (views/account.view.ts).
 * - GETs change nothing: the emailed link opens a page whose button signs in by POST;
 * - asking for a link answers the same whatever the address (no account enumeration), and is
 *   limited per client here and per address in the service;
 * - signing in always starts a new session with a new id (and ends the one the browser had);
 * - every POST passes the CSRF guard (csrf.ts): the sign-in forms as 'same-origin' (the form
 *   asking for a link may sit on shared pages, the link is itself the capability), the rest with a token.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { accountPaths as paths } from '../../core/account-links.js';
import { MailError } from '../../ports/mailer.js';
import { AccountInputError, SESSION_TTL_MS, SignInLinkError, SignInOffError, type AccountService } from '../../services/account.service.js';
import { PasskeyError, type PasskeyService } from '../../services/passkey.service.js';
import { passkeyScripts } from './assets.js';
import { csrfField, csrfInput } from './csrf.js';
import { clearSessionCookie, requireSession, sessionCookie, sessionSecretOf, viewerOf } from './viewer.js';
import { privateForms } from './private-forms.js';
import type { Html } from './views/html.js';
import * as v from './views/account.view.js';
import { passkeySignIn, passkeysSection } from './views/passkey.view.js';
import { capitalise } from '../../core/text.js';

export interface AccountRouteDeps {
  /** null: this site has no accounts wired (the pages say signing in is off) */
  service: AccountService | null;
  page: (req: FastifyRequest, title: string, main: Html) => string;
  /** POST /auth/signin requests an hour one client address may make (0: no limit) */
  clientRateLimit: number;
  publicUrl: string;
  /** passkeys (decision 034); null: the pages offer none */
  passkeys: PasskeyService | null;
}

type Body = Record<string, unknown>;

export const accountRoutes: FastifyPluginAsync<AccountRouteDeps> = async (app, d) => {
  const secure = d.publicUrl.startsWith('https:');
  const { perClient, show } = await privateForms(app, d, 'sign-in requests');
  const on = d.service?.enabled === true;
  const service = (): AccountService => d.service ?? (() => { throw new SignInOffError(); })();
  const viewer = (req: FastifyRequest) => viewerOf(req)!; // behind requireViewer

  // the passkey button, shown by public/passkeys.js where the browser has WebAuthn; offered
  // whenever passkeys are, email or not (a passkey added earlier signs in without a mail server)
  const passkey = (req: FastifyRequest, reply: FastifyReply) => (d.passkeys ? passkeySignIn(req.server.csrf.token(req, reply), passkeyScripts) : undefined);

  app.get(paths.signIn(), async (req, reply) => show(req, reply, 200, 'Sign in', v.signInMain({ csrf: csrfField(req, reply), enabled: on, passkey: passkey(req, reply) })));

  app.post(paths.signIn(), { config: { ...perClient, csrf: 'same-origin' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      await service().requestSignIn(body.email);
    } catch (e) {
      if (e instanceof SignInOffError) return show(req, reply, 503, 'Signing in is off', v.signInMain({ csrf: csrfField(req, reply), enabled: false, passkey: passkey(req, reply) }));
      if (e instanceof AccountInputError) {
        const email = typeof body.email === 'string' && body.email.length <= 300 ? body.email : '';
        return show(req, reply, 400, 'Sign in', v.signInMain({ csrf: csrfField(req, reply), enabled: true, email, problem: `${capitalise(e.problem)}.`, passkey: passkey(req, reply) }));
      }
      if (e instanceof MailError) {
        reply.header('retry-after', '300');
        return show(req, reply, 503, 'Try again later', v.signInMain({ csrf: csrfField(req, reply), enabled: true, problem: 'Our mail server did not take the message. Try again in a few minutes.' }));
      }
      throw e;
    }
    // the same answer whatever the address: known, unknown or over its budget
    return reply.redirect(paths.checkInbox(), 303);
  });

  app.get(paths.checkInbox(), async (req, reply) => show(req, reply, 200, 'Check your inbox', v.checkInboxMain()));

  app.get('/auth/signin/:secret', async (req, reply) => show(req, reply, 200, 'Sign in', v.linkPageMain((req.params as { secret: string }).secret, csrfField(req, reply))));

  app.post('/auth/signin/:secret', { config: { csrf: 'same-origin' } }, async (req, reply) => {
    const secret = (req.params as { secret: string }).secret;
    let started;
    try {
      started = await service().completeSignIn(secret);
    } catch (e) {
      if (e instanceof SignInLinkError) return show(req, reply, 410, 'Link', v.linkProblemMain());
      if (e instanceof SignInOffError) return show(req, reply, 503, 'Signing in is off', v.signInMain({ csrf: csrfField(req, reply), enabled: false, passkey: passkey(req, reply) }));
      throw e;
    }
    // the session this browser had (another account's, or an old one) ends: one browser, one session
    const old = sessionSecretOf(req, secure);
    if (old) await service().signOut(old);
    reply.header('set-cookie', sessionCookie(started.secret, SESSION_TTL_MS, secure));
    return reply.redirect(paths.me(), 303);
  });

  app.post(paths.signOut(), async (req, reply) => {
    const secret = sessionSecretOf(req, secure);
    if (secret) await service().signOut(secret);
    reply.header('set-cookie', clearSessionCookie(secure));
    return show(req, reply, 200, 'Signed out', v.signedOutMain(null));
  });

  app.post(paths.signOutEverywhere(), { preHandler: requireSession }, async (req, reply) => {
    const ended = await service().signOutEverywhere(viewer(req).accountId);
    reply.header('set-cookie', clearSessionCookie(secure));
    return show(req, reply, 200, 'Signed out', v.signedOutMain(ended));
  });

  const profile = async (req: FastifyRequest, reply: FastifyReply, status: number, extra: Pick<v.ProfileData, 'problem' | 'done' | 'newToken'> = {}) => {
    const me = viewer(req);
    const [subscriptions, tokens, passkeys] = await Promise.all([
      service().subscriptionsOf(me.email),
      service().accessTokensOf(me.accountId),
      d.passkeys ? d.passkeys.passkeysOf(me.accountId) : null,
    ]);
    const token = req.server.csrf.token(req, reply);
    const csrf = csrfInput(token);
    const passkeysPart = passkeys && passkeysSection({ passkeys, csrf, token, scriptUrls: passkeyScripts });
    return show(req, reply, status, 'Your account', v.profileMain({ viewer: me, subscriptions, tokens, csrf, ...(passkeysPart ? { passkeys: passkeysPart } : {}), ...extra }));
  };

  app.get(paths.me(), { preHandler: requireSession }, async (req, reply) => {
    const done = (req.query as Body).done;
    return profile(req, reply, 200, { done: typeof done === 'string' && Object.hasOwn(v.PROFILE_DONE, done) ? (done as v.ProfileDone) : null });
  });

  // the new token is shown on this answer only (never kept): a page, not a redirect
  app.post(paths.tokens(), { preHandler: requireSession }, async (req, reply) => {
    try {
      const made = await service().createAccessToken(viewer(req).accountId, ((req.body ?? {}) as Body).name);
      return await profile(req, reply, 200, { newToken: made.token });
    } catch (e) {
      if (e instanceof AccountInputError) return profile(req, reply, 400, { problem: `${capitalise(e.problem)}.` });
      throw e;
    }
  });

  app.post(paths.revokeToken(), { preHandler: requireSession }, async (req, reply) => {
    await service().revokeAccessToken(viewer(req).accountId, ((req.body ?? {}) as Body).id);
    return reply.redirect(`${paths.me()}?done=revoked`, 303);
  });

  // renaming and deleting a passkey are plain forms (adding one is a WebAuthn ceremony: passkeys.routes.ts)
  app.post(paths.renamePasskey(), { preHandler: requireSession }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      if (!d.passkeys || !(await d.passkeys.rename(viewer(req).accountId, body.id, body.name))) return profile(req, reply, 404, { problem: 'There is no such passkey on your account (it may have been deleted).' });
    } catch (e) {
      if (e instanceof PasskeyError) return profile(req, reply, 400, { problem: e.message });
      throw e;
    }
    return reply.redirect(`${paths.me()}?done=passkey-renamed`, 303);
  });

  app.post(paths.deletePasskey(), { preHandler: requireSession }, async (req, reply) => {
    if (!d.passkeys || !(await d.passkeys.delete(viewer(req).accountId, ((req.body ?? {}) as Body).id)))
      return profile(req, reply, 404, { problem: 'There is no such passkey on your account (it may have been deleted).' });
    return reply.redirect(`${paths.me()}?done=passkey-deleted`, 303);
  });

  app.post(paths.me(), { preHandler: requireSession }, async (req, reply) => {
    try {
      await service().rename(viewer(req).accountId, ((req.body ?? {}) as Body).displayName);
    } catch (e) {
      if (e instanceof AccountInputError) return profile(req, reply, 400, { problem: `${capitalise(e.problem)}.` });
      throw e;
    }
    return reply.redirect(`${paths.me()}?done=renamed`, 303);
  });

  app.get(paths.export(), { preHandler: requireSession }, async (req, reply) => {
    const data = await service().exportData(viewer(req).accountId);
    return reply.type('application/json; charset=utf-8').header('content-disposition', 'attachment; filename="paperboy-account.json"').send(JSON.stringify(data, null, 2));
  });

  app.post(paths.delete(), { preHandler: requireSession }, async (req, reply) => {
    if (((req.body ?? {}) as Body).sure !== 'yes') return profile(req, reply, 400, { problem: 'Tick the box to confirm that your account should be deleted.' });
    await service().deleteAccount(viewer(req).accountId);
    reply.header('set-cookie', clearSessionCookie(secure));
    return show(req, reply, 200, 'Deleted', v.deletedMain());
  });
};


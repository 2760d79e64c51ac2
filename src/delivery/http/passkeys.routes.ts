/**
 * The passkey ceremonies' JSON endpoints (decision 034), called by public/passkeys.js:
 * - POST /auth/passkey/register/options and /auth/passkey/register: a signed-in browser
 *   (requireSession: not an API token) adds a passkey to its account;
 * - POST /auth/passkey/signin/options and /auth/passkey/signin: anybody signs in with one.
 *   A verified sign-in starts a session as the emailed link does: a new session id in the same
 *   cookie, and the session the browser had ended.
 * Every one passes the CSRF guard's default 'token' policy (the script sends the page's token in
 * X-CSRF-Token): a request from another site can't start a ceremony, nor plant a session. They
 * answer JSON, refusals and errors included ({ error: { code, message } }), never a page.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { accountPaths as paths } from '../../core/account-links.js';
import { SESSION_TTL_MS } from '../../services/account.service.js';
import { PasskeyError, type PasskeyService } from '../../services/passkey.service.js';
import { privateForms } from './private-forms.js';
import { Refusal } from './refusal.js';
import { requireSession, sessionCookie, sessionSecretOf, viewerOf } from './viewer.js';
import type { Html } from './views/html.js';

export interface PasskeyRouteDeps {
  /** null: passkeys are off (no accounts wired): every endpoint answers 503 */
  passkeys: PasskeyService | null;
  /** ends the session a browser had when it signs in with a passkey (AccountService.signOut) */
  signOut: (sessionSecret: string) => Promise<void>;
  /** the sign-in options requests an hour one client address may make (0: no limit) */
  clientRateLimit: number;
  publicUrl: string;
  page: (req: FastifyRequest, title: string, main: Html) => string;
}

type Body = Record<string, unknown>;

/** HTTP statuses of a refused ceremony: what the request carried was wrong (400), or the account can't take it (409). */
const STATUS: Record<PasskeyError['problem'], number> = { input: 400, challenge: 400, failed: 400, unknown: 400, duplicate: 409, limit: 409 };

export const passkeyRoutes: FastifyPluginAsync<PasskeyRouteDeps> = async (app, d) => {
  const secure = d.publicUrl.startsWith('https:');
  const { perClient } = await privateForms(app, d, 'passkey sign-in attempts');
  const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
  const error = (reply: FastifyReply, status: number, code: string, message: string) => json(reply, status, { error: { code, message } });
  const service = (): PasskeyService => {
    if (!d.passkeys) throw new PasskeyOff();
    return d.passkeys;
  };

  // the script shows these messages as they are: the guards' refusals, the ceremonies', the rate limit's
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof PasskeyError) return error(reply, STATUS[err.problem], `PASSKEY_${err.problem.toUpperCase()}`, err.message);
    if (err instanceof Refusal) return error(reply, err.statusCode, 'REFUSED', err.message);
    if (err instanceof PasskeyOff) return error(reply, 503, 'PASSKEYS_OFF', err.message);
    if (err.statusCode === 429) return error(reply, 429, 'RATE_LIMITED', `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`);
    if (err.statusCode === 400 || err.statusCode === 415) return error(reply, err.statusCode, 'BAD_REQUEST', 'The request is not the JSON the passkey script sends. Reload the page and try again.');
    throw err; // the site's handler: logged, and a 500 that says nothing about why
  });

  app.post(paths.passkeyRegisterOptions(), { preHandler: requireSession }, async (req, reply) => {
    const me = viewerOf(req)!;
    return json(reply, 200, { options: await service().registrationOptions({ id: me.accountId, email: me.email, displayName: me.displayName }) });
  });

  app.post(paths.passkeyRegister(), { preHandler: requireSession }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const passkey = await service().register(viewerOf(req)!.accountId, body.response, body.name);
    return json(reply, 201, { passkey, location: `${paths.me()}?done=passkey-added` });
  });

  app.post(paths.passkeySignInOptions(), { config: perClient }, async (_req, reply) => json(reply, 200, { options: await service().signInOptions() }));

  app.post(paths.passkeySignIn(), async (req, reply) => {
    const started = await service().signIn(((req.body ?? {}) as Body).response);
    // the session this browser had (another account's, or an old one) ends: one browser, one session
    const old = sessionSecretOf(req, secure);
    if (old) await d.signOut(old);
    reply.header('set-cookie', sessionCookie(started.secret, SESSION_TTL_MS, secure));
    return json(reply, 200, { location: paths.me() });
  });
};

class PasskeyOff extends Error {
  constructor() {
    super('Passkeys are not switched on on this site.');
    this.name = 'PasskeyOff';
  }
}

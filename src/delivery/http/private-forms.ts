/**
 * What the form pages that act for one reader (subscriptions.routes.ts, accounts.routes.ts) set up
 * alike: never cached, indexed or sent as a referrer (their URLs may carry a link's secret), a
 * per-client hourly limit whose refusal says what was limited, and a page shown with its status.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Html } from './views/html.js';

const HTML = 'text/html; charset=utf-8';

export interface PrivateFormDeps {
  /** requests an hour per client on the routes that take `perClient`; 0: no limit */
  clientRateLimit: number;
  /** the site's page around a main part */
  page: (req: FastifyRequest, title: string, main: Html) => string;
}

/** Sets the plugin's routes up as private forms; `what` names the limited requests ("subscribe requests"). */
export async function privateForms(app: FastifyInstance, d: PrivateFormDeps, what: string) {
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new Error(`more than ${ctx.max} ${what} an hour from this address; retry in ${ctx.after}`), { statusCode: 429 }),
  });
  const perClient = { rateLimit: d.clientRateLimit > 0 ? { max: d.clientRateLimit, timeWindow: 3_600_000 } : false } as const;
  const show = (req: FastifyRequest, reply: FastifyReply, status: number, title: string, main: Html) =>
    reply.code(status).type(HTML).send(d.page(req, `${title} · Paperboy`, main));
  return { perClient, show };
}

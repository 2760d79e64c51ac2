/**
 * GET /metrics (issue 14, decision 036): on the site's port only with PAPERBOY_METRICS_TOKEN
 * (Authorization: Bearer <token>), and on a port of its own with PAPERBOY_METRICS_PORT (the token
 * asked there too when set). With neither, there is no /metrics: the site answers 404.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ServeMetrics } from './metrics.js';

/** Whether an Authorization header carries the token (compared in constant time); any header passes when there is no token. */
export function metricsAuthorized(header: string | undefined, token: string | null): boolean {
  if (token === null) return true;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (given === undefined) return false;
  // hashed first: timingSafeEqual wants equal lengths, and the length says nothing then
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

const UNAUTHORIZED = 'GET /metrics needs Authorization: Bearer <PAPERBOY_METRICS_TOKEN>\n';

/** /metrics on the site, behind the token. */
export async function metricsRoutes(app: FastifyInstance, opts: { metrics: ServeMetrics; token: string }): Promise<void> {
  app.get('/metrics', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!metricsAuthorized(req.headers.authorization, opts.token))
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send(UNAUTHORIZED);
    const { contentType, body } = await opts.metrics.exposition();
    return reply.type(contentType).send(body);
  });
}

/** A listener of its own that answers GET /metrics and nothing else (PAPERBOY_METRICS_PORT). */
export async function listenMetrics(metrics: ServeMetrics, o: { host: string; port: number; token: string | null }): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('This port answers GET /metrics only.\n');
      return;
    }
    if (!metricsAuthorized(req.headers.authorization, o.token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' }).end(UNAUTHORIZED);
      return;
    }
    metrics.exposition().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics could not be collected\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : o.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

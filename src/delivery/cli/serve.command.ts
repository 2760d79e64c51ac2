/**
 * `paperboy serve`: the web site (pages, API, feeds), plus the scheduled harvests, on one
 * container. A new, empty database first gets the demo papers. SIGINT/SIGTERM stop the
 * scheduler (waiting for a running harvest), close the web app (finishing requests in flight),
 * then the store.
 */
import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { createContainer } from '../../container.js';
import { seedDemo } from '../demo.js';
import { buildApp } from '../http/app.js';
import { HarvestScheduler } from '../jobs/scheduler.js';

export async function runServe(config: Config, opts: { port?: number; db?: string }, log: (m: string) => void): Promise<number> {
  const c = await createContainer(config, { db: opts.db, log });
  if (config.PAPERBOY_DEMO_DATA) {
    const seeded = await seedDemo(c);
    if (seeded) log(`new database: loaded ${seeded.new} demo papers`);
  }
  // index whatever is waiting (demo papers, an ingest or upgrade since the last start)
  await c.search.refresh();
  const scheduler = new HarvestScheduler(c.harvest, {
    pattern: config.PAPERBOY_HARVEST_SCHEDULE,
    timezone: config.PAPERBOY_TIMEZONE,
    retryDelayMs: config.PAPERBOY_HARVEST_RETRY_MINUTES * 60_000,
    log,
    afterRun: () => c.search.refresh(),
  });
  const app = await buildApp(c, { log });
  const bound = await listen(app, opts.port ?? config.PORT);
  log(`Paperboy on http://localhost:${bound}/ (${c.store.dialect}); public URL ${config.PUBLIC_URL}`);
  scheduler.start();

  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  log(`${String(signal[0] ?? 'signal')}: shutting down`);
  await scheduler.stop();
  await app.close();
  await c.close();
  return 0;
}

/** Listens on every interface, IPv6 and IPv4 alike, or IPv4 alone where IPv6 is switched off. */
async function listen(app: FastifyInstance, port: number): Promise<number> {
  try {
    await app.listen({ port, host: '::' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT' && (e as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw e;
    await app.listen({ port, host: '0.0.0.0' });
  }
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/**
 * `paperboy serve`: the web site, plus the scheduled harvests, on one container. A new, empty
 * database first gets the demo papers. SIGINT/SIGTERM stop the scheduler (waiting for a running
 * harvest), close the server and the store.
 */
import { once } from 'node:events';
import type { Config } from '../../config.js';
import { createContainer } from '../../container.js';
import { seedDemo } from '../demo.js';
import { createWebServer } from '../http/server.js';
import { HarvestScheduler } from '../jobs/scheduler.js';

export async function runServe(config: Config, opts: { port?: number; db?: string }, log: (m: string) => void): Promise<number> {
  const c = await createContainer(config, { db: opts.db, log });
  if (config.PAPERBOY_DEMO_DATA) {
    const seeded = await seedDemo(c);
    if (seeded) log(`new database: loaded ${seeded.new} demo papers`);
  }
  const scheduler = new HarvestScheduler(c.harvest, {
    pattern: config.PAPERBOY_HARVEST_SCHEDULE,
    timezone: config.PAPERBOY_TIMEZONE,
    retryDelayMs: config.PAPERBOY_HARVEST_RETRY_MINUTES * 60_000,
    log,
  });
  const server = createWebServer(c.store, log);
  const port = opts.port ?? config.PORT;
  server.listen(port);
  await once(server, 'listening');
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  log(`Paperboy on http://localhost:${bound}/ (${c.store.dialect}); public URL ${config.PUBLIC_URL}`);
  scheduler.start();

  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  log(`${String(signal[0] ?? 'signal')}: shutting down`);
  await scheduler.stop();
  server.close();
  await c.close();
  return 0;
}

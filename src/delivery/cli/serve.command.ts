/**
 * `paperboy serve`: the web site (pages, API, feeds), plus the scheduled harvests and digests,
 * on one container. A new, empty database first gets the demo papers. SIGINT/SIGTERM stop the
 * scheduler and the background jobs (waiting for each running one to stop and give its lease
 * up) and, at the same time, the web app (no new connections; requests in flight finish, their
 * work included), and only then close the store, which all were using. A second signal exits
 * at once.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { constants, hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { PaperboyError } from '../../core/errors.js';
import { createContainer, type Container } from '../../container.js';
import { createLogger, logFunction } from '../logging.js';
import { ServeMetrics } from '../http/metrics.js';
import { listenMetrics } from '../http/metrics.routes.js';
import { readOperations } from '../../services/operations.service.js';
import type { Log } from '../../ports/log.js';
import { DeferredRetriever } from '../../services/embeddings.service.js';
import { seedDemo } from '../demo.js';
import { buildApp } from '../http/app.js';
import { webInbox } from '../../container-web-inbox.js';
import { JobLease } from '../../services/job-lease.js';
import { BackgroundJobs } from '../jobs/background.js';
import { HarvestScheduler } from '../jobs/scheduler.js';
import { startDigests } from '../jobs/digest-start.js';
import { followNewestBuiltin, trainBuiltinIfMissing, trainCommand } from '../jobs/train-builtin.js';
import type { Embedder } from '../../ports/embedder.js';
import type { MigrationStep } from '../../ports/store-lifecycle.js';
import { migrationLine } from './migration-line.js';

export async function runServe(config: Config, opts: { port?: number; db?: string }): Promise<number> {
  // JSON lines on stderr at PAPERBOY_LOG_LEVEL: the web app's requests and every job's runs (decision 036)
  const logger = createLogger(config);
  const log = logFunction(logger);
  // search by meaning answers once the embeddings runtime (made on the container's store) is set
  const semantic = new DeferredRetriever();
  // an existing database brought forward says so in the log (migrationLine)
  const onMigration = (s: MigrationStep) => {
    const line = migrationLine(s);
    if (line) log(line);
  };
  const c = await createContainer(config, { db: opts.db, log, serving: true, create: true, semantic, onMigration });
  const metrics = new ServeMetrics(() => readOperations(c));
  if (config.PAPERBOY_DEMO_DATA) {
    const seeded = await seedDemo(c);
    if (seeded) log(`new database: loaded ${seeded.new} demo papers`);
  }
  // index whatever is waiting (demo papers, an ingest or upgrade since the last start); related
  // papers take longer (~20 s per 75k papers) and are computed in the background once listening
  await refreshIndex(c, log);
  // search by meaning (issue 12): the active embedder's index is loaded in the background, and
  // new papers embedded there (decision 025); until then search and alerts use keywords
  const { openEmbeddings, configuredEmbedder } = await import('../../container-embeddings.js');
  const db = opts.db ?? config.PAPERBOY_DATABASE_URL;
  // (PAPERBOY_EMBEDDER=none: words only, nothing trained or embedded, similar papers by words)
  const byMeaning = config.PAPERBOY_EMBEDDER !== 'none';
  const embeddings = await openEmbeddings(config, c, byMeaning ? c.related : null, { db, log, threaded: true });
  if (byMeaning) {
    semantic.use(embeddings);
    c.semantic = embeddings;
  }
  // the subscription pages; their mailer closes with the app, once its requests are done
  const inbox = webInbox(c, c.site, { log });
  const { webAccounts, webCommunity } = await import('../../container-web-accounts.js');
  const app = await buildApp(
    {
      ...c,
      ...c.site,
      webInbox: inbox,
      webAccounts: await webAccounts(c, inbox.mailer),
      community: webCommunity(c),
      webLibrary: { submissions: c.submissions, library: c.library },
    },
    { log: (m) => logger.error(m), logger, metrics, metricsToken: config.PAPERBOY_METRICS_TOKEN || null },
  );
  app.addHook('onClose', () => inbox.close());
  // the nodes of a deployment share the database and each runs this schedule: leases leave each
  // harvest, each computation of the related papers and each rendering of pages ahead to one of them
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const lease = (name: string) => new JobLease(c.store, name, holder, config.PAPERBOY_JOB_LEASE_SECONDS);
  // stops the embedding job at its next batch, and every wait for another node's lease
  const stopJobs = new AbortController();
  // a job skipped because another node held its lease is run here if that node dies holding it
  const takeOverIfLost = (held: JobLease, job: string, run: () => Promise<unknown>) =>
    held.watch(stopJobs.signal, (outcome) => {
      if (outcome !== 'lost' || jobs.stopped) return;
      log(`${job}: the node that held the job stopped renewing its lease; taking it over`);
      void jobs.start(() => run().then(() => undefined));
    });
  const relatedLease = lease('related');
  const refreshRelated = (): Promise<void> =>
    relatedLease
      .run(() => c.related.refresh())
      .then((r) => {
        if (!r.ran) {
          log('related papers: another node is computing them');
          takeOverIfLost(relatedLease, 'related papers', () => refreshRelated().then(renderPagesAhead));
        } else if (r.value) log(`related papers computed for ${r.value.papers} papers in ${r.value.seconds.toFixed(1)} s`);
      })
      .catch((e: unknown) => log(`computing related papers failed: ${(e as Error).stack ?? String(e)}`));
  // paper pages show related papers: rendered ahead once those are current
  const pagesLease = lease('pages');
  const ahead = app.pagesAhead;
  const renderPagesAhead = (): Promise<void> =>
    ahead
      ? ahead
          // this node's misses go to the shared queue even when another node holds the lease
          .queueMissed()
          .then(() => pagesLease.run(() => ahead.refresh()))
          .then((r) => {
            if (!r.ran) {
              log('paper pages: another node is rendering them');
              takeOverIfLost(pagesLease, 'paper pages', renderPagesAhead);
            } else if (r.value)
              log(`paper pages rendered ahead: ${r.value.rendered} in ${r.value.seconds.toFixed(1)} s${r.value.walked ? ', every paper looked at for a new layout' : ', from the queue of changed pages'}`);
          })
          .catch((e: unknown) => log(`rendering paper pages ahead failed: ${(e as Error).stack ?? String(e)}`))
      : Promise.resolve();
  // new papers embedded (one node at a time), then every node's index brought up to the vectors
  const embeddingsLease = lease('embeddings');
  // the default, built-in model is learned from the store's papers when none is trained yet
  const training = {
    config,
    papers: async () => (await c.store.stats()).papers,
    configured: () => embeddings.configured,
    load: () => configuredEmbedder(config, c.vectors, log),
    use: (e: Embedder) => embeddings.useConfigured(e),
    log,
  };
  const embedNew = async (): Promise<void> => {
    if (!byMeaning) return;
    await embeddingsLease
      .run(async () => {
        await followNewestBuiltin({ ...training, newestId: () => c.vectors.latestModelId('builtin') });
        await trainBuiltinIfMissing(training, trainCommand(db), stopJobs.signal);
        const id = embeddings.configured?.id;
        const report = await embeddings.embedNew({ signal: stopJobs.signal, onProgress: (p) => id && metrics.embeddingLag(id, p.total - p.done) });
        if (report && report.complete) metrics.embeddingLag(report.embedderId, 0);
        return report;
      })
      .then(async (r) => {
        if (!r.ran) {
          // once the holder is done, this node's index follows its vectors; if it died holding
          // the lease, this node embeds in its place (decision 025)
          log('embeddings: another node is embedding the papers; trying again once it is done');
          afterEmbedder();
        } else if (r.value && r.value.embedded + r.value.removed > 0)
          log(`embeddings: ${r.value.embedded} papers embedded with ${r.value.embedderId} in ${r.value.seconds.toFixed(1)} s${r.value.complete ? '' : ' (not complete yet)'}`);
        return stopJobs.signal.aborted ? undefined : embeddings.refresh();
      })
      .catch((e: unknown) => log(`embedding papers failed: ${(e as Error).stack ?? String(e)}`));
  };
  // tracked, so that shutting down waits for their leases to be given up before the store closes
  const jobs = new BackgroundJobs();
  const afterEmbedder = () =>
    embeddingsLease.watch(stopJobs.signal, () => {
      if (!jobs.stopped) void refreshDerived();
    });
  const refreshDerived = () =>
    jobs.start(() =>
      embedNew()
        .then(() => (jobs.stopped ? undefined : refreshRelated()))
        .then(() => (jobs.stopped ? undefined : renderPagesAhead())),
    );
  const digests = await startDigests(c, lease('digests'), log, (t) => metrics.observeDigests(t));
  const scheduler = new HarvestScheduler(c.harvest, {
    lease: lease('harvest'),
    pattern: config.PAPERBOY_HARVEST_SCHEDULE,
    timezone: config.PAPERBOY_TIMEZONE,
    retryDelayMs: config.PAPERBOY_HARVEST_RETRY_MINUTES * 60_000,
    log,
    afterRun: async (reports) => {
      metrics.observeHarvest(reports);
      await refreshIndex(c, log);
      // the harvest's papers may complete a period: queue and send it (under its own lease)
      void digests.scheduler.run(true);
      await refreshDerived();
    },
  });
  const bound = await listen(app, opts.port ?? config.PORT, config.HOST).catch(async (e: unknown) => {
    await app.close();
    await c.close();
    throw e;
  });
  log(`Paperboy on ${bound.url} (${c.store.dialect}), listening on ${bound.where}; public URL ${config.PUBLIC_URL}`);
  const metricsPort = config.PAPERBOY_METRICS_PORT ? await listenForMetrics(metrics, config).catch(async (e: unknown) => {
    await app.close();
    await c.close();
    throw e;
  }) : null;
  if (metricsPort) log(`metrics on port ${metricsPort.port}: GET /metrics${config.PAPERBOY_METRICS_TOKEN ? ' with the bearer token' : ''}`);
  else if (config.PAPERBOY_METRICS_TOKEN) log('metrics: GET /metrics with the bearer token');
  if (digests.notice) log(digests.notice);
  scheduler.start();
  digests.scheduler.start();
  void refreshDerived();
  // papers another process stored (a `paperboy harvest` or `ingest` beside serve) are embedded,
  // and their similar papers and pages made, within PAPERBOY_FOLLOW_SECONDS: the embedder's queue
  // says so for the cost of an index range (decision 042); left alone while a node embeds
  let looking = false;
  const follow = setInterval(() => {
    const id = byMeaning ? embeddings.configured?.id : undefined;
    if (!id || looking || jobs.stopped) return;
    looking = true;
    embeddingsLease
      .left()
      .then(async (held) => {
        if (held !== null && held > 0) return;
        if ((await c.vectors.queueLength(id)) === 0) return;
        await refreshIndex(c, log);
        await refreshDerived();
      })
      .catch((e: unknown) => log(`looking for papers stored by another process failed: ${(e as Error).message}`))
      .finally(() => (looking = false));
  }, config.PAPERBOY_FOLLOW_SECONDS * 1000);
  follow.unref();

  const signals = shutdownSignals(log);
  log(`${await signals.first}: shutting down`);
  // in order: the jobs stop (each at its next step) and give their leases up, while requests in
  // flight finish; only then does the store they all use close
  stopJobs.abort();
  clearInterval(follow);
  await Promise.all([c.related.stop(), ahead?.stop(), scheduler.stop(), digests.scheduler.stop(), jobs.stop(), app.close(), metricsPort?.close()]);
  await digests.close();
  await embeddings.close();
  await c.close();
  signals.dispose();
  return 0;
}

/** Brings the keyword index up to date and says what it did and how long it took. */
async function refreshIndex(c: Container, log: Log): Promise<void> {
  const started = Date.now();
  const r = await c.search.refresh();
  const seconds = (Date.now() - started) / 1000;
  if (r.indexed > 0 || r.pending > 0)
    log(`search index: ${r.indexed} papers indexed in ${seconds.toFixed(1)} s${r.pending ? `, ${r.pending} pending` : ''}`, { job: 'index', indexed: r.indexed, pending: r.pending, seconds });
}

/** /metrics on PAPERBOY_METRICS_PORT, on HOST (IPv4 alone where :: is not to be had, as the site). */
async function listenForMetrics(metrics: ServeMetrics, config: Config): Promise<{ port: number; close(): Promise<void> }> {
  const o = { port: config.PAPERBOY_METRICS_PORT, token: config.PAPERBOY_METRICS_TOKEN || null };
  try {
    try {
      return await listenMetrics(metrics, { ...o, host: config.HOST });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (config.HOST !== '::' || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw e;
      return await listenMetrics(metrics, { ...o, host: '0.0.0.0' });
    }
  } catch (e) {
    throw new PaperboyError('CONFIG_INVALID', `serve: cannot listen for /metrics on ${config.HOST} port ${o.port} (HOST, PAPERBOY_METRICS_PORT): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * The first SIGINT or SIGTERM, which starts the shutdown. Another one during the shutdown (a
 * second Ctrl-C, or an impatient supervisor) exits at once, with the code of a process killed
 * by that signal, whatever is still running.
 */
function shutdownSignals(log: (m: string) => void): { first: Promise<NodeJS.Signals>; dispose(): void } {
  let received: NodeJS.Signals | null = null;
  let resolve: (s: NodeJS.Signals) => void = () => {};
  const first = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals) => {
    if (received === null) {
      received = signal;
      resolve(signal);
      return;
    }
    log(`${signal} again: exiting without waiting`);
    process.exit(128 + constants.signals[signal]);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    first,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Listens on HOST: `::`, every interface, IPv6 and IPv4 alike, or IPv4 alone where IPv6 is
 * switched off; any other address or name, that one only. A port taken or an address this
 * machine does not have is one line naming them, not a stack.
 */
async function listen(app: FastifyInstance, port: number, host: string): Promise<{ url: string; where: string }> {
  const every = host === '::';
  try {
    try {
      await app.listen({ port, host });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!every || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw e;
      await app.listen({ port, host: '0.0.0.0' });
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new PaperboyError('CONFIG_INVALID', `serve: cannot listen on ${isIP(host) === 6 ? `[${host}]` : host} port ${port} (HOST, PORT): ${code}`);
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  if (every || host === '0.0.0.0') return { url: `http://localhost:${bound}/`, where: `every ${every ? '' : 'IPv4 '}interface` };
  const shown = isIP(host) === 6 ? `[${host}]` : host;
  return { url: `http://${shown}:${bound}/`, where: `${shown} only` };
}

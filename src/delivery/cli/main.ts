/**
 * The `paperboy` command line: one binary, several modes, all built on the same container.
 * Each command parses its options, calls a service and prints; exit codes follow PRODUCT.md.
 *
 * Only the command line itself is loaded up front: each command imports what it uses when it
 * runs (the container and its store, the web stack for serve, the input parsers for ingest), so
 * that `stats` or `config` does not pay for loading Fastify, KaTeX and the sources (decision 014).
 */
import { Command, CommanderError, Option } from 'commander';
import { PaperboyError } from '../../core/errors.js';
import type { Container } from '../../container.js';
import type { OpenedDatabase } from '../../ports/paper-store.js';
import type { MigrationStep } from '../../ports/store-lifecycle.js';
import { migrationLine } from './migration-line.js';
import type { EvalOpts } from './eval.command.js';
import type { SearchOpts } from './search.command.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = 0;
  const out = (s: string) => io.stdout.write(s + '\n');
  const err = (s: string) => io.stderr.write(s + '\n');
  /** On a terminal, each migration of an existing database is named before it runs (migrationLine). */
  const onMigration = (step: MigrationStep) => {
    const line = io.stderr.isTTY ? migrationLine(step) : null;
    if (line) err(`${line}…`);
  };
  /** create: the command may create the database where there is none (serve, ingest, harvest, migrate) */
  const withContainer = async (db: string | undefined, fn: (c: Container) => Promise<number | void>, create = false) => {
    const [{ loadConfig }, { createContainer }] = await Promise.all([import('../../config.js'), import('../../container.js')]);
    const config = loadConfig(io.env);
    const c = await createContainer(config, { db, log: err, create, onMigration });
    try {
      exitCode = (await fn(c)) ?? 0;
    } finally {
      await c.close();
    }
  };
  /** Just the database, migrated, for a command that only reads it (stats, search): no sources, no HTTP client. */
  const withDatabase = async (db: string | undefined, fn: (opened: OpenedDatabase) => Promise<number | void>) => {
    const [{ loadConfig }, { openMigratedDatabase }] = await Promise.all([import('../../config.js'), import('../../container.js')]);
    const opened = await openMigratedDatabase(loadConfig(io.env), { db, brief: true, onMigration });
    try {
      exitCode = (await fn(opened)) ?? 0;
    } finally {
      await opened.store.close();
    }
  };
  /** The embeddings runtime over a database with complete vectors (null without: the search says it fell back). */
  const openSemantic = async (opened: OpenedDatabase, db: string | undefined) => {
    if (!(await opened.vectors.embedders()).some((e) => e.completedAt !== null)) return null;
    const [{ loadConfig }, { openEmbeddings }] = await Promise.all([import('../../config.js'), import('../../container-embeddings.js')]);
    const config = loadConfig({ ...io.env, ...(db ? { PAPERBOY_DATABASE_URL: db } : {}) });
    if (config.PAPERBOY_EMBEDDER === 'none') return null;
    const embeddings = await openEmbeddings(config, opened, null, { db: config.PAPERBOY_DATABASE_URL });
    await embeddings.refresh();
    return embeddings;
  };
  const dbOption = (creates = false) =>
    new Option(
      '--db <sqlite-path|postgres-url>',
      `database (default: PAPERBOY_DATABASE_URL); ${creates ? 'created, with its directory, if there is none' : 'must exist (serve, ingest, harvest and migrate create one)'}`,
    );

  const program = new Command('paperboy')
    .description('Trending research papers, harvested, ranked and delivered.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('ingest')
    .description('store papers from files or URLs (Kaggle arXiv snapshot, arXiv API Atom, OAI-PMH, Hugging Face daily papers)')
    .argument('[inputs...]', 'file paths (plain or gzip) or http(s) URLs')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'kaggle', 'arxiv-atom', 'oai-pmh', 'hf-daily']).default('auto'))
    .option('--query <arxiv-query>', 'fetch from the arXiv API instead, e.g. "cat:cs.CL AND ti:retrieval"')
    .option('--max-results <n>', 'with --query: stop after this many papers', (v) => positiveInt(v, '--max-results'))
    .addOption(dbOption(true))
    .option('--json', 'print the summary as JSON')
    .action(async (inputs: string[], opts: IngestOpts) => {
      if (inputs.length === 0 && !opts.query) throw new PaperboyError('INPUT_UNUSABLE', 'ingest: name at least one input, or --query');
      const { runIngest } = await import('./ingest.command.js');
      await withContainer(opts.db, (c) => runIngest(c, inputs, opts, io), true);
    });

  program
    .command('harvest')
    .description('run the configured live sources once, from where they last stopped')
    .option('--source <name>', 'only this source (arxiv or hf-daily)')
    .addOption(dbOption(true))
    .option('--json', 'print the per-source reports as JSON')
    .action(async (opts: { source?: string; db?: string; json?: boolean }) => {
      const { refreshDerived } = await import('./index.command.js');
      await withContainer(opts.db, async (c) => {
        const reports = await c.harvest.runOnce(opts.source ? [opts.source] : undefined);
        await refreshDerived(c, io, { db: opts.db });
        if (opts.json) out(JSON.stringify(reports));
        else
          for (const r of reports)
            out(`${r.source}: ${r.pages} page(s), new ${r.new}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected} in ${(r.ms / 1000).toFixed(1)} s${r.error ? `, FAILED: ${r.error}` : ''}`);
        return reports.some((r) => r.error) ? 1 : 0;
      }, true);
    });

  program
    .command('search')
    .description('search by words and meaning: words, "a phrase", prefix*, -word, author:name, cat:cs.CL, year:2025, from:/to:/date:')
    .argument('<query...>', 'the query; several arguments are joined (put -- before a query starting with -)')
    .addOption(
      new Option('--mode <mode>', 'keyword, semantic (by meaning) or hybrid (both; keyword alone where there are no embeddings)')
        .choices(['keyword', 'semantic', 'hybrid'])
        .default('hybrid'),
    )
    .addOption(new Option('--sort <order>', 'result order').choices(['relevance', 'date']).default('relevance'))
    .option('--limit <n>', 'papers to show (at most 100)', (v) => positiveInt(v, '--limit'), 10)
    .option('--offset <n>', 'papers to skip', (v) => nonNegativeInt(v, '--offset'), 0)
    .addOption(dbOption())
    .option('--json', 'print [{"id","title","score"}], best first')
    .action(async (words: string[], opts: SearchOpts) => {
      const [{ runSearch }, { readServices }] = await Promise.all([import('./search.command.js'), import('../../container.js')]);
      await withDatabase(opts.db, async (opened) => {
        // by meaning: the vectors serve or `embeddings train` made, when some embedder's are complete
        const semantic = opts.mode === 'keyword' ? null : await openSemantic(opened, opts.db);
        try {
          return await runSearch(readServices(opened, semantic ?? undefined), words.join(' '), opts, io);
        } finally {
          await semantic?.close();
        }
      });
    });

  program
    .command('eval')
    .description('measure search quality')
    .command('beir')
    .description('nDCG@10, Recall@100 and MRR@10 on a BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv), in a temporary store')
    .argument('<dir>', 'the BEIR folder')
    .option('--split <name>', 'which qrels file: test, train, dev…', 'test')
    .addOption(new Option('--mode <mode>', 'search mode').choices(['keyword', 'semantic', 'hybrid']).default('keyword'))
    .option('--max-queries <n>', 'only the first N judged queries (a quick check)', (v) => positiveInt(v, '--max-queries'))
    .option('--model <file>', 'semantic and hybrid: a trained built-in model (paperboy embeddings train) instead of one learned from the corpus')
    .option('--keyword-weight <w>', 'hybrid: the keyword list\'s weight in the fusion, 0 to 1', (v) => unitInterval(v, '--keyword-weight'))
    .option('--json', 'print {"ndcg@10","recall@100","mrr@10","queries"}')
    .action(async (dir: string, opts: EvalOpts) => {
      const { runEvalBeir } = await import('./eval.command.js');
      exitCode = await runEvalBeir(dir, opts, io);
    });

  program
    .command('embeddings')
    .description('the built-in embeddings (issue 12)')
    .command('train')
    .description('learn the built-in embeddings from the papers in the store, keep the model in the database (a copy in PAPERBOY_MODEL_DIR, else <database file>.model/) and embed the papers')
    .addOption(dbOption())
    .option('--sample <n>', `learn from at most this many papers, a uniform sample of a larger store (default 100,000); every paper is embedded`, (v) => positiveInt(v, '--sample'))
    .option('--json', 'print {"papers","stored","vocabulary","dimensions","seconds","id","path"}')
    .action(async (opts: { db?: string; json?: boolean; sample?: number }) => {
      const [{ runEmbeddingsTrain, builtinModelPath }, { loadConfig }] = await Promise.all([import('./embeddings.command.js'), import('../../config.js')]);
      // --db stands for PAPERBOY_DATABASE_URL, so that the model folder's default follows it
      const config = loadConfig({ ...io.env, ...(opts.db ? { PAPERBOY_DATABASE_URL: opts.db } : {}) });
      const path = builtinModelPath(opts.db ?? config.PAPERBOY_DATABASE_URL, config.PAPERBOY_MODEL_DIR);
      await withDatabase(opts.db, async (opened) => {
        const trained = await runEmbeddingsTrain(opened.store, opened.vectors, path, { json: opts.json, sample: opts.sample }, io);
        // then the papers are embedded with the new model (decision 025): search moves to it once complete
        const [{ embedPapers }, { RelatedService }] = await Promise.all([import('../../container-embeddings.js'), import('../../services/related.service.js')]);
        const tty = (io.stderr as NodeJS.WriteStream).isTTY ? (io.stderr as NodeJS.WriteStream) : null;
        const db = opts.db ?? config.PAPERBOY_DATABASE_URL;
        const r = await embedPapers(config, { vectors: opened.vectors, related: new RelatedService(opened.store, opened.index) }, db, trained, tty);
        if (r && !opts.json) io.stdout.write(`embedded ${r.embedded} papers in ${r.seconds.toFixed(1)} s${r.complete ? '' : ' (not complete)'}\n`);
      });
    });

  program
    .command('stats')
    .description('what the store holds')
    .addOption(dbOption())
    .option('--json', 'print as JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      await withDatabase(opts.db, async ({ store }) => {
        const s = await store.stats();
        if (opts.json) out(JSON.stringify(s));
        else for (const [k, v] of Object.entries(s)) out(`${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
      });
    });

  program
    .command('migrate')
    .description('bring the database schema up to date (also done at every start)')
    .addOption(dbOption(true))
    .action(async (opts: { db?: string }) => {
      const { refreshDerived } = await import('./index.command.js');
      await withContainer(opts.db, async (c) => {
        await refreshDerived(c, io, { db: opts.db }); // a new search migration queues every stored paper
        const s = await c.store.stats();
        out(`schema version ${s.schemaVersion} (${c.store.dialect}): up to date`);
      }, true);
    });

  program
    .command('index')
    .description('bring the search index, the papers\' vectors and every paper\'s related papers up to date (serve does it at start and after each harvest)')
    .option('--force', 'recompute the related papers even if no paper changed')
    .addOption(dbOption())
    .option('--json', 'print {"indexed","pending","embedded","embedding","related","seconds"}')
    .action(async (opts: { db?: string; force?: boolean; json?: boolean }) => {
      const { describeIndex, refreshDerived } = await import('./index.command.js');
      await withContainer(opts.db, async (c) => {
        const r = await refreshDerived(c, io, { force: opts.force ?? false, db: opts.db });
        out(opts.json ? JSON.stringify(r) : describeIndex(r));
      });
    });

  program
    .command('backup')
    .description('copy the SQLite database to a file, consistent while serve runs (SQLite\'s online backup; PostgreSQL: pg_dump, see the README)')
    .argument('<file>', 'the backup file to write (written as <file>.partial, renamed when whole and checked)')
    .option('--force', 'replace the file if it exists')
    .addOption(dbOption())
    .option('--json', 'print {"file","papers","schemaVersion","bytes","seconds"}')
    .action(async (file: string, opts: { db?: string; force?: boolean; json?: boolean }) => {
      const [{ loadConfig }, { runBackup }] = await Promise.all([import('../../config.js'), import('./backup.command.js')]);
      exitCode = await runBackup(opts.db ?? loadConfig(io.env).PAPERBOY_DATABASE_URL, file, opts, io);
    });

  program
    .command('restore')
    .description('write a backup over the SQLite database (checked first: a Paperboy database of a known schema version); stop serve first')
    .argument('<file>', 'a file paperboy backup wrote')
    .option('--force', 'replace an existing database, even one in use by a running serve (restart it afterwards)')
    .addOption(new Option('--db <sqlite-path>', 'the database to restore into (default: PAPERBOY_DATABASE_URL); created if there is none'))
    .option('--json', 'print {"file","papers","schemaVersion","bytes","seconds"}')
    .action(async (file: string, opts: { db?: string; force?: boolean; json?: boolean }) => {
      const [{ loadConfig }, { runRestore }] = await Promise.all([import('../../config.js'), import('./backup.command.js')]);
      exitCode = await runRestore(opts.db ?? loadConfig(io.env).PAPERBOY_DATABASE_URL, file, opts, io);
    });

  program
    .command('doctor')
    .description('check the settings, the database and its schema, the search index and vectors, harvests, digests and the SMTP server, and say what to do; exit 1 on a problem')
    .addOption(new Option('--db <sqlite-path|postgres-url>', 'database (default: PAPERBOY_DATABASE_URL); never created or migrated'))
    .option('--json', 'print {"ok","checks":[{"name","status","detail","fix"}]}')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const { runDoctor } = await import('./doctor.command.js');
      exitCode = await runDoctor(opts.db, opts, io);
    });

  program
    .command('config')
    .description('list every setting with its value (secrets redacted), default and meaning')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { describeConfig, loadConfig } = await import('../../config.js');
      const rows = describeConfig(loadConfig(io.env));
      if (opts.json) out(JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.value]))));
      else for (const r of rows) out(`${r.name}=${r.value}\n    ${r.help} (default: ${r.default || '""'})`);
    });

  const digest = program.command('digest').description('email digests (issue 11)');
  digest
    .command('send')
    .description('queue the period\'s digests (default: the latest complete day and ISO week) and send every due message')
    .option('--period <period>', 'a day (YYYY-MM-DD: the daily digests) or an ISO week (YYYY-Www: the weekly ones)')
    .option('--dry-run', 'write the digests as .eml files instead of sending; changes nothing in the database')
    .option('--out <dir>', 'with --dry-run: the folder for the .eml files', 'digests-dry-run')
    .addOption(dbOption())
    .option('--json', 'print {"periods","queued","sent","retry","failed"}')
    .action(async (opts: { period?: string; dryRun?: boolean; out: string; db?: string; json?: boolean }) => {
      const [{ parseDigestPeriod }, { runDigestSend }] = await Promise.all([import('../../core/digest-schedule.js'), import('./digest.command.js')]);
      const period = opts.period === undefined ? undefined : parseDigestPeriod(opts.period);
      await withContainer(opts.db, (c) => runDigestSend(c, { dryRun: opts.dryRun ?? false, out: opts.out, json: opts.json ?? false, ...(period ? { period } : {}) }, io));
    });

  const subscribers = program.command('subscribers').description('readers\' subscriptions, for operators');
  subscribers
    .command('list')
    .description('every subscription, in any status')
    .addOption(dbOption())
    .option('--json', 'print a JSON array of subscriptions')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const { runSubscribersList } = await import('./subscribers.command.js');
      await withDatabase(opts.db, ({ inbox }) => runSubscribersList(inbox, opts, io));
    });
  subscribers
    .command('export')
    .description('everything kept, as JSON lines: each subscription with its address\'s bounces and its messages')
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      const { runSubscribersExport } = await import('./subscribers.command.js');
      await withDatabase(opts.db, ({ inbox }) => runSubscribersExport(inbox, io));
    });
  subscribers
    .command('bounce')
    .description('record a bounce or complaint for an address: a hard bounce (the default) or a complaint stops all sending to it')
    .argument('<email>', 'the address')
    .option('--soft', 'a soft (temporary) bounce: recorded, sending goes on')
    .option('--complaint', 'a spam complaint: stops sending')
    .addOption(dbOption())
    .action(async (email: string, opts: { db?: string; soft?: boolean; complaint?: boolean }) => {
      const [{ checkEmailAddress }, { runSubscribersBounce }] = await Promise.all([import('../../core/email-address.js'), import('./subscribers.command.js')]);
      const checked = checkEmailAddress(email);
      if (!checked.ok) throw new PaperboyError('INPUT_UNUSABLE', `subscribers bounce: ${JSON.stringify(email.slice(0, 300))} is not an email address: ${checked.problem}`);
      await withDatabase(opts.db, ({ inbox }) => runSubscribersBounce(inbox, checked.email, opts, io));
    });

  subscribers
    .command('unsubscribe')
    .description('act on a mail to the digests\' List-Unsubscribe address: the subscription its subject\'s token names leaves')
    .argument('<subject>', 'the mail\'s subject ("unsubscribe <token>"), the mailto URL, or the token')
    .addOption(dbOption())
    .action(async (subject: string, opts: { db?: string }) => {
      const [{ loadConfig }, { runSubscribersUnsubscribe }] = await Promise.all([import('../../config.js'), import('./subscribers.command.js')]);
      const secret = loadConfig(io.env).PAPERBOY_SECRET;
      await withDatabase(opts.db, ({ inbox }) => runSubscribersUnsubscribe(inbox, secret, subject, io));
    });

  const users = program.command('users').description('readers\' accounts, for operators (issue 13)');
  users
    .command('promote')
    .description('give the account of an address a role: moderator or admin (reader takes it back)')
    .argument('<email>', 'the address the account signs in with (any case)')
    .addOption(new Option('--role <role>', 'the role to give').choices(['reader', 'moderator', 'admin']).makeOptionMandatory())
    .addOption(dbOption())
    .action(async (email: string, opts: { db?: string; role: 'reader' | 'moderator' | 'admin' }) => {
      const [{ checkEmailAddress }, { runUsersPromote }] = await Promise.all([import('../../core/email-address.js'), import('./users.command.js')]);
      const checked = checkEmailAddress(email);
      if (!checked.ok) throw new PaperboyError('INPUT_UNUSABLE', `users promote: ${JSON.stringify(email.slice(0, 300))} is not an email address: ${checked.problem}`);
      await withDatabase(opts.db, ({ accounts }) => runUsersPromote(accounts, checked.email, opts.role, io));
    });

  const models = program.command('models').description('sentence-transformer models for PAPERBOY_EMBEDDER=onnx (issue 12)');
  models
    .command('pull')
    .description('fetch a model\'s ONNX export and tokenizer from the Hugging Face hub (PAPERBOY_HF_ENDPOINT) into PAPERBOY_MODEL_DIR/<id>; again to resume or check')
    .argument('<id>', 'a Hugging Face model id with an ONNX export, e.g. BAAI/bge-small-en-v1.5 or sentence-transformers/all-MiniLM-L6-v2')
    .option('--revision <rev>', 'a branch, tag or commit of the model repository', 'main')
    .option('--json', 'print {"folder","files":[{"file","bytes","downloaded","resumedFrom"}]}')
    .action(async (id: string, opts: { revision?: string; json?: boolean }) => {
      const [{ loadConfig }, { runModelsPull }] = await Promise.all([import('../../config.js'), import('./models.command.js')]);
      exitCode = await runModelsPull(loadConfig(io.env), id, opts, io);
    });

  program
    .command('serve')
    .description('the web site, the API and the scheduled harvests')
    .option('--port <port>', 'HTTP port (default: PORT; 0 picks a free one)', (v) => portNumber(v))
    .option('--host <address>', 'address to listen on (default: HOST, ::, every interface; 127.0.0.1: this machine only)')
    .addOption(dbOption(true))
    .action(async (opts: { port?: number; host?: string; db?: string }) => {
      // --port stands for PORT, so that PUBLIC_URL's default follows it (0, any free port, can't);
      // --host for HOST, validated with it
      // --db for PAPERBOY_DATABASE_URL, so that the model folder's default follows it
      const env = {
        ...io.env,
        ...(opts.port ? { PORT: String(opts.port) } : {}),
        ...(opts.host !== undefined ? { HOST: opts.host } : {}),
        ...(opts.db ? { PAPERBOY_DATABASE_URL: opts.db } : {}),
      };
      const [{ loadConfig }, { runServe }] = await Promise.all([import('../../config.js'), import('./serve.command.js')]);
      const config = loadConfig(env);
      exitCode = await runServe(config, opts);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    err(`paperboy: ${e instanceof PaperboyError ? e.message : ((e as Error).stack ?? String(e))}`);
    return 2;
  }
}

export interface IngestOpts {
  format: 'auto' | 'kaggle' | 'arxiv-atom' | 'oai-pmh' | 'hf-daily';
  query?: string;
  maxResults?: number;
  db?: string;
  json?: boolean;
}

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new PaperboyError('CONFIG_INVALID', `--port: expected 0-65535, got "${v}"`);
  return n;
}

function nonNegativeInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new PaperboyError('CONFIG_INVALID', `${name}: expected a whole number ≥ 0, got "${v}"`);
  return n;
}

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new PaperboyError('CONFIG_INVALID', `${name}: expected a positive integer, got "${v}"`);
  return n;
}

function unitInterval(v: string, name: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n >= 0 && n <= 1)) throw new PaperboyError('CONFIG_INVALID', `${name}: expected a number from 0 to 1, got "${v}"`);
  return n;
}

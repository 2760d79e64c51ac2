/**
 * `paperboy doctor` (issue 14): checks what an operator would otherwise find out from a reader —
 * the settings, the database and its schema, whether the keyword index and the vectors keep up
 * with the papers, the harvests, the digests, and whether the SMTP server answers — and says what
 * to do about each problem. Changes nothing (it never migrates or creates a database). Exit 1
 * when a check failed; warnings (work that is behind) leave it 0.
 */
import { LATEST_SCHEMA_VERSION } from '../../adapters/db/migrations.js';
import type { Config } from '../../config.js';
import { databaseKind } from '../../core/database-url.js';
import type { OpenedDatabase } from '../../ports/paper-store.js';
import { embeddingLag, readOperations, type EmbeddingLag, type OperationsReading } from '../../services/operations.service.js';
import type { Io } from './main.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'off';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** what to do about it */
  fix?: string;
}

/** A harvest older than this is worth a look (arXiv announces nothing on weekends and holidays). */
const STALE_HARVEST_DAYS = 4;
/** How long the SMTP check waits for a connection and the greeting. */
const SMTP_TIMEOUT_MS = 5_000;

export async function runDoctor(dbOption: string | undefined, opts: { json?: boolean }, io: Io): Promise<number> {
  const checks = await diagnose(dbOption, io.env);
  if (opts.json) io.stdout.write(`${JSON.stringify({ ok: !checks.some((c) => c.status === 'fail'), checks })}\n`);
  else io.stdout.write(render(checks, io.stdout.isTTY === true));
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** Every check, in the order an operator would fix them; the later ones are skipped when an earlier one makes them meaningless. */
export async function diagnose(dbOption: string | undefined, env: Record<string, string | undefined>): Promise<Check[]> {
  const { loadConfig, SETTINGS } = await import('../../config.js');
  let config: Config;
  try {
    config = loadConfig({ ...env, ...(dbOption ? { PAPERBOY_DATABASE_URL: dbOption } : {}) });
  } catch (e) {
    return [
      {
        name: 'configuration',
        status: 'fail',
        detail: (e as Error).message,
        fix: 'set (or unset) the variables named, or their NAME_FILE; `paperboy config` lists every setting with its meaning. The other checks need a valid configuration',
      },
    ];
  }
  const checks: Check[] = [{ name: 'configuration', status: 'ok', detail: `${Object.keys(SETTINGS).length} settings, all valid` }];
  const db = config.PAPERBOY_DATABASE_URL;
  const opened = await openForDoctor(db, checks);
  if (opened) {
    try {
      if (await checkSchema(opened, db, checks)) await checkWork(opened, config, checks);
    } finally {
      await opened.store.close();
    }
  }
  checks.push(await checkSmtp(config));
  return checks;
}

async function openForDoctor(db: string, checks: Check[]): Promise<OpenedDatabase | null> {
  const { openDatabase } = await import('../../adapters/db/open-store.js');
  const where = describeDb(db);
  try {
    return await openDatabase(db, { brief: true });
  } catch (e) {
    checks.push({
      name: 'database',
      status: 'fail',
      detail: `${where}: ${(e as Error).message}`,
      fix:
        databaseKind(db) === 'postgres'
          ? 'check PAPERBOY_DATABASE_URL (host, port, database, user, password), that PostgreSQL runs there and accepts connections from this machine'
          : 'point PAPERBOY_DATABASE_URL (or --db) at the database file, or create one with `paperboy migrate` (serve creates it too)',
    });
    return null;
  }
}

/** The database answers with a schema this Paperboy knows and has brought up to date. */
async function checkSchema(opened: OpenedDatabase, db: string, checks: Check[]): Promise<boolean> {
  const where = `${opened.store.dialect} ${describeDb(db)}`;
  let stats;
  try {
    stats = await opened.store.stats();
  } catch (e) {
    checks.push({ name: 'database', status: 'fail', detail: `${where}: cannot be read: ${(e as Error).message}`, fix: 'is it a Paperboy database? `paperboy migrate --db …` makes a new one' });
    return false;
  }
  const v = stats.schemaVersion;
  if (v < LATEST_SCHEMA_VERSION) {
    checks.push({
      name: 'database',
      status: 'fail',
      detail: `${where}: schema version ${v}, this Paperboy needs ${LATEST_SCHEMA_VERSION}`,
      fix: 'run `paperboy migrate` (serve also migrates when it starts); take a backup first',
    });
    return false;
  }
  if (v > LATEST_SCHEMA_VERSION) {
    checks.push({
      name: 'database',
      status: 'fail',
      detail: `${where}: schema version ${v}, written by a newer Paperboy (this one knows up to ${LATEST_SCHEMA_VERSION})`,
      fix: 'upgrade Paperboy to the release that wrote it; this one refuses to start on it',
    });
    return false;
  }
  checks.push({ name: 'database', status: 'ok', detail: `${where}, schema version ${v} (current), ${stats.papers} papers` });
  return true;
}

/** Whether the derived data, the harvests and the digests keep up. */
async function checkWork(opened: OpenedDatabase, config: Config, checks: Check[]): Promise<void> {
  let r: OperationsReading;
  let lag: EmbeddingLag | null;
  try {
    // a one-off command: it may count every paper's vector, as serve's scrapes may not
    [r, lag] = await Promise.all([readOperations(opened), config.PAPERBOY_EMBEDDER === 'none' ? null : embeddingLag(opened.vectors)]);
  } catch (e) {
    checks.push({ name: 'search index', status: 'fail', detail: `cannot be read: ${(e as Error).message}` });
    return;
  }
  checks.push(
    r.searchBacklog === 0
      ? { name: 'search index', status: 'ok', detail: 'every paper is searchable' }
      : {
          name: 'search index',
          status: 'warn',
          detail: `${r.searchBacklog} papers are stored but not searchable yet`,
          fix: 'run `paperboy index` (serve catches up at start and after each harvest; a harvest in progress explains a few)',
        },
  );
  checks.push(embeddingCheck(lag, config));
  checks.push(harvestCheck(r, config));
  checks.push(digestCheck(r, config));
}

function embeddingCheck(e: EmbeddingLag | null, config: Config): Check {
  const name = 'vectors';
  if (config.PAPERBOY_EMBEDDER === 'none') return { name, status: 'off', detail: 'PAPERBOY_EMBEDDER=none: search by words only' };
  if (!e)
    return {
      name,
      status: 'warn',
      detail: 'no embeddings yet: search answers by keywords only',
      fix: 'run `paperboy embeddings train` (serve learns the built-in model by itself once the store holds 200 papers)',
    };
  const { missing } = e;
  if (missing === 0 && e.complete) return { name, status: 'ok', detail: `every paper has its vector from ${e.embedder}` };
  return {
    name,
    status: 'warn',
    detail: `${missing} ${missing === 1 ? 'paper waits' : 'papers wait'} for a current vector from ${e.embedder}${e.complete ? '' : ' (not complete yet: search by meaning uses an older embedder, or none)'}`,
    fix: 'serve embeds new papers after each harvest; `paperboy index` does it now (`paperboy embeddings train` to learn a new model first)',
  };
}

function harvestCheck(r: OperationsReading, config: Config): Check {
  const name = 'harvests';
  const configured = config.PAPERBOY_SOURCES;
  if (configured.length === 0) return { name, status: 'off', detail: 'PAPERBOY_SOURCES is empty' };
  const last = new Map(r.harvests.map((h) => [h.source, Date.parse(h.at)]));
  const never = configured.filter((s) => !last.has(s));
  const days = (s: string) => (Date.now() - last.get(s)!) / 86_400_000;
  const stale = configured.filter((s) => last.has(s) && days(s) > STALE_HARVEST_DAYS);
  const problems = [
    ...never.map((s) => `${s} has never harvested`),
    ...stale.map((s) => `${s} last stored a page ${Math.floor(days(s))} days ago`),
  ];
  if (problems.length === 0)
    return { name, status: 'ok', detail: configured.map((s) => `${s} ${new Date(last.get(s)!).toISOString().slice(0, 16).replace('T', ' ')} UTC`).join(', ') };
  return {
    name,
    status: 'warn',
    detail: problems.join('; '),
    fix: `run \`paperboy harvest${problems.length === 1 ? ` --source ${[...never, ...stale][0]!}` : ''}\` to see what it says, or keep \`paperboy serve\` running (PAPERBOY_HARVEST_SCHEDULE); serve's log has a "harvest" line per run`,
  };
}

function digestCheck(r: OperationsReading, config: Config): Check {
  const name = 'digests';
  const { queued, sending, failed } = r.outbox;
  if (config.SMTP_URL === '' && queued + sending > 0)
    return { name, status: 'warn', detail: `${queued + sending} digests wait in the outbox, and SMTP_URL is not set`, fix: 'set SMTP_URL and MAIL_FROM: serve sends them' };
  if (failed > 0)
    return {
      name,
      status: 'warn',
      detail: `${failed} digests failed for good (${queued} queued, ${sending} being sent)`,
      fix: '`paperboy subscribers export` shows each message\'s last error; bounced addresses are stopped by themselves',
    };
  return { name, status: 'ok', detail: `${queued} queued, ${sending} being sent, none failed` };
}

async function checkSmtp(config: Config): Promise<Check> {
  const name = 'smtp';
  if (config.SMTP_URL === '') return { name, status: 'off', detail: 'SMTP_URL is not set: no email is sent (digests, subscription and sign-in links)' };
  const [{ createSmtpMailer, parseSmtpUrl }, { redact }] = await Promise.all([import('../../adapters/mail/smtp.mailer.js'), import('../../config.js')]);
  const { host, port } = parseSmtpUrl(config.SMTP_URL);
  const where = `${redact(config.SMTP_URL)} (${host}:${port})`;
  const mailer = createSmtpMailer({ url: config.SMTP_URL, concurrency: 1, ratePerSecond: 0, timeoutMs: SMTP_TIMEOUT_MS });
  try {
    await mailer.verify();
    return { name, status: 'ok', detail: `${where} answers and accepts this sender` };
  } catch (e) {
    return {
      name,
      status: 'fail',
      detail: `${where}: ${(e as Error).message}`,
      fix: 'check SMTP_URL (host, port, user and password; smtps:// for TLS from the start, usually port 465), that the server runs and that this machine may connect to it',
    };
  } finally {
    await mailer.close();
  }
}

/** A SQLite path as is; a PostgreSQL URL without its password. */
function describeDb(db: string): string {
  if (databaseKind(db) !== 'postgres') return db;
  try {
    const u = new URL(db);
    u.password = u.password ? '***' : '';
    return u.toString();
  } catch {
    return 'the PostgreSQL database';
  }
}

const LABEL: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', off: 'off ' };
const COLOUR: Record<CheckStatus, string> = { ok: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', off: '\x1b[2m' };

/** One line per check and one per fix; colours on a terminal only. */
export function render(checks: readonly Check[], tty: boolean): string {
  const paint = (s: CheckStatus, text: string) => (tty ? `${COLOUR[s]}${text}\x1b[0m` : text);
  const lines = checks.flatMap((c) => [`${paint(c.status, LABEL[c.status])}  ${c.name}: ${c.detail.replace(/\n/g, '\n        ')}`, ...(c.fix ? [`        fix: ${c.fix}`] : [])]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(failed + warned === 0 ? 'doctor: nothing to fix' : `doctor: ${plural(failed, 'problem')}, ${plural(warned, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

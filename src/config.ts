/**
 * Every setting Paperboy reads, in one validated table: name, default, meaning, and whether it
 * is a secret. Read once at start (loadConfig), passed down; nothing else reads process.env.
 * Any setting may instead be given as NAME_FILE, the path of a file holding the value (for
 * container secrets).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isIP } from 'node:net';
import * as z from 'zod';
import { databaseKind } from './core/database-url.js';
import { checkEmailAddress } from './core/email-address.js';
import { PaperboyError } from './core/errors.js';

const list = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter((x) => x !== ''));
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((s) => ['true', '1', 'yes'].includes(s));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.url({ protocol: /^https?$/ });
const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'a cron expression of 5 or 6 fields, e.g. "0 2 * * *"');

// UTC, the default, is valid in every ICU (ECMA-402 requires it): checking it would load ICU's
// date formats, ~35 ms of every command's start (decision 014)
const timeZone = z.string().refine((tz) => {
  if (tz === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as UTC or Europe/Berlin');

/** The address ranges proxy-addr (Fastify's trustProxy) knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, an address/prefix-length (CIDR) or a named range, as Fastify's trustProxy takes it. */
function isProxyAddress(s: string): boolean {
  if (NAMED_RANGES.has(s)) return true;
  const slash = s.indexOf('/');
  if (slash < 0) return isIP(s) !== 0;
  const family = isIP(s.slice(0, slash));
  const prefix = s.slice(slash + 1);
  return family !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies in front may say who the client is (X-Forwarded-For): none (false), every one
 * (true), the nearest n hops, or those at these addresses. "1" is a hop count, not true.
 */
const trustProxy = z.string().transform((raw, ctx): boolean | number | string[] => {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^\d+$/.test(s)) {
    const hops = Number(s);
    if (hops <= 100) return hops === 0 ? false : hops;
    ctx.addIssue({ code: 'custom', message: 'a hop count is at most 100' });
    return z.NEVER;
  }
  const addresses = s.split(/[\s,]+/).filter((x) => x !== '');
  const bad = addresses.filter((a) => !isProxyAddress(a));
  if (addresses.length > 0 && bad.length === 0) return addresses;
  ctx.addIssue({
    code: 'custom',
    message: `${bad.length > 0 ? `not an address or CIDR range: ${bad.join(', ')}; ` : ''}expected true, false, a hop count, or proxy addresses/CIDR ranges separated by commas (e.g. "127.0.0.1,10.0.0.0/8")`,
  });
  return z.NEVER;
});

/**
 * An IP address, or a host name (RFC 1123 labels) that resolves to this machine's, such as localhost.
 * '::', the default, is an address by definition: the first isIP of an IPv6 address compiles Node's
 * IPv6 pattern, ~15 ms of every command's start (decision 014).
 */
const host = z
  .string()
  .refine(
    (s) => s === '::' || isIP(s) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(s),
    'an IP address (127.0.0.1, ::1; :: or 0.0.0.0 for every interface) or a host name such as localhost',
  );

/** Empty (mail off) or smtp://user:password@host:port (STARTTLS when offered) or smtps:// (TLS at once). */
const smtpUrl = z.string().refine((s) => {
  if (s === '') return true;
  try {
    const u = new URL(s);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'smtp://user:password@host:587 or smtps://user:password@host:465 (empty: no mail)');

/** "digest@papers.example.org" or "Paperboy <digest@papers.example.org>": one address, one line. */
const mailFrom = z.string().superRefine((s, ctx) => {
  if (s === '') return;
  // eslint-disable-next-line no-control-regex -- a From header with a line break would be a header of its own
  if (/[\u0000-\u001F\u007F]/.test(s)) return void ctx.addIssue({ code: 'custom', message: 'holds a line break or control character' });
  const named = /^([^<>"]*)<([^<>]+)>$/.exec(s.trim());
  const r = checkEmailAddress(named ? named[2]! : s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `an address, or "Name <address>": ${r.problem}` });
});

/** A secret made of enough characters that it cannot be guessed. */
const longSecret = (min: number) => z.union([z.literal(''), z.string().min(min, `at least ${min} characters (e.g. \`openssl rand -base64 32\`)`)]);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM, e.g. 07:30');

interface Setting {
  schema: z.ZodType;
  /** as `paperboy config` shows it */
  default: string;
  /** a default made from the settings listed before this one (which are parsed by then) */
  defaultFrom?: (earlier: Readonly<Record<string, unknown>>) => string;
  help: string;
  /** true: a URL, shown without its password (a file path is shown); 'whole': never shown */
  secret?: boolean | 'whole';
}

export const SETTINGS = {
  PAPERBOY_DATABASE_URL: {
    schema: z
      .string()
      .min(1)
      .superRefine((db, ctx) => {
        try {
          databaseKind(db);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }),
    default: './data/paperboy.db',
    help: 'SQLite file path, or a postgres:// URL to use PostgreSQL (the --db option overrides it)',
    secret: true,
  },
  PAPERBOY_VECTOR_CACHE_DIR: {
    schema: z.string().min(1),
    default: './data/vector-cache',
    help: 'with PostgreSQL: where each node keeps its vector index files, rebuilt from the database when missing (on SQLite they sit beside the file, in <db>.vectors/)',
  },
  PORT: { schema: int(1, 65535), default: '3000', help: 'HTTP port of `paperboy serve`' },
  HOST: {
    schema: host,
    default: '::',
    help: 'the address `paperboy serve` listens on: :: is every interface, IPv6 and IPv4 (IPv4 alone where IPv6 is off); 127.0.0.1 only this machine',
  },
  PUBLIC_URL: {
    schema: url,
    // the links in pages, feeds and the API must reach this server when nothing else is said
    default: 'http://localhost:$PORT',
    defaultFrom: (earlier) => `http://localhost:${String(earlier.PORT)}`,
    help: 'the address readers reach the site at (links in feeds, the API and canonical URLs)',
  },
  PAPERBOY_SOURCES: {
    schema: list.pipe(z.array(z.enum(['arxiv', 'hf-daily']))),
    default: 'arxiv hf-daily',
    help: 'what `harvest` follows: arxiv (OAI-PMH), hf-daily (Hugging Face daily papers), or both',
  },
  PAPERBOY_ARXIV_CATEGORIES: {
    schema: list.pipe(z.array(z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'an arXiv category such as cs.CL'))),
    default: 'cs.AI cs.CL cs.CV cs.LG stat.ML',
    help: 'arXiv categories to harvest (space or comma separated); empty keeps every category of the sets',
  },
  PAPERBOY_ARXIV_SETS: {
    schema: list,
    default: '',
    help: 'OAI-PMH sets to harvest (e.g. "cs physics:hep-th"); by default derived from the categories',
  },
  PAPERBOY_ARXIV_OAI_URL: { schema: url, default: 'https://oaipmh.arxiv.org/oai', help: 'arXiv OAI-PMH endpoint' },
  PAPERBOY_ARXIV_API_URL: { schema: url, default: 'https://export.arxiv.org/api/query', help: 'arXiv API endpoint' },
  PAPERBOY_ARXIV_METADATA_PREFIX: {
    schema: z.enum(['arXivRaw', 'arXiv', 'oai_dc']),
    default: 'arXivRaw',
    help: 'OAI-PMH metadata format (arXivRaw carries the version history)',
  },
  PAPERBOY_HF_URL: { schema: url, default: 'https://huggingface.co', help: 'Hugging Face base URL' },
  PAPERBOY_HARVEST_SCHEDULE: {
    schema: cron,
    default: '0 2 * * *',
    help: 'when `serve` harvests (cron, in PAPERBOY_TIMEZONE); arXiv announces at 20:00 US Eastern, 00:00-01:00 UTC',
  },
  PAPERBOY_TIMEZONE: { schema: timeZone, default: 'UTC', help: 'time zone of the schedule and of "today"' },
  PAPERBOY_HARVEST_BACKFILL_DAYS: {
    schema: int(0, 3650),
    default: '3',
    help: 'how many days back the very first harvest starts',
  },
  PAPERBOY_HARVEST_RETRY_MINUTES: {
    schema: int(1, 1440),
    default: '15',
    help: 'first delay before a failed source is tried again (doubles up to the next scheduled run)',
  },
  PAPERBOY_ARXIV_INTERVAL_MS: {
    schema: int(0, 600_000),
    default: '3000',
    help: 'pause between two requests to arXiv (arXiv asks for at least 3 s)',
  },
  PAPERBOY_HF_INTERVAL_MS: { schema: int(0, 600_000), default: '1000', help: 'pause between two requests to Hugging Face' },
  PAPERBOY_HTTP_MAX_RETRIES: { schema: int(0, 20), default: '5', help: 'retries of a failed request before the source is marked failed' },
  PAPERBOY_HTTP_TIMEOUT_MS: { schema: int(1000, 600_000), default: '60000', help: 'timeout of one request' },
  PAPERBOY_MAX_RETRY_AFTER_MS: {
    schema: int(0, 86_400_000),
    default: '600000',
    help: 'longest Retry-After honoured before giving up until the next run',
  },
  PAPERBOY_CONTACT_EMAIL: {
    schema: z.union([z.literal(''), z.email()]),
    default: '',
    help: 'contact address sent in the User-Agent to arXiv and Hugging Face, as arXiv asks',
  },
  PAPERBOY_DEMO_DATA: { schema: bool, default: 'true', help: 'load the bundled demo papers into a new, empty database' },
  PAPERBOY_PAGES_AHEAD: {
    schema: bool,
    default: 'true',
    help: 'render paper pages ahead of reading and keep them in the database (~4 kB a paper), so that any paper page is served as fast as a cached one',
  },
  PAPERBOY_API_RATE_LIMIT: {
    schema: int(0, 1_000_000),
    default: '120',
    help: 'requests per minute one client address may make to /api (per web node); 0 turns the limit off',
  },
  PAPERBOY_SEARCH_RATE_LIMIT: {
    schema: int(0, 1_000_000),
    default: '60',
    help: 'requests per minute one client address may make to /search and /feeds/search.* (per web node); 0 turns the limit off',
  },
  PAPERBOY_SUBSCRIBE_RATE_LIMIT: {
    schema: int(0, 1_000_000),
    default: '20',
    help: 'subscribe-form posts an hour one client address may make (per web node; each address also gets at most 3 emails an hour from the form); 0 turns the limit off',
  },
  PAPERBOY_SIGNIN_RATE_LIMIT: {
    schema: int(0, 1_000_000),
    default: '20',
    help: 'sign-in link requests an hour one client address may make, and as many passkey sign-in attempts (per web node; each address also gets at most 5 sign-in emails an hour); 0 turns the limit off',
  },
  PAPERBOY_SUBMISSIONS_PER_DAY: {
    schema: int(0, 10_000),
    default: '10',
    help: 'papers one account may submit in 24 hours (the submit page and POST /api/v1/submissions); each new paper costs one arXiv API call; 0 turns submitting off',
  },
  PAPERBOY_VOTE_RATE_LIMIT: {
    schema: int(0, 1_000_000),
    default: '60',
    help: 'votes, and comment forms, one signed-in account may send a minute (per web node; the API\'s votes too); 0 turns the limit off',
  },
  PAPERBOY_COMMENT_RATE_LIMIT: {
    schema: int(0, 1_000_000),
    default: '60',
    help: 'comment forms (post, reply, edit, delete, report) one client address may send an hour (per web node; each account has its own limits besides, tighter for new accounts); 0 turns the limit off',
  },
  PAPERBOY_QUERY_TIMEOUT_MS: {
    schema: int(50, 600_000),
    default: '3000',
    help: 'longest a page, feed or API request may spend in the database before it is stopped and answered 503 QUERY_TIMEOUT (`serve`)',
  },
  PAPERBOY_READ_WORKERS: {
    schema: int(0, 64),
    default: '0',
    help: 'worker threads `serve` reads the database on (listings, search, feeds), each with its own connection; 0: one for listings and pages, and one per core for searches',
  },
  PAPERBOY_TRUST_PROXY: {
    schema: trustProxy,
    default: 'false',
    help:
      'behind a reverse proxy, whom to believe about the client address (X-Forwarded-For; the /api rate-limit key): false, ' +
      'proxy addresses/CIDR ranges, comma separated (safest), a hop count (if clients cannot bypass the proxies), or true (any sender)',
  },
  SMTP_URL: {
    schema: smtpUrl,
    default: '',
    help: 'where email goes: smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465; empty: no email (the site runs, subscribing says mail is off)',
    secret: true,
  },
  MAIL_FROM: { schema: mailFrom, default: '', help: 'the From of every email: "Paperboy <digest@papers.example.org>" (needed with SMTP_URL)' },
  PAPERBOY_DKIM_DOMAIN: {
    schema: z.union([z.literal(''), host]),
    default: '',
    help: 'DKIM signing domain (d=); the three DKIM settings go together or not at all',
  },
  PAPERBOY_DKIM_SELECTOR: {
    schema: z.union([z.literal(''), z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'a DNS label such as mail2026')]),
    default: '',
    help: 'DKIM selector (s=): the key is published at <selector>._domainkey.<domain>',
  },
  PAPERBOY_DKIM_KEY_FILE: { schema: z.string(), default: '', help: 'path of the DKIM private key (PEM, RSA or Ed25519), read at start' },
  PAPERBOY_MAIL_CONCURRENCY: { schema: int(1, 100), default: '4', help: 'SMTP connections kept open while sending digests' },
  PAPERBOY_MAIL_RATE: { schema: int(0, 100_000), default: '20', help: 'most emails sent a second (all connections together); 0: no limit' },
  PAPERBOY_SECRET: {
    schema: longSecret(32),
    default: '',
    help: 'signs the links in emails (confirm, preferences, unsubscribe); empty: a key made once and kept in the database',
    secret: 'whole',
  },
  PAPERBOY_MAIL_HOOK_TOKEN: {
    schema: longSecret(24),
    default: '',
    help: 'bearer token of POST /hooks/mail (bounces and complaints from the mail provider); empty: the hook is off',
    secret: 'whole',
  },
  PAPERBOY_DIGEST_TIME: { schema: hhmm, default: '07:00', help: 'when `serve` sends the day\'s digests (HH:MM in PAPERBOY_TIMEZONE), besides after each harvest' },
  PAPERBOY_DIGEST_SIZE: { schema: int(1, 100), default: '10', help: 'papers in a trending digest' },
  PAPERBOY_FOLLOW_SECONDS: {
    schema: int(1, 3600),
    default: '60',
    help: 'how often serve looks for papers another process stored (a `paperboy harvest` or `ingest` beside it) and embeds them, then brings their similar papers and pages up to date',
  },
  PAPERBOY_JOB_LEASE_SECONDS: {
    schema: int(5, 3600),
    default: '300',
    help: 'how long a node holds a background job (harvest, embeddings, related papers, pages ahead, digests) unless it renews it (every third of that): a node that dies leaves its job to another after at most this long',
  },
  PAPERBOY_MAIL_CLAIM_SECONDS: {
    schema: int(1, 86_400),
    default: '120',
    help: 'how long a digest sender holds the messages it claimed: one left unsent that long (its sender died) is sent by another, with the same Message-ID',
  },
  PAPERBOY_LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    help: 'what `serve` logs, as JSON lines on stderr (pino): info is one line per request and per job run (harvest, index, embeddings, digests), warn and error only problems, debug more; silent nothing',
  },
  PAPERBOY_METRICS_TOKEN: {
    schema: longSecret(24),
    default: '',
    help: 'bearer token of GET /metrics (Prometheus text format) on the site\'s port, and on PAPERBOY_METRICS_PORT when set; with neither set, /metrics answers 404',
    secret: 'whole',
  },
  PAPERBOY_METRICS_PORT: {
    schema: int(0, 65535),
    default: '0',
    help: 'a port of its own for GET /metrics, on HOST, to keep away from the public (a firewall, a private interface); 0: none',
  },
  PAPERBOY_EMBEDDER: {
    schema: z.enum(['builtin', 'onnx', 'openai', 'none']),
    default: 'builtin',
    help: 'what turns text into vectors: builtin (learnt from the papers in the store, nothing downloaded), onnx (a sentence-transformer run locally, PAPERBOY_ONNX_MODEL), openai (an OpenAI-compatible /v1/embeddings endpoint, PAPERBOY_EMBEDDINGS_URL) or none (search by words only: nothing is trained or embedded)',
  },
  PAPERBOY_MODEL_DIR: {
    schema: z.string().min(1),
    default: '<data dir>/models',
    // beside the SQLite file; with PostgreSQL, ./data/models
    defaultFrom: (earlier) => {
      const db = String(earlier.PAPERBOY_DATABASE_URL ?? '');
      return join(databaseKind(db) === 'sqlite' ? dirname(db) : './data', 'models');
    },
    help: 'where `paperboy models pull` puts models and where PAPERBOY_ONNX_MODEL is looked for',
  },
  PAPERBOY_HF_ENDPOINT: {
    schema: url,
    default: 'https://huggingface.co',
    help: 'where `paperboy models pull` fetches models from: the Hugging Face hub, or a mirror that answers <endpoint>/<id>/resolve/main/<file>',
  },
  PAPERBOY_ONNX_MODEL: {
    schema: z.string(),
    default: '',
    help: 'with PAPERBOY_EMBEDDER=onnx: a model folder (model.onnx or onnx/model.onnx, tokenizer.json, config.json), or a Hugging Face id pulled into PAPERBOY_MODEL_DIR (e.g. BAAI/bge-small-en-v1.5)',
  },
  PAPERBOY_EMBEDDINGS_URL: {
    schema: z.union([z.literal(''), url]),
    default: '',
    help: 'with PAPERBOY_EMBEDDER=openai: the endpoint\'s base URL, /v1/embeddings is appended (e.g. http://127.0.0.1:11434 for Ollama, https://api.openai.com)',
    secret: true,
  },
  PAPERBOY_EMBEDDINGS_MODEL: { schema: z.string(), default: '', help: 'with PAPERBOY_EMBEDDER=openai: the model name sent (e.g. nomic-embed-text, text-embedding-3-small)' },
  PAPERBOY_EMBEDDINGS_API_KEY: {
    schema: z.string(),
    default: '',
    help: 'with PAPERBOY_EMBEDDER=openai: sent as "Authorization: Bearer <key>"; empty: no header',
    secret: 'whole',
  },
  PAPERBOY_EMBEDDINGS_DIMENSIONS: {
    schema: int(0, 65_536),
    default: '0',
    help: 'with PAPERBOY_EMBEDDER=openai: the vector length the endpoint returns, checked on every answer; 0: asked of the endpoint once at start',
  },
  PAPERBOY_EMBEDDINGS_QUERY_PREFIX: {
    schema: z.string(),
    default: '',
    help: 'put before every search query embedded (onnx, openai); empty: the model\'s own (bge: "Represent this sentence for searching relevant passages: ")',
  },
  PAPERBOY_EMBEDDINGS_DOCUMENT_PREFIX: {
    schema: z.string(),
    default: '',
    help: 'put before every paper embedded (onnx, openai; e.g. "search_document: " for nomic-embed-text)',
  },
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
export type Config = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

/** Reads and validates every setting; throws CONFIG_INVALID naming each bad one. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, s] of Object.entries(SETTINGS) as [SettingName, Setting][]) {
    const raw = rawValue(env, name, problems) ?? (s.defaultFrom ? s.defaultFrom(out) : s.default);
    const r = s.schema.safeParse(raw);
    if (r.success) out[name] = r.data;
    else problems.push(`${name}=${s.secret ? '(secret)' : JSON.stringify(raw)}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  const config = out as Config;
  if (problems.length === 0) {
    checkPoliteness(config, problems);
    checkMail(config, problems);
    checkEmbedder(config, problems);
    if (config.PAPERBOY_METRICS_PORT !== 0 && config.PAPERBOY_METRICS_PORT === config.PORT)
      problems.push(`PAPERBOY_METRICS_PORT=${config.PAPERBOY_METRICS_PORT}: the site's PORT; choose another port, or 0 and PAPERBOY_METRICS_TOKEN to serve /metrics on the site's`);
  }
  if (problems.length > 0) throw new PaperboyError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

function rawValue(env: Record<string, string | undefined>, name: string, problems: string[]): string | undefined {
  const file = env[`${name}_FILE`];
  if (file !== undefined && file !== '') {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (e) {
      problems.push(`${name}_FILE=${file}: ${(e as Error).message}`);
      return undefined;
    }
  }
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** arXiv's terms ask for ≥ 3 s between calls: refuse less when talking to arXiv itself. */
function checkPoliteness(c: Config, problems: string[]): void {
  const arxivHosts = [c.PAPERBOY_ARXIV_OAI_URL, c.PAPERBOY_ARXIV_API_URL].some((u) => new URL(u).hostname.endsWith('arxiv.org'));
  if (arxivHosts && c.PAPERBOY_ARXIV_INTERVAL_MS < 3000)
    problems.push(`PAPERBOY_ARXIV_INTERVAL_MS=${c.PAPERBOY_ARXIV_INTERVAL_MS}: arXiv asks for at least 3000 ms between requests`);
}

/** Mail needs a From; DKIM needs its domain, selector and a readable private key together. */
function checkMail(c: Config, problems: string[]): void {
  if (c.SMTP_URL !== '' && c.MAIL_FROM === '') problems.push('MAIL_FROM: needed when SMTP_URL is set (e.g. "Paperboy <digest@papers.example.org>")');
  const dkim = { PAPERBOY_DKIM_DOMAIN: c.PAPERBOY_DKIM_DOMAIN, PAPERBOY_DKIM_SELECTOR: c.PAPERBOY_DKIM_SELECTOR, PAPERBOY_DKIM_KEY_FILE: c.PAPERBOY_DKIM_KEY_FILE };
  const set = Object.entries(dkim).filter(([, v]) => v !== '');
  if (set.length > 0 && set.length < 3)
    problems.push(`${Object.keys(dkim).filter((k) => dkim[k as keyof typeof dkim] === '').join(', ')}: DKIM needs all three of domain, selector and key file, or none`);
  if (c.PAPERBOY_DKIM_KEY_FILE === '') return;
  let pem: string;
  try {
    pem = readFileSync(c.PAPERBOY_DKIM_KEY_FILE, 'utf8');
  } catch (e) {
    return void problems.push(`PAPERBOY_DKIM_KEY_FILE=${c.PAPERBOY_DKIM_KEY_FILE}: cannot be read: ${(e as Error).message}`);
  }
  try {
    createPrivateKey(pem);
  } catch {
    problems.push(`PAPERBOY_DKIM_KEY_FILE=${c.PAPERBOY_DKIM_KEY_FILE}: not a PEM private key (-----BEGIN PRIVATE KEY----- …)`);
  }
}

/** The embedder chosen has what it needs. */
function checkEmbedder(c: Config, problems: string[]): void {
  if (c.PAPERBOY_EMBEDDER === 'onnx' && c.PAPERBOY_ONNX_MODEL === '')
    problems.push('PAPERBOY_ONNX_MODEL: needed when PAPERBOY_EMBEDDER=onnx (a model folder, or a Hugging Face id pulled with `paperboy models pull <id>`)');
  if (c.PAPERBOY_EMBEDDER === 'openai') {
    if (c.PAPERBOY_EMBEDDINGS_URL === '') problems.push('PAPERBOY_EMBEDDINGS_URL: needed when PAPERBOY_EMBEDDER=openai (e.g. http://127.0.0.1:11434)');
    if (c.PAPERBOY_EMBEDDINGS_MODEL === '') problems.push('PAPERBOY_EMBEDDINGS_MODEL: needed when PAPERBOY_EMBEDDER=openai (e.g. nomic-embed-text)');
  }
}

/** Whether email can be sent: without SMTP_URL the site runs and says mail is off. */
export function mailEnabled(c: Pick<Config, 'SMTP_URL'>): boolean {
  return c.SMTP_URL !== '';
}

/** The settings as `paperboy config` shows them, secrets redacted (a URL keeps all but its password). */
export function describeConfig(c: Config): { name: string; value: string; default: string; help: string }[] {
  return (Object.entries(SETTINGS) as [SettingName, Setting][]).map(([name, s]) => {
    const v = c[name];
    const text = Array.isArray(v) ? v.join(' ') : String(v);
    const value = s.secret === 'whole' ? (text === '' ? '' : '***') : s.secret ? redact(text) : text;
    return { name, value, default: s.default, help: s.help };
  });
}

export function redact(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value; // a file path: nothing secret in it
  }
}

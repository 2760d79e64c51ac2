/**
 * Every setting Paperboy reads, in one validated table: name, default, meaning, and whether it
 * is a secret. Read once at start (loadConfig), passed down; nothing else reads process.env.
 * Any setting may instead be given as NAME_FILE, the path of a file holding the value (for
 * container secrets).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { databaseKind } from './core/database-url.js';
import { PaperboyError } from './core/errors.js';

const list = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter((x) => x !== ''));
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((s) => ['true', '1', 'yes'].includes(s));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.url({ protocol: /^https?$/ });
const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'a cron expression of 5 or 6 fields, e.g. "0 2 * * *"');

const timeZone = z.string().refine((tz) => {
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

/** An IP address, or a host name (RFC 1123 labels) that resolves to this machine's, such as localhost. */
const host = z
  .string()
  .refine(
    (s) => isIP(s) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(s),
    'an IP address (127.0.0.1, ::1; :: or 0.0.0.0 for every interface) or a host name such as localhost',
  );

interface Setting {
  schema: z.ZodType;
  /** as `paperboy config` shows it */
  default: string;
  /** a default made from the settings listed before this one (which are parsed by then) */
  defaultFrom?: (earlier: Readonly<Record<string, unknown>>) => string;
  help: string;
  secret?: boolean;
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
  PAPERBOY_QUERY_TIMEOUT_MS: {
    schema: int(50, 600_000),
    default: '3000',
    help: 'longest a page, feed or API request may spend in the database before it is stopped and answered 503 QUERY_TIMEOUT (`serve`)',
  },
  PAPERBOY_READ_WORKERS: {
    schema: int(0, 64),
    default: '0',
    help: 'worker threads `serve` reads the database on (listings, search, feeds), each with its own connection; 0: one per core, at least 2',
  },
  PAPERBOY_TRUST_PROXY: {
    schema: trustProxy,
    default: 'false',
    help:
      'behind a reverse proxy, whom to believe about the client address (X-Forwarded-For; the /api rate-limit key): false, ' +
      'proxy addresses/CIDR ranges, comma separated (safest), a hop count (if clients cannot bypass the proxies), or true (any sender)',
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
  if (problems.length === 0) checkPoliteness(config, problems);
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

/** The settings as `paperboy config` shows them, secrets redacted (a URL keeps all but its password). */
export function describeConfig(c: Config): { name: string; value: string; default: string; help: string }[] {
  return (Object.entries(SETTINGS) as [SettingName, Setting][]).map(([name, s]) => {
    const v = c[name];
    const text = Array.isArray(v) ? v.join(' ') : String(v);
    return { name, value: s.secret ? redact(text) : text, default: s.default, help: s.help };
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

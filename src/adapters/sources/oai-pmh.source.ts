/**
 * arXiv's OAI-PMH interface as a resumable harvest source: ListRecords per set, page by page
 * along resumption tokens, then incrementally with `from` = the latest datestamp seen.
 *
 * Since the March 2025 rewrite the base URL is https://oaipmh.arxiv.org/oai (export.arxiv.org/oai2
 * redirects there), resumption tokens expire daily and no longer carry cursor or list size, and
 * sets follow group:archive:CATEGORY (cs:cs:CL, physics:hep-th, physics:astro-ph:CO) while the
 * older set names (cs, stat, physics:hep-th) stay valid. See info.arxiv.org/help/oa.
 */
import * as z from 'zod';
import { PaperboyError } from '../../core/errors.js';
import type { PaperRecord } from '../../core/paper.js';
import type { HarvestPage, HarvestSource } from '../../ports/source.js';
import type { PoliteHttpClient } from '../http/polite-client.js';
import { parseOaiPmh, type OaiPage } from './oai-pmh.parser.js';

export const ARXIV_OAI_URL = 'https://oaipmh.arxiv.org/oai';

export type OaiMetadataPrefix = 'arXivRaw' | 'arXiv' | 'oai_dc';

export interface OaiPmhSourceOptions {
  name: string;
  baseUrl?: string;
  /** arXivRaw (default) carries the version history */
  metadataPrefix?: OaiMetadataPrefix;
  /** OAI setSpecs, e.g. "cs", "stat", "physics:hep-th"; see setsForCategories */
  sets: string[];
  /** keep only records with one of these categories (deleted records always pass); null keeps all */
  categories: string[] | null;
  /** YYYY-MM-DD for a set's very first harvest; null harvests the set's whole history */
  initialFrom: string | null;
  http: PoliteHttpClient;
}

/** Where one set stands. */
export interface OaiSetCursor {
  /** inclusive `from` of the current pass (re-fetching that day is harmless: ingest is idempotent) */
  from: string | null;
  /** set while a pass is under way: the next page */
  resumptionToken: string | null;
  /** the latest datestamp seen so far in a pass under way, so a resumed pass still advances `from` fully */
  latestDatestamp?: string | null;
}

export interface OaiPmhCursor {
  sets: Record<string, OaiSetCursor>;
}

const cursorSchema = z.object({
  sets: z.record(
    z.string(),
    z.object({
      from: z.string().nullable(),
      resumptionToken: z.string().nullable(),
      latestDatestamp: z.string().nullable().optional(),
    }),
  ),
});

export class OaiPmhSource implements HarvestSource {
  readonly name: string;
  private readonly baseUrl: string;
  private readonly prefix: OaiMetadataPrefix;
  private readonly wanted: Set<string> | null;

  constructor(private readonly opts: OaiPmhSourceOptions) {
    if (opts.sets.length === 0) throw new PaperboyError('CONFIG_INVALID', `${opts.name}: no OAI-PMH set to harvest`);
    this.name = opts.name;
    this.baseUrl = opts.baseUrl ?? ARXIV_OAI_URL;
    this.prefix = opts.metadataPrefix ?? 'arXivRaw';
    this.wanted = opts.categories && opts.categories.length > 0 ? new Set(opts.categories) : null;
  }

  async *pages(cursor: unknown, signal?: AbortSignal): AsyncIterable<HarvestPage> {
    const state = this.readCursor(cursor);
    for (const set of [...new Set(this.opts.sets)]) {
      state.sets[set] ??= { from: this.opts.initialFrom, resumptionToken: null };
      yield* this.harvestSet(set, state, signal);
    }
  }

  /** One pass over a set: from its saved token if a run was interrupted, else from its `from`. */
  private async *harvestSet(set: string, state: OaiPmhCursor, signal?: AbortSignal): AsyncGenerator<HarvestPage> {
    let restarted = false;
    for (let n = 1; ; n++) {
      const at = state.sets[set]!;
      const url = this.listUrl(set, at);
      const page = await this.opts.http.getParsed(url, (res) => parseOaiPmh(res.body.toString('utf8'), url), signal);
      if (page.oaiError?.code === 'badResumptionToken' && at.resumptionToken !== null && !restarted) {
        // tokens expire daily: start the pass again from its `from`
        restarted = true;
        state.sets[set] = { from: at.from, resumptionToken: null, latestDatestamp: at.latestDatestamp ?? null };
        continue;
      }
      if (page.oaiError?.code === 'noRecordsMatch') {
        // nothing changed since `from` (weekends, holidays): a normal, empty page
        state.sets[set] = endOfPass(at, null);
        yield { label: `set ${set}: nothing new (${url})`, records: [], errors: [], cursor: snapshot(state) };
        return;
      }
      if (page.oaiError) throw oaiFailed(this.name, url, page.oaiError);
      const token = page.resumptionToken || null;
      if (token !== null && token === at.resumptionToken)
        throw new PaperboyError('SOURCE_FAILED', `${this.name}: ${url} answered with the token it was given; stopping`);
      state.sets[set] = token === null ? endOfPass(at, page.latestDatestamp) : nextPage(at, token, page.latestDatestamp);
      yield this.toPage(set, n, url, page, snapshot(state));
      if (token === null) return;
    }
  }

  private toPage(set: string, n: number, url: string, page: OaiPage, cursor: OaiPmhCursor): HarvestPage {
    const records = page.records.filter((r) => this.keeps(r));
    const dropped = page.records.length - records.length;
    const note = dropped > 0 ? `, ${dropped} outside the categories dropped` : '';
    return { label: `set ${set} page ${n}${note} (${url})`, records, errors: page.errors, cursor };
  }

  /** A record we can't place (no categories, e.g. some oai_dc records) is kept rather than lost. */
  private keeps(r: PaperRecord): boolean {
    if (this.wanted === null || r.deleted || !r.categories || r.categories.length === 0) return true;
    return r.categories.some((c) => this.wanted!.has(c));
  }

  private listUrl(set: string, at: OaiSetCursor): string {
    const url = new URL(this.baseUrl);
    url.searchParams.set('verb', 'ListRecords');
    if (at.resumptionToken !== null) {
      // the token is an exclusive argument: nothing else may go with it
      url.searchParams.set('resumptionToken', at.resumptionToken);
      return url.toString();
    }
    url.searchParams.set('metadataPrefix', this.prefix);
    url.searchParams.set('set', set);
    if (at.from !== null) url.searchParams.set('from', at.from);
    return url.toString();
  }

  private readCursor(cursor: unknown): OaiPmhCursor {
    if (cursor === null || cursor === undefined) return { sets: {} };
    const parsed = cursorSchema.safeParse(cursor);
    if (!parsed.success)
      throw new PaperboyError('SOURCE_FAILED', `${this.name}: saved cursor unreadable (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
    return parsed.data;
  }
}

function nextPage(at: OaiSetCursor, token: string, latest: string | null): OaiSetCursor {
  return { from: at.from, resumptionToken: token, latestDatestamp: laterDay(at.latestDatestamp ?? null, latest) };
}

/** After a set's last page: the next pass starts on the latest day seen (or where this one did). */
function endOfPass(at: OaiSetCursor, latest: string | null): OaiSetCursor {
  const seen = laterDay(at.latestDatestamp ?? null, latest);
  return { from: laterDay(at.from, seen), resumptionToken: null };
}

/** arXiv datestamps are days; other repositories may send seconds, which `from` at day granularity refuses. */
function laterDay(a: string | null, b: string | null): string | null {
  const da = a?.slice(0, 10) ?? null;
  const db = b?.slice(0, 10) ?? null;
  if (da === null || db === null) return da ?? db;
  return da >= db ? da : db;
}

function snapshot(state: OaiPmhCursor): OaiPmhCursor {
  return structuredClone(state);
}

function oaiFailed(name: string, url: string, error: { code: string; message: string }): PaperboyError {
  return new PaperboyError('SOURCE_FAILED', `${name}: ${url} answered OAI-PMH error ${error.code}: ${error.message}`);
}

/** The archives of arXiv's physics group, harvested as physics:ARCHIVE; the other groups' archive is the group. */
const PHYSICS_ARCHIVES = new Set([
  'astro-ph', 'cond-mat', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th',
  'math-ph', 'nlin', 'nucl-ex', 'nucl-th', 'physics', 'quant-ph',
]);
const OTHER_GROUPS = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat']);
const CATEGORY = /^([a-z]+(?:-[a-z]+)?)(?:\.([A-Za-z-]+))?$/;

/**
 * The OAI sets that hold the given arXiv categories, without duplicates: by default one per
 * archive (cs.CL and cs.LG → "cs"; hep-th → "physics:hep-th"; astro-ph.CO → "physics:astro-ph"),
 * so papers cross-listed between wanted categories are fetched once and filtered locally. With
 * `level: 'category'`, arXiv's finer sets (cs:cs:CL, physics:astro-ph:CO): less traffic when
 * only a few small categories of a big archive are wanted.
 */
export function setsForCategories(categories: string[], level: 'archive' | 'category' = 'archive'): string[] {
  const sets = categories.map((c) => setFor(c, level));
  return [...new Set(sets)];
}

function setFor(category: string, level: 'archive' | 'category'): string {
  const m = CATEGORY.exec(category.trim());
  const archive = m?.[1];
  const physics = archive !== undefined && PHYSICS_ARCHIVES.has(archive);
  if (!m || archive === undefined || (!physics && !OTHER_GROUPS.has(archive)))
    throw new PaperboyError('CONFIG_INVALID', `not an arXiv category: ${JSON.stringify(category)} (e.g. cs.CL, hep-th)`);
  const archiveSet = physics ? `physics:${archive}` : archive;
  if (level === 'archive' || m[2] === undefined) return archiveSet;
  return physics ? `${archiveSet}:${m[2]}` : `${archive}:${archive}:${m[2]}`;
}

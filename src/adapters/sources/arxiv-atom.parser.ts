/**
 * Parser for arXiv API responses (export.arxiv.org/api/query): Atom feeds, in the format arXiv
 * serves since 2025 and in the legacy one (per-element xmlns, `<title type="html">`, rel=self and
 * title="pdf" links). Pure: a string in, PaperRecords and per-entry errors out; an input that is
 * not a usable feed, or arXiv's error feed, throws InputUnusableError.
 */
import { parseArxivId } from '../../core/arxiv-id.js';
import { InputUnusableError } from '../../core/errors.js';
import type { PaperRecord, PaperVersion } from '../../core/paper.js';
import { cleanAbstract, cleanLine, toIsoTimestamp } from '../../core/text.js';
import { validateRecord } from '../../core/validate.js';
import type { ParseResult } from '../../ports/source.js';
import { asArray, attrOf, countOf, isNode, readXmlDocument, textOf, type XmlNode } from './xml.js';

/** One page of API results and the OpenSearch counters needed to fetch the next one. */
export interface AtomPage extends ParseResult {
  totalResults: number | null;
  startIndex: number | null;
  itemsPerPage: number | null;
}

/** arXiv answers a bad query with HTTP 200 and a one-entry feed whose id points here. */
const API_ERROR_ID = /arxiv\.org\/api\/errors/i;

/**
 * Atom `<category>` also carries ACM ("I.2.6") and MSC ("68T05") classes; only arXiv category
 * codes (cs.LG, hep-th, physics.acc-ph, cond-mat.str-el) are categories in the paper model.
 */
const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$/;

export function parseArxivAtom(xml: string, source: string): AtomPage {
  const feed = readXmlDocument(xml, source, 'feed');
  const entries = asArray(feed['entry']).map((e) => (isNode(e) ? e : {}));
  rejectApiError(entries, source);
  const page: AtomPage = {
    records: [],
    errors: [],
    totalResults: countOf(textOf(feed['totalResults'])),
    startIndex: countOf(textOf(feed['startIndex'])),
    itemsPerPage: countOf(textOf(feed['itemsPerPage'])),
  };
  entries.forEach((entry, i) => {
    const result = entryToRecord(entry);
    if (typeof result === 'string') page.errors.push({ source, at: `entry ${i + 1}`, reason: result });
    else page.records.push(result);
  });
  return page;
}

function rejectApiError(entries: XmlNode[], source: string): void {
  for (const entry of entries) {
    const id = textOf(entry['id']) ?? '';
    if (!API_ERROR_ID.test(id)) continue;
    const message = cleanLine(textOf(entry['summary'])) ?? `arXiv API error ${id.trim()}`;
    throw new InputUnusableError(source, 'feed', message);
  }
}

/** The record of one entry, or the reason it can't be used. */
function entryToRecord(entry: XmlNode): PaperRecord | string {
  const rawId = textOf(entry['id'])?.trim() ?? '';
  const parsed = rawId === '' ? null : parseArxivId(rawId);
  if (rawId !== '' && parsed === null) return `not an arXiv id: "${rawId}"`;
  const version = parsed?.version ?? null;
  const published = toIsoTimestamp(textOf(entry['published']));
  const updated = toIsoTimestamp(textOf(entry['updated']));
  const record: PaperRecord = {
    // an entry without <id> gets '' so that validateRecord names the problem like for any source
    id: parsed?.id ?? '',
    version,
    source: 'arxiv-atom',
    title: cleanLine(textOf(entry['title'])),
    abstract: cleanAbstract(textOf(entry['summary'])),
    authors: authorsOf(entry),
    categories: categoriesOf(entry),
    submittedAt: published,
    updatedAt: updated,
    versions: versionsOf(version, published, updated),
    comments: cleanLine(textOf(entry['comment'])),
    journalRef: cleanLine(textOf(entry['journal_ref'])),
    doi: cleanLine(textOf(entry['doi'])),
  };
  return validateRecord(record) ?? record;
}

function authorsOf(entry: XmlNode): string[] | null {
  const names = asArray(entry['author'])
    .map((a) => cleanLine(textOf(isNode(a) ? a['name'] : null)))
    .filter((n): n is string => n !== null);
  return names.length === 0 ? null : names;
}

/** Primary category first, then the others in feed order, each once. */
function categoriesOf(entry: XmlNode): string[] | null {
  const primary = attrOf(entry['primary_category'], 'term');
  const others = asArray(entry['category']).map((c) => attrOf(c, 'term'));
  const terms = [primary, ...others]
    .map((t) => t?.trim() ?? '')
    .filter((t) => ARXIV_CATEGORY.test(t));
  const unique = [...new Set(terms)];
  return unique.length === 0 ? null : unique;
}

/**
 * The API tells two dates: <published> is v1's, <updated> the one of the version in the id.
 * Sizes are not in the feed.
 */
function versionsOf(version: number | null, published: string | null, updated: string | null): PaperVersion[] {
  const versions: PaperVersion[] = [{ version: 1, submittedAt: published, size: null }];
  if (version !== null && version > 1) versions.push({ version, submittedAt: updated, size: null });
  return versions;
}

/**
 * The three metadata formats arXiv's OAI-PMH endpoint offers, each mapped to a PaperRecord:
 * arXivRaw (every version with its date and size), arXiv (structured author names, created and
 * updated days, no version numbers) and oai_dc (plain Dublin Core). Used by oai-pmh.parser.ts.
 */
import { parseArxivId, type ArxivId } from '../../core/arxiv-id.js';
import type { PaperRecord, PaperVersion } from '../../core/paper.js';
import { cleanAbstract, cleanLine, splitAuthors, toIsoTimestamp } from '../../core/text.js';
import { asArray, attrOf, nodeOf, textOf, type XmlNode } from './xml.js';

/** Maps a format's metadata element; `headerId` is the OAI identifier, a fallback for the id. */
export type FormatMapper = (metadata: XmlNode, headerId: string | null) => PaperRecord | string;

/** Local element names (namespace prefixes are stripped) of the formats we read. */
export const FORMAT_MAPPERS: Readonly<Record<string, FormatMapper>> = {
  arXivRaw: fromArxivRaw,
  arXiv: fromArxiv,
  dc: fromOaiDc,
};

/**
 * The arXiv id from the metadata, else from the header identifier (oai:arXiv.org:0704.0471).
 * Returns the reason when there is one but it is not an arXiv id; an id of '' when there is none,
 * so that validateRecord reports it like for every source.
 */
export function resolveId(metadataId: string | null, headerId: string | null): ArxivId | string {
  const raw = (metadataId ?? headerId ?? '').trim();
  if (raw === '') return { id: '', version: null };
  return parseArxivId(raw) ?? `not an arXiv id: "${raw}"`;
}

function fromArxivRaw(m: XmlNode, headerId: string | null): PaperRecord | string {
  const id = resolveId(textOf(m['id']), headerId);
  if (typeof id === 'string') return id;
  const versions = rawVersions(m['version']);
  const first = versions[0];
  const latest = versions.at(-1);
  return {
    id: id.id,
    version: latest?.version ?? id.version,
    source: 'oai-pmh',
    ...common(m),
    versions,
    authors: splitAuthors(textOf(m['authors'])),
    submittedAt: first?.submittedAt ?? null,
    updatedAt: latest?.submittedAt ?? null,
    submitter: cleanLine(textOf(m['submitter'])),
  };
}

/** `<version version="v2"><date>RFC 2822</date><size>849kb</size></version>`, oldest first. */
function rawVersions(v: unknown): PaperVersion[] {
  return asArray(v)
    .map((el) => ({
      version: Number(/^v(\d+)$/.exec(attrOf(el, 'version')?.trim() ?? '')?.[1] ?? NaN),
      submittedAt: toIsoTimestamp(textOf(nodeOf(el)['date'])),
      size: cleanLine(textOf(nodeOf(el)['size'])),
    }))
    .filter((x) => Number.isInteger(x.version))
    .sort((a, b) => a.version - b.version);
}

function fromArxiv(m: XmlNode, headerId: string | null): PaperRecord | string {
  const id = resolveId(textOf(m['id']), headerId);
  if (typeof id === 'string') return id;
  const created = toIsoTimestamp(textOf(m['created']));
  return {
    id: id.id,
    // the arXiv format names no versions, only the days of the first and the newest
    version: null,
    source: 'oai-pmh',
    ...common(m),
    authors: structuredAuthors(m['authors']),
    submittedAt: created,
    // <updated> is omitted while v1 is the only version, so v1 is then the newest
    updatedAt: toIsoTimestamp(textOf(m['updated'])) ?? created,
  };
}

/** `<author><keyname/><forenames/><suffix/></author>` read as "Forenames Keyname Suffix". */
function structuredAuthors(authors: unknown): string[] | null {
  const names = asArray(nodeOf(authors)['author'])
    .map((a) => nodeOf(a))
    .map((a) => [a['forenames'], a['keyname'], a['suffix']].map(textOf).filter((p) => p !== null).join(' '))
    .map((n) => cleanLine(n))
    .filter((n): n is string => n !== null);
  return names.length === 0 ? null : names;
}

/** Fields arXivRaw and arXiv share, under the same element names. */
function common(m: XmlNode): Partial<PaperRecord> {
  return {
    title: cleanLine(textOf(m['title'])),
    abstract: cleanAbstract(textOf(m['abstract'])),
    categories: splitCategories(textOf(m['categories'])),
    comments: cleanLine(textOf(m['comments'])),
    journalRef: cleanLine(textOf(m['journal-ref'])),
    doi: cleanLine(textOf(m['doi'])),
    license: cleanLine(textOf(m['license'])),
    reportNo: cleanLine(textOf(m['report-no'])),
    listedOn: null,
  };
}

/** "hep-ph hep-ex": space-separated, the primary first. */
function splitCategories(s: string | null): string[] | null {
  const cats = [...new Set((s ?? '').split(/\s+/).filter((c) => c !== ''))];
  return cats.length === 0 ? null : cats;
}

/**
 * oai_dc: creators "Keyname Suffix, Forenames"; the first description is the abstract and the
 * next ones the comments ("Comment: " before 2025); one date per version, the first being v1's;
 * identifiers are the abs URL, the journal reference and "doi:…". dc:subject holds category
 * names ("Mathematics - Combinatorics"), not codes, so categories stay unknown.
 */
function fromOaiDc(m: XmlNode, headerId: string | null): PaperRecord | string {
  const identifiers = texts(m['identifier']);
  const absId = identifiers.find((i) => /^https?:\/\//i.test(i) && parseArxivId(i) !== null) ?? null;
  const id = resolveId(absId, headerId);
  if (typeof id === 'string') return id;
  const dates = texts(m['date']).map(toIsoTimestamp).filter((d): d is string => d !== null).sort();
  const notes = dcNotes(texts(m['description']));
  const creators = texts(m['creator']).map(invertName).filter((n): n is string => n !== null);
  return {
    id: id.id,
    version: null,
    source: 'oai-pmh',
    title: cleanLine(textOf(m['title'])),
    authors: creators.length === 0 ? null : creators,
    abstract: notes.abstract,
    comments: notes.comments,
    reportNo: notes.reportNo,
    submittedAt: dates[0] ?? null,
    updatedAt: dates.at(-1) ?? null,
    doi: cleanLine(identifiers.find((i) => /^doi:/i.test(i))?.replace(/^doi:\s*/i, '')),
    journalRef: cleanLine(identifiers.find((i) => !/^(?:doi:|https?:\/\/)/i.test(i))),
    listedOn: null,
  };
}

interface DcNotes {
  abstract: string | null;
  comments: string | null;
  reportNo: string | null;
}

function dcNotes(descriptions: string[]): DcNotes {
  const notes: DcNotes = { abstract: null, comments: null, reportNo: null };
  descriptions.forEach((d, i) => {
    const reportNo = /^Report number:\s*/i.exec(d);
    if (reportNo) notes.reportNo = cleanLine(d.slice(reportNo[0].length));
    else if (/^Comment:\s*/i.test(d)) notes.comments = cleanLine(d.replace(/^Comment:\s*/i, ''));
    else if (i === 0) notes.abstract = cleanAbstract(d);
    else notes.comments ??= cleanLine(d);
  });
  return notes;
}

/** "Rodrigues Jr, Waldyr A." → "Waldyr A. Rodrigues Jr"; a name without comma stays as it is. */
function invertName(creator: string): string | null {
  const [last, ...rest] = creator.split(',').map((p) => p.trim());
  if (rest.length === 0) return cleanLine(last);
  const [first, ...suffixes] = rest;
  return cleanLine([first, last, ...suffixes].join(' '));
}

function texts(v: unknown): string[] {
  return asArray(v)
    .map(textOf)
    .filter((t): t is string => t !== null && t.trim() !== '');
}

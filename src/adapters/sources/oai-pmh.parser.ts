/**
 * Parser for arXiv's OAI-PMH 2.0 responses (export.arxiv.org/oai2): ListRecords and GetRecord in
 * the arXivRaw, arXiv and oai_dc formats (see oai-pmh.formats.ts), deleted records, OAI errors
 * and the resumption token a harvester pages with. Pure: a string in, records, per-record errors
 * and paging state out; an input that is not an OAI-PMH response throws InputUnusableError.
 */
import { InputUnusableError } from '../../core/errors.js';
import type { PaperRecord } from '../../core/paper.js';
import { cleanLine } from '../../core/text.js';
import { validateRecord } from '../../core/validate.js';
import type { ParseResult } from '../../ports/source.js';
import { FORMAT_MAPPERS, resolveId } from './oai-pmh.formats.js';
import { asArray, attrOf, countOf, isNode, nodeOf, readXmlDocument, textOf, type XmlNode } from './xml.js';

export interface OaiPage extends ParseResult {
  responseDate: string | null;
  /** null when the list is complete (the last page carries an empty token) */
  resumptionToken: string | null;
  completeListSize: number | null;
  cursor: number | null;
  /**
   * The OAI error the repository answered with, records then being empty. noRecordsMatch means
   * "nothing new"; badResumptionToken means "restart from the last datestamp".
   */
  oaiError: { code: string; message: string } | null;
  /** every record's header datestamp, in order, bad and deleted records included */
  datestamps: string[];
  /** max record datestamp is what a harvester remembers */
  latestDatestamp: string | null;
}

const VERB_ELEMENTS = ['ListRecords', 'GetRecord'] as const;

export function parseOaiPmh(xml: string, source: string): OaiPage {
  const root = readXmlDocument(xml, source, 'OAI-PMH');
  const page: OaiPage = {
    records: [],
    errors: [],
    responseDate: cleanLine(textOf(root['responseDate'])),
    resumptionToken: null,
    completeListSize: null,
    cursor: null,
    oaiError: oaiErrorOf(root),
    datestamps: [],
    latestDatestamp: null,
  };
  if (page.oaiError) return page;
  const list = verbElement(root, source);
  readRecords(list, page, source);
  readResumptionToken(list['resumptionToken'], page);
  return page;
}

/** The first <error>; OAI-PMH allows several, the first is enough to decide what to do. */
function oaiErrorOf(root: XmlNode): OaiPage['oaiError'] {
  const error = asArray(root['error'])[0];
  if (error === undefined) return null;
  return { code: attrOf(error, 'code') ?? 'unknown', message: cleanLine(textOf(error)) ?? '' };
}

function verbElement(root: XmlNode, source: string): XmlNode {
  const name = VERB_ELEMENTS.find((v) => root[v] !== undefined);
  if (name === undefined) {
    const found = Object.keys(root).filter((k) => !k.startsWith('@_') && k !== 'responseDate' && k !== 'request');
    const what = found.length === 0 ? 'nothing' : found.map((k) => `<${k}>`).join(', ');
    throw new InputUnusableError(source, '<OAI-PMH>', `expected <ListRecords> or <GetRecord>, found ${what}`);
  }
  return nodeOf(root[name]);
}

function readRecords(list: XmlNode, page: OaiPage, source: string): void {
  asArray(list['record']).forEach((el, i) => {
    const record = nodeOf(el);
    const header = nodeOf(record['header']);
    const identifier = textOf(header['identifier'])?.trim() || null;
    const datestamp = textOf(header['datestamp'])?.trim() || null;
    if (datestamp !== null) page.datestamps.push(datestamp);
    const result = recordOf(record, header, identifier);
    if (typeof result === 'string') {
      page.errors.push({ source, at: identifier ? `record ${identifier}` : `record ${i + 1}`, reason: result });
    } else {
      page.records.push(result);
    }
  });
  page.latestDatestamp = page.datestamps.reduce<string | null>((max, d) => (max === null || d > max ? d : max), null);
}

/** The record of one OAI <record>, or the reason it can't be used. */
function recordOf(record: XmlNode, header: XmlNode, identifier: string | null): PaperRecord | string {
  const result = attrOf(header, 'status') === 'deleted' ? deletedRecord(identifier) : fromMetadata(record, identifier);
  if (typeof result === 'string') return result;
  return validateRecord(result) ?? result;
}

function deletedRecord(identifier: string | null): PaperRecord | string {
  const id = resolveId(null, identifier);
  if (typeof id === 'string') return id;
  return { id: id.id, version: null, source: 'oai-pmh', deleted: true };
}

function fromMetadata(record: XmlNode, identifier: string | null): PaperRecord | string {
  const metadata = record['metadata'];
  const format = isNode(metadata) ? Object.keys(metadata).find((k) => !k.startsWith('@_') && k !== '#text') : undefined;
  if (!isNode(metadata) || format === undefined) return 'record has no metadata';
  const mapper = FORMAT_MAPPERS[format];
  if (mapper === undefined) return `unsupported metadata format <${format}>`;
  return mapper(nodeOf(metadata[format]), identifier);
}

/**
 * `<resumptionToken cursor="0" completeListSize="58011">726959|1001</resumptionToken>`; the
 * last page has the element with empty text, which means the list is complete.
 */
function readResumptionToken(token: unknown, page: OaiPage): void {
  if (token === undefined) return;
  page.resumptionToken = textOf(token)?.trim() || null;
  page.completeListSize = countOf(attrOf(token, 'completeListSize'));
  page.cursor = countOf(attrOf(token, 'cursor'));
}

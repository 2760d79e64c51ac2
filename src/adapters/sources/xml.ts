/**
 * XML reading shared by the source parsers (arXiv Atom, OAI-PMH): one XMLParser setup, a
 * well-formedness check first so that a broken input is reported with where it broke, and small
 * accessors over the untyped tree fast-xml-parser returns.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputUnusableError } from '../../core/errors.js';

/** An element with children and/or attributes ("@_name"), its text under "#text". */
export type XmlNode = { [key: string]: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // arXiv has used both per-element xmlns and prefixed names over the years (arxiv:, opensearch:,
  // dc:, oai_dc:); local names are stable, prefixes are not.
  removeNSPrefix: true,
  // ids such as 0704.0471 must stay strings, not become the number 704.0471
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // numeric character references (&#233;) are plain XML, yet only decoded with this option on
  htmlEntities: true,
});

/**
 * Parses a whole document and returns its root element, which must be named `rootName`.
 * Throws InputUnusableError (with line and column when the XML is broken) otherwise.
 */
export function readXmlDocument(xml: string, source: string, rootName: string): XmlNode {
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new InputUnusableError(source, 'start of input', 'empty input');
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw malformed(source, text, verdict.err);
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (e) {
    throw new InputUnusableError(source, 'document', e instanceof Error ? e.message : String(e), { cause: e });
  }
  const root = isNode(doc) ? doc[rootName] : undefined;
  if (root === undefined) {
    const found = isNode(doc) ? Object.keys(doc)[0] : undefined;
    throw new InputUnusableError(source, `root element <${found ?? '?'}>`, `expected a <${rootName}> document`);
  }
  // `<feed/>` parses as '': an element with nothing in it
  return isNode(root) ? root : {};
}

interface ValidatorError {
  msg: string;
  line: number;
  col?: number;
}

/** Turns the validator's complaint into "where" and "why"; unclosed elements mean truncation. */
function malformed(source: string, text: string, err: ValidatorError): InputUnusableError {
  const unclosed = /^Invalid '\[(.*)\]' found/s.exec(err.msg);
  if (unclosed) {
    const names = [...unclosed[1]!.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    const lines = text.split('\n').length;
    return new InputUnusableError(
      source,
      `end of input (line ${lines})`,
      `input ends inside ${names.join(' ')}: truncated or unclosed`,
    );
  }
  const at = err.col === undefined ? `line ${err.line}` : `line ${err.line}, column ${err.col}`;
  return new InputUnusableError(source, at, `not well-formed XML: ${err.msg}`);
}

export function isNode(v: unknown): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parser gives one child as a value and several as an array: always an array here. */
export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A child element as a node; an empty or text-only element gives an empty node. */
export function nodeOf(v: unknown): XmlNode {
  const first = Array.isArray(v) ? v[0] : v;
  return isNode(first) ? first : {};
}

/** The text of an element (first one when repeated); null when absent or empty. */
export function textOf(v: unknown): string | null {
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return first === '' ? null : first;
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  if (isNode(first) && first['#text'] !== undefined) return textOf(first['#text']);
  return null;
}

/** An attribute of an element; null when absent. */
export function attrOf(v: unknown, name: string): string | null {
  const value = nodeOf(v)[`@_${name}`];
  return typeof value === 'string' ? value : null;
}

/** A non-negative integer written as text ("58011"); null when absent or not one. */
export function countOf(s: string | null): number | null {
  if (s === null || !/^\s*\d+\s*$/.test(s)) return null;
  return Number(s);
}

/**
 * A strict reading of the feeds' XML for the suites: well-formedness first (fast-xml-parser's
 * validator), then a tree in which each XML entity is decoded exactly once, so a test can see
 * precisely what text an element carries, unlike a lenient feed reader.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

export type Node = { [key: string]: unknown };

const REPEATED = new Set(['item', 'entry', 'dc:creator', 'category', 'author', 'link', 'atom:link']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  htmlEntities: false,
  alwaysCreateTextNode: true,
  isArray: (name) => REPEATED.has(name),
});

/** The root element (asserting its name) of a well-formed document. */
export function strictXml(xml: string, root: string): Node {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const doc = parser.parse(xml) as Node;
  expect(Object.keys(doc)).toEqual([root]);
  return doc[root] as Node;
}

/** The text of an element (text nodes come under "#text"). */
export function text(node: unknown): string {
  return ((node as Node | undefined)?.['#text'] as string | undefined) ?? '';
}

export function children(node: Node, name: string): Node[] {
  return (node[name] as Node[] | undefined) ?? [];
}

/** HTML entity decoding of the one level that HTML-in-RSS adds (what esc() writes). */
export function decodeHtml(s: string): string {
  return s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
}

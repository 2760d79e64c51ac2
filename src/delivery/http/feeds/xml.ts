/**
 * The little XML the RSS and Atom writers need: text and attribute escaping that also drops
 * what XML 1.0 cannot carry at all (control characters, lone surrogates), so no title from a
 * source can break a feed or smuggle markup into it.
 */
import { charTable, replaceChars } from '../../../core/text.js';

/** Every character XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets); with /u a lone surrogate is one of them. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const TEXT = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const TEXT_TABLE = charTable(TEXT);
const ATTR_TABLE = charTable({ ...TEXT, '"': '&quot;' });

export function xmlText(s: string): string {
  return replaceChars(s.replace(NOT_XML, ''), TEXT_TABLE);
}

export function xmlAttr(s: string): string {
  return replaceChars(s.replace(NOT_XML, ''), ATTR_TABLE);
}

type Attrs = Record<string, string | undefined>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(v)}"`)
    .join('');
}

/** <name a="…">text</name>, the text escaped. */
export function el(name: string, text: string, a: Attrs = {}): string {
  return `<${name}${attrs(a)}>${xmlText(text)}</${name}>`;
}

/** <name a="…"/> */
export function empty(name: string, a: Attrs): string {
  return `<${name}${attrs(a)}/>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

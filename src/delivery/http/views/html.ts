/**
 * Safe HTML building: the `html` template tag escapes every interpolated value unless it is
 * already Html (built by this tag, or vouched for by `trusted`). Views never concatenate
 * strings into markup any other way, so an untrusted title can't become markup by mistake.
 */
import { charTable, replaceChars } from '../../../core/text.js';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES = charTable({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });

/** Escapes text for HTML content and quoted attribute values: the one escaping function. */
export function esc(s: string | number | null | undefined): string {
  return replaceChars(s == null ? '' : String(s), ENTITIES);
}

/** Values a template may hold: arrays are joined, null/undefined/false vanish. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v instanceof Html) return v.value;
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return (v as readonly HtmlValue[]).map(render).join('');
  return esc(v as string | number);
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/**
 * Markup that is safe by construction elsewhere: KaTeX's output (views/math.ts), highlighted
 * text whose parts math.ts escaped and marked. Never for anything read from a paper or a request.
 */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** An http(s) URL fit for an href, or null: no javascript:, data: or relative tricks from metadata. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * What the digest and the confirmation email share (issue 11): escaping for the HTML part, the
 * plain reading of a paper's TeX, dates as the subject writes them, and the header check that
 * the mail adapters apply too. Email gets Unicode text for formulas, not KaTeX: KaTeX's markup
 * needs its stylesheet and fonts, which mail clients strip (docs/decisions/017).
 */
import { texPlainText } from './tex-plain.js';
import { charTable, cleanAbstract, cleanLine, replaceChars } from './text.js';

const ENTITIES = charTable({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });

/** Escapes text for HTML content and quoted attribute values (the same table as the site's views/html.ts). */
export function escapeHtml(s: string | number | null | undefined): string {
  return replaceChars(s == null ? '' : String(s), ENTITIES);
}

/** A title or topic on one line: no control characters, whitespace folded, TeX read as Unicode. */
export function plainLine(s: string | null | undefined, fallback = ''): string {
  const line = cleanLine(s);
  return line === null ? fallback : (cleanLine(texPlainText(line)) ?? fallback);
}

/** An abstract as paragraphs of plain text, cut after about `max` characters (at a word). */
export function plainParagraphs(s: string | null | undefined, max: number): string[] {
  const abstract = cleanAbstract(s);
  if (abstract === null) return [];
  const out: string[] = [];
  let left = max;
  for (const p of abstract.split('\n\n')) {
    const text = cleanLine(texPlainText(p));
    if (text === null) continue;
    if (text.length <= left) {
      out.push(text);
      left -= text.length;
      continue;
    }
    const cut = text.lastIndexOf(' ', left);
    out.push(`${text.slice(0, cut > left / 2 ? cut : left)}…`);
    break;
  }
  return out;
}

/**
 * A reader's topic on one line, at most `max` characters: cut before it is read, so that a
 * 100 kB topic costs no more than a short one (only its start is ever shown).
 */
export function plainTopic(topic: string, max: number): string {
  return shorten(plainLine(topic.slice(0, 4 * max + 16)), max);
}

/** `s` cut to `max` characters with an ellipsis (for topics in a subject line). */
export function shorten(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

// written out rather than Intl's: its short months change with the ICU version ("Sep", "Sept")
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const dayMonth = (day: string) => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;

/** "21 Aug 2026" (of a valid YYYY-MM-DD) */
export function emailDay(day: string): string {
  return `${dayMonth(day)} ${day.slice(0, 4)}`;
}

/** "17–23 Aug 2026", "31 Aug – 6 Sep 2026", "29 Dec 2025 – 4 Jan 2026" */
export function emailSpan(from: string, to: string): string {
  if (from === to) return emailDay(from);
  if (from.slice(0, 4) !== to.slice(0, 4)) return `${emailDay(from)} – ${emailDay(to)}`;
  if (from.slice(0, 7) !== to.slice(0, 7)) return `${dayMonth(from)} – ${emailDay(to)}`;
  return `${Number(from.slice(8, 10))}–${emailDay(to)}`;
}

/** "1 paper", "12 papers" */
export function papersCount(n: number): string {
  return `${n} paper${n === 1 ? '' : 's'}`;
}

/**
 * What is wrong with a header, or null: names are RFC 5322 field names; values may not hold CR,
 * LF or other control characters (a CR/LF in a value would start a header of the sender's
 * choosing). Refused, never stripped: a value that needs cleaning is a bug upstream.
 */
export function headerProblem(name: string, value: string): string | null {
  if (!/^[!-9;-~]{1,76}$/.test(name)) return `header name ${JSON.stringify(name.slice(0, 80))} is not a valid field name`;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const bad = /[\u0000-\u0008\u000A-\u001F\u007F]/.exec(value);
  if (bad) return `header ${name} holds a ${bad[0] === '\r' ? 'CR' : bad[0] === '\n' ? 'LF' : 'control character'} at ${bad.index}`;
  return null;
}

/** A URL the email may link to: http(s) or mailto, as given (escaped where it is written). */
export function assertLink(what: string, url: string): string {
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new RangeError(`${what} is not a URL: ${JSON.stringify(url.slice(0, 200))}`);
  }
  if (!['https:', 'http:', 'mailto:'].includes(scheme)) throw new RangeError(`${what} must be an http(s) or mailto URL, got ${scheme}`);
  const problem = headerProblem('Link', url);
  if (problem) throw new RangeError(`${what}: ${problem}`);
  return url;
}

/** Every header the message will carry is checked once more: a CR/LF here is a bug, never sent. */
export function assertHeadersSafe(e: { subject: string; messageId: string; listId?: string; headers: Record<string, string> }): void {
  const all: [string, string][] = [['Subject', e.subject], ['Message-ID', e.messageId], ...Object.entries(e.headers)];
  if (e.listId !== undefined) all.push(['List-Id', e.listId]);
  for (const [name, value] of all) {
    const problem = headerProblem(name, value);
    if (problem) throw new RangeError(problem);
  }
}

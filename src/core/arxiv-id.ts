/**
 * arXiv identifiers: the two styles arXiv has used, with optional version suffixes.
 *
 *   new style (2007-04 on):  YYMM.NNNN (to 2014) or YYMM.NNNNN (2015 on), e.g. 2405.15738v2
 *   old style (to 2007-03):  archive[.SUBJ]/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136v1
 *
 * The canonical id is the style without version and, for old ids, without the subject class
 * (arXiv itself resolves math.GT/0309136 to math/0309136). One paper per canonical id.
 */

export interface ArxivId {
  /** canonical id without version, e.g. "2405.15738" or "hep-th/9901001" */
  id: string;
  /** the version number named in the input, or null when none was given */
  version: number | null;
}

const NEW_STYLE = /^(\d{4})\.(\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)?)(?:\.[A-Z]{2})?\/(\d{7})(?:v(\d+))?$/;
/** prefixes that wrap an id in the wild: URLs, OAI identifiers, "arXiv:" citations */
const WRAPPERS = [
  /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\//i,
  /^oai:arxiv\.org:/i,
  /^arxiv:/i,
];

/** Parses any common spelling of an arXiv id; null when it is not one. */
export function parseArxivId(raw: string): ArxivId | null {
  let s = raw.trim();
  for (const w of WRAPPERS) s = s.replace(w, '');
  s = s.replace(/\.pdf$/i, '').replace(/\/$/, '');
  const n = NEW_STYLE.exec(s);
  if (n) {
    const month = Number(n[1]!.slice(2));
    if (month < 1 || month > 12) return null;
    // five-digit numbers only exist from 1501 on, four-digit ones only before
    const fiveDigits = n[2]!.length === 5;
    if (fiveDigits !== Number(n[1]) >= 1501) return null;
    return { id: `${n[1]}.${n[2]}`, version: n[3] ? Number(n[3]) : null };
  }
  const o = OLD_STYLE.exec(s);
  if (o) {
    const month = Number(o[2]!.slice(2, 4));
    if (month < 1 || month > 12) return null;
    return { id: `${o[1]}/${o[2]}`, version: o[3] ? Number(o[3]) : null };
  }
  return null;
}

/** Formats an id with its version, as arXiv writes it: 2405.15738v2. */
export function formatArxivId(id: string, version: number | null): string {
  return version === null ? id : `${id}v${version}`;
}

export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function pdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}

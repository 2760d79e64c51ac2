/**
 * An abstract cut into sentences, for "the sentence closest in meaning to the query" (issue 12):
 * a sentence ends at . ! or ? followed by white space and a capital, a digit or an opening
 * bracket; text inside $…$ math is never cut. Abbreviations ("e.g. A") may cut early, which
 * costs nothing worse than a shorter sentence. One pass, linear in the text.
 */

/** At most this many sentences of an abstract are considered (the first ones). */
export const MAX_SENTENCES = 12;

export function sentences(text: string | null | undefined, max = MAX_SENTENCES): string[] {
  if (!text) return [];
  const out: string[] = [];
  let start = 0;
  let inMath = false;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text[i]!;
    if (c === '$' && text[i - 1] !== '\\') inMath = !inMath;
    if (inMath || (c !== '.' && c !== '!' && c !== '?')) continue;
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (j === i + 1 || j >= text.length || !/[\p{Lu}\p{N}([{]/u.test(text[j]!)) continue;
    push(out, text.slice(start, i + 1));
    start = j;
    i = j - 1;
  }
  if (out.length < max) push(out, text.slice(start));
  return out;
}

function push(out: string[], s: string): void {
  const t = s.trim();
  if (t) out.push(t);
}

/**
 * How the authors column is indexed, the same on SQLite and PostgreSQL: the stored JSON array of
 * names, with a separator token between two names. The separator is U+E000, a private-use
 * character: a token to FTS5's unicode61 and to core/tokenize.ts alike, so it takes a position
 * between the names, and a phrase such as author:"Yue Ma" cannot match the end of one name and
 * the start of the next. Nobody types it in a name, and no page shows it (only the index holds it).
 *
 * The stored JSON is JSON.stringify's ("a","b" with no spaces); a '","' can only occur between
 * two names, as a quote inside a name is escaped (\").
 */

export const AUTHOR_SEPARATOR = '\uE000';

/** The authors text as indexed, from the stored JSON array (or null). */
export function indexedAuthors(json: string | null): string {
  return json === null ? '' : json.replaceAll('","', `" ${AUTHOR_SEPARATOR} "`);
}

/** The same, as an SQLite expression over a column holding the stored JSON. */
export function indexedAuthorsSql(column: string): string {
  return `replace(${column}, '","', '" ' || char(57344) || ' "')`;
}

/**
 * A local arXiv API for submissions (decision 032): answers `id_list=<id>` with that paper's
 * entry from the recorded response in ../shared/fixtures/arxiv-atom/query.xml, as arXiv does
 * (one entry, OpenSearch counters), an empty feed for an id it does not hold, and arXiv's error
 * feed for an id arXiv would call malformed. Records what it was asked (FixtureServer.hits).
 */
import { FixtureServer, fixture } from '../sources/harness.js';

const QUERY = fixture('arxiv-atom/query.xml');
const HEAD = QUERY.slice(0, QUERY.indexOf('<entry>'));
const ENTRIES = [...QUERY.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]);
const idOf = (entry: string) => /<id>http:\/\/arxiv\.org\/abs\/([^<]+?)v\d+<\/id>/.exec(entry)![1]!;

/** An id this server answers with arXiv's error feed ("incorrect id format"), as arXiv does for some well-formed ids. */
export const ERROR_ID = '2312.99999';

/** The recorded papers' canonical ids: 1309.4668, nucl-th/9910021, … */
export const RECORDED_IDS = ENTRIES.map(idOf);

function feed(entries: string[]): string {
  return (
    HEAD.replace(/<opensearch:totalResults>\d+/, `<opensearch:totalResults>${entries.length}`)
      .replace(/<opensearch:startIndex>\d+/, '<opensearch:startIndex>0')
      .replace(/<opensearch:itemsPerPage>\d+/, `<opensearch:itemsPerPage>${entries.length}`) +
    entries.join('\n  ') +
    '\n</feed>\n'
  );
}

const ERROR_FEED = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title>arXiv Query: id_list=${id}</title>
  <id>https://arxiv.org/api/error</id>
  <updated>2025-11-11T18:30:00Z</updated>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_${id}</id>
    <title>Error</title>
    <summary>incorrect id format for ${id}</summary>
    <updated>2025-11-11T18:30:00Z</updated>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
`;

/** The server, started; `ids` asked so far are its hits' id_list values. */
export async function startArxivIdServer(): Promise<{ server: FixtureServer; url: string; asked: () => string[] }> {
  const server = new FixtureServer((url) => {
    const id = url.searchParams.get('id_list') ?? '';
    if (id === ERROR_ID) return { body: ERROR_FEED(id) };
    return { body: feed(ENTRIES.filter((e) => idOf(e) === id)) };
  });
  const base = await server.start();
  return { server, url: `${base}/api/query`, asked: () => server.hits.map((h) => h.url.searchParams.get('id_list') ?? '') };
}

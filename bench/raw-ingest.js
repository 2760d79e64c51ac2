// The peer of `paperboy ingest` in bench/ingest.bench.js: the least any ingest of the corpus into
// SQLite does, as its own process. It streams the gzip file, splits lines, JSON.parses each one
// and inserts its id, title, abstract and authors into a fresh table, in one transaction, with
// the store's pragmas; no merging, no versions, no record hashes, no secondary indexes. Timed in
// the same run as Paperboy, its speed tells how fast the machine is at that moment, so the
// ratio of the two holds on a busy machine where absolute figures swing by 2-3x.
// usage: node bench/raw-ingest.js <corpus.jsonl.gz> <new.db>
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import Database from 'better-sqlite3';

const [corpus, path] = process.argv.slice(2);
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE papers (id TEXT PRIMARY KEY, title TEXT, abstract TEXT, authors TEXT)');
const insert = db.prepare('INSERT INTO papers VALUES (?, ?, ?, ?)');
let n = 0;
db.exec('BEGIN');
for await (const line of createInterface({ input: createReadStream(corpus).pipe(createGunzip()), crlfDelay: Infinity })) {
  if (line === '') continue;
  const o = JSON.parse(line);
  insert.run(o.id, o.title, o.abstract, o.authors);
  n++;
}
db.exec('COMMIT');
db.close();
process.stdout.write(JSON.stringify({ new: n }) + '\n');
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`BENCH ${JSON.stringify({ cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMB: u.maxRSS / 1024 })}\n`);
});

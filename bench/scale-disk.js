// What a store takes on disk, table by table and index by index, for the scale benchmark
// (bench/scale.bench.js): SQLite through its dbstat virtual table (page counts per table when
// SQLite was built without it), PostgreSQL through pg_relation_size per relation (a table's TOAST
// counted with it), plus the files kept beside the database (vector indexes, the built-in model).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/** [{ name, kind: 'table' | 'index' | 'file', bytes }], largest first. */
export async function diskUsage(db, extraDirs = []) {
  const rows = db.startsWith('postgres') ? await postgresUsage(db) : sqliteUsage(db);
  for (const dir of extraDirs) for (const f of filesUnder(dir)) rows.push({ name: f.name, kind: 'file', bytes: f.bytes });
  return rows.sort((a, b) => b.bytes - a.bytes);
}

function sqliteUsage(file) {
  const d = new Database(file, { readonly: true });
  try {
    const kinds = new Map(d.prepare("SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'index')").all().map((r) => [r.name, r.type]));
    let rows;
    try {
      rows = d.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all();
    } catch {
      // no dbstat: the whole file's pages, unsplit
      const { page_size: size } = d.prepare('PRAGMA page_size').get();
      const { page_count: count } = d.prepare('PRAGMA page_count').get();
      rows = [{ name: '(whole file: SQLite built without dbstat)', bytes: size * count }];
    }
    const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    if (wal) rows.push({ name: '(write-ahead log)', bytes: wal });
    return rows.map((r) => ({ name: r.name, kind: kinds.get(r.name) ?? 'table', bytes: r.bytes }));
  } finally {
    d.close();
  }
}

async function postgresUsage(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`
      SELECT c.relname AS name, CASE c.relkind WHEN 'i' THEN 'index' ELSE 'table' END AS kind,
             pg_relation_size(c.oid) + COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) AS bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        AND c.relkind IN ('r', 'i', 'm', 'p')`);
    return rows.map((r) => ({ name: r.name, kind: r.kind, bytes: Number(r.bytes) }));
  } finally {
    await client.end();
  }
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else found.push({ name: p.slice(dir.length - dir.split('/').pop().length), bytes: statSync(p).size });
    }
  };
  walk(dir);
  return found;
}

/** Prints the rows with bytes per paper, and the total. */
export function printDisk(title, rows, papers) {
  const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  console.log(`\n${title}: disk, ${papers.toLocaleString('en-US')} papers (bytes per paper = size / papers)`);
  console.log('  ' + 'table / index / file'.padEnd(52) + 'kind'.padEnd(7) + 'size'.padStart(12) + 'B/paper'.padStart(10));
  // relations of one or two pages (empty tables: accounts, subscriptions… on a bench store) in one line
  const small = rows.filter((r) => r.bytes <= 8192);
  for (const r of rows.filter((r) => r.bytes > 8192))
    console.log('  ' + r.name.slice(0, 51).padEnd(52) + r.kind.padEnd(7) + mb(r.bytes).padStart(12) + (r.bytes / papers).toFixed(1).padStart(10));
  if (small.length) console.log(`  ${small.length} more tables and indexes of one or two pages each (${(small.reduce((t, r) => t + r.bytes, 0) / 1024).toFixed(0)} kB): ${small.map((r) => r.name).join(', ').slice(0, 300)}…`);
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  console.log('  ' + 'total'.padEnd(59) + mb(total).padStart(12) + (total / papers).toFixed(1).padStart(10));
  return total;
}

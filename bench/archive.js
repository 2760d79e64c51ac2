// A synthetic "all of arXiv" for the scale benchmark (issue 14, docs/decisions/037): a Kaggle-format
// JSON-lines stream (the `arxiv-metadata-oai-snapshot.json` schema) of N papers, default 2,700,000,
// made from the 74,728 real records of ../shared/data/arxiv:
//   - submissions spread month by month from August 1991 to today along arXiv's growth curve
//     (YEARLY below), each month's papers numbered in submission order: old-style ids
//     (`hep-th/9901001`, the primary category's archive) up to March 2007, `YYMM.NNNN` from
//     April 2007 and `YYMM.NNNNN` from January 2015, as arXiv did;
//   - categories across all of arXiv with shares per era (ERAS below); a cs paper keeps the
//     categories of the real record it was made from, any other gets a primary class and maybe a
//     cross-list or two from the same archive;
//   - v1 created on the submission day, about a third of the papers with a v2 and some with a v3
//     later (never after today); update_date is the newest version's day;
//   - title, abstract, authors, comments, journal-ref and doi of the real records, taken in turn
//     (each real record is reused about N / 74,728 times, under different ids and dates).
// Seeded and streaming: the same parameters always write the same bytes, in constant memory (the
// corpus is read again for every pass instead of held). The file lands in bench/out/ and is reused
// when one with the same parameters is there. Progress on a terminal only; quiet when piped.
//
//   node bench/archive.js [--papers N] [--seed S]     prints the file's path on stdout
//   import { makeArchive } from './archive.js'         await makeArchive({ papers, seed }) → path
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { SingleBar } from 'cli-progress';
import { seededRandom } from '../dist/core/seeded-random.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'data', 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const out = join(root, 'bench', 'out');

export const DEFAULT_PAPERS = 2_700_000;
export const DEFAULT_SEED = 14;
/** Bump when the generator writes something else for the same parameters: older files are then made again. */
const GENERATOR_VERSION = 1;

/**
 * New submissions a month, per year: an approximation, rounded, of arXiv's published monthly
 * submission statistics (arxiv.org/stats/monthly_submissions; arXiv's yearly totals divided by
 * 12). arXiv opened in August 1991. Years after the last row repeat it. Only the shape matters:
 * the counts are scaled so that they add up to the number of papers asked for (at 2.7M papers
 * and "today" late in 2026, a scale of about 0.83).
 */
export const YEARLY = {
  1991: 300, 1992: 270, 1993: 560, 1994: 840, 1995: 1_080, 1996: 1_300, 1997: 1_630, 1998: 1_980,
  1999: 2_250, 2000: 2_540, 2001: 2_730, 2002: 2_940, 2003: 3_170, 2004: 3_560, 2005: 3_810,
  2006: 4_160, 2007: 4_600, 2008: 4_910, 2009: 5_310, 2010: 5_840, 2011: 6_380, 2012: 7_050,
  2013: 7_720, 2014: 8_130, 2015: 8_780, 2016: 9_450, 2017: 10_290, 2018: 11_720, 2019: 12_990,
  2020: 14_860, 2021: 15_130, 2022: 15_480, 2023: 17_380, 2024: 22_000, 2025: 25_500, 2026: 28_000,
};
const FIRST = { year: 1991, month: 8 };

/**
 * Primary archives' shares (percent) per era, from the first year the era starts: roughly what
 * arXiv's per-archive statistics show (physics first, mathematics from the late 1990s, computer
 * science taking off after 2015; eess and econ exist from 2017).
 */
const ERAS = [
  [1991, { 'hep-th': 28, 'hep-ph': 20, 'hep-lat': 5, 'gr-qc': 7, 'astro-ph': 14, 'cond-mat': 20, 'nucl-th': 3, math: 3 }],
  [1995, { 'hep-th': 14, 'hep-ph': 14, 'hep-lat': 3, 'hep-ex': 2, 'gr-qc': 5, 'astro-ph': 20, 'cond-mat': 22, 'nucl-th': 3, 'nucl-ex': 1, math: 8, 'quant-ph': 4, physics: 3, nlin: 1 }],
  [2000, { 'hep-th': 9, 'hep-ph': 11, 'hep-lat': 2, 'hep-ex': 2, 'gr-qc': 4, 'astro-ph': 17, 'cond-mat': 19, 'nucl-th': 2, 'nucl-ex': 1, math: 19, 'quant-ph': 6, physics: 5, nlin: 1, cs: 2 }],
  [2007, { 'hep-th': 7, 'hep-ph': 8, 'hep-lat': 1, 'hep-ex': 2, 'gr-qc': 3, 'astro-ph': 14, 'cond-mat': 15, 'nucl-th': 2, 'nucl-ex': 1, math: 24, 'quant-ph': 6, physics: 7, nlin: 1, cs: 7, stat: 2, 'q-bio': 1, 'q-fin': 1 }],
  [2015, { 'hep-th': 5, 'hep-ph': 5, 'hep-lat': 1, 'hep-ex': 1, 'gr-qc': 2, 'astro-ph': 10, 'cond-mat': 10, 'nucl-th': 1, 'nucl-ex': 1, math: 22, 'quant-ph': 5, physics: 6, nlin: 1, cs: 23, stat: 4, 'q-bio': 1, 'q-fin': 1, eess: 1 }],
  [2020, { 'hep-th': 3, 'hep-ph': 3, 'hep-lat': 1, 'hep-ex': 1, 'gr-qc': 2, 'astro-ph': 7, 'cond-mat': 7, 'nucl-th': 1, math: 16, 'quant-ph': 5, physics: 5, nlin: 0.5, cs: 41, stat: 2, 'q-bio': 1, 'q-fin': 0.5, eess: 4, econ: 1 }],
];
/** Subject classes of the archives that have them (astro-ph's only from 2009), and cs from the real records. */
const CLASSES = {
  'astro-ph': ['astro-ph.GA', 'astro-ph.CO', 'astro-ph.SR', 'astro-ph.HE', 'astro-ph.EP', 'astro-ph.IM'],
  'cond-mat': ['cond-mat.mes-hall', 'cond-mat.mtrl-sci', 'cond-mat.str-el', 'cond-mat.stat-mech', 'cond-mat.supr-con', 'cond-mat.soft', 'cond-mat.quant-gas', 'cond-mat.dis-nn', 'cond-mat.other'],
  math: ['math.AP', 'math.PR', 'math.CO', 'math.AG', 'math.NT', 'math.OC', 'math.DG', 'math.FA', 'math.NA', 'math.DS', 'math.ST', 'math.GT', 'math.RT', 'math.MP', 'math.CA', 'math.GR'],
  physics: ['physics.optics', 'physics.flu-dyn', 'physics.atom-ph', 'physics.plasm-ph', 'physics.ins-det', 'physics.soc-ph', 'physics.comp-ph', 'physics.chem-ph', 'physics.bio-ph', 'physics.app-ph'],
  nlin: ['nlin.CD', 'nlin.SI', 'nlin.PS', 'nlin.AO'],
  stat: ['stat.ME', 'stat.ML', 'stat.AP', 'stat.TH', 'stat.CO'],
  'q-bio': ['q-bio.NC', 'q-bio.PE', 'q-bio.QM', 'q-bio.BM', 'q-bio.MN'],
  'q-fin': ['q-fin.ST', 'q-fin.MF', 'q-fin.PM', 'q-fin.CP', 'q-fin.TR'],
  eess: ['eess.SP', 'eess.IV', 'eess.AS', 'eess.SY'],
  econ: ['econ.EM', 'econ.GN', 'econ.TH'],
};
const DAY_MS = 86_400_000;

/** The months from August 1991 to `today`'s, each with its share of `papers` (integers adding up to it). */
export function monthlyCounts(papers, today) {
  const months = [];
  const end = { year: today.getUTCFullYear(), month: today.getUTCMonth() + 1 };
  const last = Math.max(...Object.keys(YEARLY).map(Number));
  for (let y = FIRST.year; y <= end.year; y++)
    for (let m = y === FIRST.year ? FIRST.month : 1; m <= (y === end.year ? end.month : 12); m++) {
      // the current month counts only the days gone by
      const days = daysIn(y, m);
      const part = y === end.year && m === end.month ? today.getUTCDate() / days : 1;
      months.push({ year: y, month: m, days: y === end.year && m === end.month ? today.getUTCDate() : days, weight: YEARLY[Math.min(y, last)] * part });
    }
  const total = months.reduce((s, m) => s + m.weight, 0);
  let given = 0;
  let carried = 0;
  for (const m of months) {
    carried += (m.weight / total) * papers;
    m.count = Math.round(carried) - given;
    given += m.count;
  }
  return months;
}

const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Draws a key of {key: weight} with the generator. */
function draw(rand, weights) {
  const entries = Object.entries(weights);
  let x = rand() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [key, w] of entries) if ((x -= w) < 0) return key;
  return entries[entries.length - 1][0];
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** A primary category of `archive` for a paper of `year`, and maybe a cross-list or two. */
function categoriesOf(rand, archive, year, real) {
  if (archive === 'cs') return real; // the real record's own, which are cs.*
  const classes = CLASSES[archive];
  if (!classes || (archive === 'astro-ph' && year < 2009)) return archive;
  const primary = pick(rand, classes);
  const cats = [primary];
  const cross = rand();
  if (cross < 0.35) cats.push(pick(rand, classes));
  if (cross < 0.1) cats.push(pick(rand, classes));
  return [...new Set(cats)].join(' ');
}

/** The id of the `n`-th paper (1-based) of a month: old style per archive, new style after March 2007. */
function idOf(year, month, n, archive) {
  const yymm = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}`;
  if (year < 2007 || (year === 2007 && month < 4)) {
    if (n > 999) throw new Error(`more than 999 ${archive} papers in ${year}-${month}: old-style ids have 3 digits (ask for fewer papers)`);
    return `${archive}/${yymm}${String(n).padStart(3, '0')}`;
  }
  const digits = year < 2015 ? 4 : 5;
  if (n >= 10 ** digits) throw new Error(`more than ${10 ** digits - 1} papers in ${year}-${month}: ${digits}-digit ids (ask for fewer papers)`);
  return `${yymm}.${String(n).padStart(digits, '0')}`;
}

/** v1 on the submission day, then maybe a v2 and a v3 a few days to a year apart, none after today. */
function versionsOf(rand, submitted, today) {
  const versions = [submitted];
  const more = rand();
  const count = more < 0.1 ? 3 : more < 0.35 ? 2 : 1;
  for (let v = 2; v <= count; v++) {
    const next = new Date(versions[versions.length - 1].getTime() + (3 + Math.floor(rand() * 360)) * DAY_MS + Math.floor(rand() * DAY_MS));
    if (next > today) break;
    versions.push(next);
  }
  return versions;
}

/** One paper as the Kaggle snapshot writes it, its text from the real record `real`. */
function paperLine(real, { id, categories, versions }) {
  const newest = versions[versions.length - 1];
  return JSON.stringify({
    id,
    submitter: real.submitter,
    authors: real.authors,
    title: real.title,
    comments: real.comments,
    'journal-ref': real['journal-ref'],
    doi: real.doi,
    'report-no': real['report-no'],
    categories,
    license: real.license,
    abstract: real.abstract,
    versions: versions.map((d, i) => ({ version: `v${i + 1}`, created: d.toUTCString() })),
    update_date: newest.toISOString().slice(0, 10),
    authors_parsed: real.authors_parsed,
  });
}

/** The real records, over and over: the corpus is read again (gunzipped) for each pass. */
async function* realRecords() {
  for (;;)
    for await (const line of createInterface({ input: createReadStream(corpus).pipe(createGunzip()), crlfDelay: Infinity }))
      if (line.trim() !== '') yield JSON.parse(line);
}

/** Where the archive of these parameters is (or will be) written. */
export function archiveFile({ papers = DEFAULT_PAPERS, seed = DEFAULT_SEED, today = new Date() } = {}) {
  return join(out, `archive-${papers}-seed${seed}-to${today.toISOString().slice(0, 10)}-g${GENERATOR_VERSION}.jsonl`);
}

/**
 * Writes the archive (or finds it already written) and resolves to its path. `today` is the last
 * submission day (default: today, UTC); `progress` a stream to draw a bar on when it is a terminal.
 */
export async function makeArchive({ papers = DEFAULT_PAPERS, seed = DEFAULT_SEED, today = new Date(), progress = process.stderr } = {}) {
  const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const file = archiveFile({ papers, seed, today: day });
  if (existsSync(file)) return file;
  mkdirSync(out, { recursive: true });
  // the same size and seed made another day or by an older generator: gone, not left to pile up (GBs each)
  for (const old of readdirSync(out)) if (old.startsWith(`archive-${papers}-seed${seed}-`)) rmSync(join(out, old));
  const partial = `${file}.partial`;
  const w = createWriteStream(partial);
  const bar = progress?.isTTY ? new SingleBar({ stream: progress, format: 'archive [{bar}] {percentage}% | {value}/{total} papers | ETA {eta_formatted}', barsize: 24, hideCursor: true, clearOnComplete: true, etaBuffer: 50 }) : null;
  bar?.start(papers, 0);
  const rand = seededRandom(seed);
  const records = realRecords();
  const endOfToday = new Date(day.getTime() + DAY_MS - 1000);
  let written = 0;
  for (const m of monthlyCounts(papers, day)) {
    const shares = ERAS.filter(([from]) => from <= m.year).pop()[1];
    const perArchive = {};
    let newStyle = 0;
    for (let k = 0; k < m.count; k++) {
      const real = (await records.next()).value;
      const archive = draw(rand, shares);
      const n = (perArchive[archive] = (perArchive[archive] ?? 0) + 1);
      // the month's days in order, so that ids rise with submission time as arXiv's do
      const dayOfMonth = 1 + Math.floor((k * m.days) / m.count);
      const submitted = new Date(Date.UTC(m.year, m.month - 1, dayOfMonth) + Math.floor(rand() * DAY_MS));
      const paper = {
        id: idOf(m.year, m.month, m.year < 2007 || (m.year === 2007 && m.month < 4) ? n : ++newStyle, archive),
        categories: categoriesOf(rand, archive, m.year, real.categories),
        versions: versionsOf(rand, submitted < endOfToday ? submitted : endOfToday, endOfToday),
      };
      if (!w.write(paperLine(real, paper) + '\n')) await once(w, 'drain');
      if (++written % 10_000 === 0) bar?.update(written);
    }
  }
  await records.return();
  w.end();
  await once(w, 'finish');
  bar?.stop();
  renameSync(partial, file);
  return file;
}

// run as a script: make the file, print its path
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i < 0 ? fallback : Number(process.argv[i + 1]);
  };
  const papers = arg('--papers', DEFAULT_PAPERS);
  const seed = arg('--seed', DEFAULT_SEED);
  if (!Number.isInteger(papers) || papers < 1 || !Number.isInteger(seed)) {
    console.error('usage: node bench/archive.js [--papers N] [--seed S]');
    process.exit(2);
  }
  const started = Date.now();
  const file = await makeArchive({ papers, seed });
  if (process.stderr.isTTY) process.stderr.write(`${papers.toLocaleString('en-US')} papers in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  console.log(file);
}

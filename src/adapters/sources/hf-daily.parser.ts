/**
 * Hugging Face daily papers (`https://huggingface.co/api/daily_papers?date=YYYY-MM-DD`) to
 * PaperRecords carrying the HF signals: upvotes, comments, stars, AI keywords and summary.
 *
 * The response shape drifted over time (see shared/data/README.md): fields come and go, some
 * recorded files hold entries as Python-repr strings, one wraps the array in {status, date,
 * count, data}. Every optional field is read as nullable, unknown keys are ignored, and a bad
 * entry is a RecordError ("entry 12", 1-based) that leaves the rest of the day usable.
 */
import { parseArxivId } from '../../core/arxiv-id.js';
import { InputUnusableError } from '../../core/errors.js';
import type { HfSignals, PaperRecord } from '../../core/paper.js';
import { cleanAbstract, cleanLine, toDay, toIsoTimestamp } from '../../core/text.js';
import { validateRecord } from '../../core/validate.js';
import type { ParseResult, RecordError } from '../../ports/source.js';
import { jsonErrorOffset, lineColumn, shortJsonMessage } from './json-error.js';

type Json = Record<string, unknown>;

/**
 * Parses one daily_papers response. `day` is the date the response was requested for (from the
 * URL or file name); it is the day the papers were featured. Throws InputUnusableError when the
 * text is not JSON or not a list of daily papers at all.
 */
export function parseHfDaily(text: string, source: string, day: string | null): ParseResult {
  const entries = entriesOf(parseJson(text, source), source);
  const result: ParseResult = { records: [], errors: [] };
  entries.forEach((entry, i) => {
    const r = toRecord(entry, day);
    if (typeof r === 'string') result.errors.push(entryError(source, i, r));
    else result.records.push(r);
  });
  return result;
}

/** The requested day in a recorded file name: "2024-05-27.json", "daily_papers_2024-03-12.json.gz". */
export function hfDayFromFilename(path: string): string | null {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const m = /(?:^|[^\d])(\d{4}-\d{2}-\d{2})\.json(?:\.gz)?$/i.exec(name);
  if (!m) return null;
  // the pattern alone would take 2024-13-40: check it is a calendar day
  const d = m[1]!;
  const ms = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d) ? d : null;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const offset = jsonErrorOffset(text) ?? text.length;
    throw new InputUnusableError(source, lineColumn(text, offset), `not valid JSON: ${shortJsonMessage(e)}`, {
      cause: e,
    });
  }
}

function entriesOf(doc: unknown, source: string): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (isObject(doc) && Array.isArray(doc.data)) return doc.data;
  const found = isObject(doc)
    ? `an object with keys ${Object.keys(doc).slice(0, 8).join(', ') || '(none)'}`
    : `a JSON ${doc === null ? 'null' : typeof doc}`;
  throw new InputUnusableError(source, 'top level', `expected a JSON array of daily papers (or {data: [...]}), found ${found}`);
}

function entryError(source: string, index: number, reason: string): RecordError {
  return { source, at: `entry ${index + 1}`, reason };
}

/** The record of one entry, or why it can't be one. */
function toRecord(entry: unknown, day: string | null): PaperRecord | string {
  if (typeof entry === 'string') return reprReason(entry);
  if (!isObject(entry)) return `a JSON ${entry === null ? 'null' : Array.isArray(entry) ? 'array' : typeof entry}, not an object`;
  const paper = entry.paper;
  if (!isObject(paper)) return 'no "paper" object';
  const rawId = str(paper.id);
  const parsed = rawId === null ? null : parseArxivId(rawId);
  if (!parsed) return rawId === null ? 'paper without "id"' : `not an arXiv id: ${JSON.stringify(rawId.slice(0, 60))}`;

  const record: PaperRecord = {
    id: parsed.id,
    version: null, // the daily page is about the paper, not one of its versions
    source: 'hf-daily',
    title: cleanLine(str(paper.title)) ?? cleanLine(str(entry.title)),
    abstract: cleanAbstract(str(paper.summary)) ?? cleanAbstract(str(entry.summary)),
    authors: toAuthors(paper.authors),
    submittedAt: toIsoTimestamp(str(paper.publishedAt)),
    codeUrl: cleanLine(str(paper.githubRepo)),
    projectUrl: projectUrl(str(paper.projectPage), parsed.id),
    hf: toSignals(entry, paper, day),
  };
  return validateRecord(record) ?? record;
}

function toSignals(entry: Json, paper: Json, day: string | null): Partial<HfSignals> {
  return {
    upvotes: num(paper.upvotes),
    comments: num(entry.numComments),
    githubStars: num(paper.githubStars),
    aiKeywords: toKeywords(paper.ai_keywords),
    aiSummary: cleanLine(str(paper.ai_summary)),
    featuredOn: day ?? toDay(str(paper.submittedOnDailyAt)) ?? toDay(str(entry.publishedAt)),
  };
}

function toAuthors(raw: unknown): string[] | null {
  if (!Array.isArray(raw)) return null;
  const names: string[] = [];
  for (const a of raw as unknown[]) {
    const name = isObject(a) ? cleanLine(str(a.name)) : null;
    if (name) names.push(name);
  }
  return names.length > 0 ? names : null;
}

function toKeywords(raw: unknown): string[] | null {
  if (!Array.isArray(raw)) return null;
  const words = (raw as unknown[]).map((w) => cleanLine(str(w))).filter((w): w is string => w !== null);
  return words.length > 0 ? words : null;
}

/** The project page, unless it is only the paper's own arXiv page (abs, pdf or html). */
function projectUrl(raw: string | null, id: string): string | null {
  const url = cleanLine(raw);
  if (url === null) return null;
  return parseArxivId(url)?.id === id ? null : url;
}

/** The scraper wrote some entries as Python repr strings: say which paper when the repr shows it. */
function reprReason(s: string): string {
  const id = /'id': '([^']{1,40})'/.exec(s.slice(0, 200))?.[1];
  const what = s.trimStart().startsWith('{') ? 'a string (a Python repr), not a JSON object' : 'a string, not a JSON object';
  return id ? `paper ${id} given as ${what}` : `entry given as ${what}`;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

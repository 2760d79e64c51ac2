// Hugging Face daily papers: the recorded responses in shared/data, quirks included.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputUnusableError } from '../../core/errors.js';
import { hfDayFromFilename, parseHfDaily } from './hf-daily.parser.js';

const DIR = new URL('../../../../shared/data/hf-daily-papers/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
const entries = (name: string): unknown[] => JSON.parse(read(name)) as unknown[];

function parseFile(name: string, day: string | null = hfDayFromFilename(name)) {
  return parseHfDaily(read(name), name, day);
}

function unusable(text: string): InputUnusableError {
  try {
    parseHfDaily(text, 'x.json', null);
  } catch (e) {
    if (e instanceof InputUnusableError) return e;
    throw e;
  }
  throw new Error('expected InputUnusableError');
}

describe('parseHfDaily on recorded days', () => {
  it('maps an early entry (no AI fields, no repo)', () => {
    const { records, errors } = parseFile('2024-05-27.json');
    expect(errors).toEqual([]);
    expect(records).toHaveLength(13);
    expect(records[0]).toEqual({
      id: '2405.15738',
      version: null,
      source: 'hf-daily',
      title: 'ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models',
      abstract: expect.stringMatching(/^High-resolution Large Multimodal Models \(LMMs\) encounter the challenges of excessive/),
      authors: ['Chunjiang Ge', 'Sijie Cheng', 'Ziming Wang', 'Jiale Yuan', 'Yuan Gao', 'Jun Song', 'Shiji Song', 'Gao Huang', 'Bo Zheng'],
      submittedAt: '2024-05-24T17:34:15.000Z',
      codeUrl: null,
      projectUrl: null,
      hf: { upvotes: 32, comments: 3, githubStars: null, aiKeywords: null, aiSummary: null, featuredOn: '2024-05-27' },
    });
  });

  it('maps the HF signals of a recent entry', () => {
    const r = parseFile('2025-06-25.json').records[0]!;
    expect(r.id).toBe('2506.19851');
    expect(r.title).toBe('AnimaX: Animating the Inanimate in 3D with Joint Video-Pose Diffusion Models');
    expect(r.authors).toEqual(['Zehuan Huang', 'Haoran Feng', 'Yangtian Sun', 'Yuanchen Guo', 'Yanpei Cao', 'Lu Sheng']);
    expect(r.codeUrl).toBe('https://github.com/anima-x/anima-x');
    expect(r.projectUrl).toBe('https://anima-x.github.io/');
    expect(r.hf).toEqual({
      upvotes: 21,
      comments: 1,
      githubStars: 20,
      aiKeywords: expect.arrayContaining(['feed-forward 3D animation framework', 'VBench', 'category-agnostic 3D animation']),
      aiSummary: expect.stringMatching(/^AnimaX creates multi-skeleton 3D animations by blending/),
      featuredOn: '2025-06-25',
    });
    expect(r.hf!.aiKeywords).toHaveLength(15);
  });

  it('takes featuredOn from the day asked for, else submittedOnDailyAt, else the entry date', () => {
    expect(parseFile('2025-06-25.json', '2030-01-01').records[0]!.hf!.featuredOn).toBe('2030-01-01');
    expect(parseFile('2025-06-25.json', null).records[0]!.hf!.featuredOn).toBe('2025-06-25');
    // early files have no submittedOnDailyAt; the paper itself was published on 2024-03-11
    const early = parseFile('early-2024/daily_papers_2024-03-12.json', null).records[0]!;
    expect(early.id).toBe('2403.06634');
    expect(early.submittedAt).toBe('2024-03-11T11:46:12.000Z');
    expect(early.hf!.featuredOn).toBe('2024-03-12');
  });

  it("drops a project page that is only the paper's own arXiv page", () => {
    expect(parseFile('2026-04-14.json').records[31]!).toMatchObject({ id: '2604.09212', projectUrl: null });
    expect(parseFile('2025-10-30.json').records[12]!).toMatchObject({ id: '2510.24654', projectUrl: null });
    expect(parseFile('2025-06-03.json').records[18]!.projectUrl).toBe(
      'https://huggingface.co/collections/yolay/raif-arxivorg-pdf-250601413-682b16e5c0c2fa9b73811369',
    );
  });
});

describe('parseHfDaily quirks', () => {
  it('rejects the Python-repr string entries of 2024-12-26.json, one error each', () => {
    const { records, errors } = parseFile('2024-12-26.json');
    expect(records).toEqual([]);
    expect(errors.map((e) => e.at)).toEqual(['entry 1', 'entry 2', 'entry 3', 'entry 4']);
    expect(errors[0]).toEqual({
      source: '2024-12-26.json',
      at: 'entry 1',
      reason: 'paper 2412.18547 given as a string (a Python repr), not a JSON object',
    });
  });

  it('keeps every good entry around a string entry', () => {
    const good = entries('2024-05-27.json');
    const mixed = [...good.slice(0, 5), entries('2024-12-26.json')[0], ...good.slice(5)];
    const { records, errors } = parseHfDaily(JSON.stringify(mixed), 'mixed.json', '2024-05-27');
    expect(records.map((r) => r.id)).toEqual(parseFile('2024-05-27.json').records.map((r) => r.id));
    expect(errors).toEqual([
      { source: 'mixed.json', at: 'entry 6', reason: 'paper 2412.18547 given as a string (a Python repr), not a JSON object' },
    ]);
  });

  it('unwraps 2025-01-10.json ({status, date, count, data})', () => {
    const { records, errors } = parseFile('2025-01-10.json');
    expect(records).toEqual([]);
    expect(errors).toHaveLength(9); // all nine entries of that day are repr strings
    const wrapped = { status: 'success', date: '2024-05-27', count: 13, data: entries('2024-05-27.json') };
    expect(parseHfDaily(JSON.stringify(wrapped), 'w.json', null).records).toHaveLength(13);
  });

  it('reads all 558 recorded days: 8,998 papers, the 300 repr strings rejected, in 22 files', () => {
    const names = [
      ...readdirSync(DIR).filter((f) => f.endsWith('.json')),
      ...readdirSync(new URL('early-2024/', DIR)).map((f) => `early-2024/${f}`),
    ];
    expect(names).toHaveLength(558);
    let records = 0;
    const errorFiles = new Set<string>();
    let errors = 0;
    for (const name of names) {
      const r = parseFile(name);
      records += r.records.length;
      errors += r.errors.length;
      for (const e of r.errors) errorFiles.add(e.source);
      expect(r.errors.every((e) => e.reason.includes('Python repr'))).toBe(true);
    }
    expect(records).toBe(8998);
    expect(errors).toBe(300);
    expect(errorFiles.size).toBe(22);
  });

  it('reports bad entries at their 1-based index and keeps the rest', () => {
    const good = entries('2024-05-27.json');
    const second = good[1] as { paper: { id: string } };
    const noTitle = { ...second, title: null, paper: { ...second.paper, title: '' } };
    const list = [good[0], 7, { numComments: 1 }, { paper: { id: 'not-an-id', title: 'x' } }, noTitle];
    const { records, errors } = parseHfDaily(JSON.stringify(list), 'e.json', null);
    expect(records.map((r) => r.id)).toEqual(['2405.15738']);
    expect(errors).toEqual([
      { source: 'e.json', at: 'entry 2', reason: 'a JSON number, not an object' },
      { source: 'e.json', at: 'entry 3', reason: 'no "paper" object' },
      { source: 'e.json', at: 'entry 4', reason: 'not an arXiv id: "not-an-id"' },
      { source: 'e.json', at: 'entry 5', reason: `paper ${second.paper.id}: missing title` },
    ]);
  });
});

describe('parseHfDaily on unusable input', () => {
  it('says where the JSON breaks, as line and column', () => {
    const e = unusable('[\n  {"paper": 1},\n  {"paper" 2}\n]');
    expect(e.at).toBe('line 3, column 12');
    expect(e.reason).toMatch(/^not valid JSON: /);
  });

  it('places a cut-off file at its end', () => {
    const text = read('2024-05-27.json').slice(0, 700);
    const lines = text.split('\n');
    expect(unusable(text).at).toBe(`line ${lines.length}, column ${lines.at(-1)!.length + 1}`);
  });

  it('refuses JSON that is not a list of daily papers', () => {
    expect(unusable('{"error": "Invalid date"}').reason).toBe(
      'expected a JSON array of daily papers (or {data: [...]}), found an object with keys error',
    );
    expect(unusable('42').reason).toMatch(/found a JSON number$/);
    expect(unusable('<!DOCTYPE html><html></html>').reason).toMatch(/^not valid JSON/);
  });
});

describe('hfDayFromFilename', () => {
  it('reads the day from recorded file names, compressed or not', () => {
    expect(hfDayFromFilename('/data/hf/2024-05-27.json')).toBe('2024-05-27');
    expect(hfDayFromFilename('early-2024/daily_papers_2024-03-12.json')).toBe('2024-03-12');
    expect(hfDayFromFilename('C:\\hf\\2024-05-27.json.gz')).toBe('2024-05-27');
    expect(hfDayFromFilename('daily_papers_2024-03-12.JSON.GZ')).toBe('2024-03-12');
  });

  it('returns null when there is no real day', () => {
    expect(hfDayFromFilename('papers.json')).toBeNull();
    expect(hfDayFromFilename('2024-13-40.json')).toBeNull();
    expect(hfDayFromFilename('2024-02-30.json')).toBeNull();
    expect(hfDayFromFilename('2024-05-27.xml')).toBeNull();
    expect(hfDayFromFilename('12024-05-27.json')).toBeNull();
  });
});

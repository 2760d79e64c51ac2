/**
 * `paperboy models pull` against a fake Hugging Face hub on loopback that answers as the hub does:
 * HEAD of a large file a 302 with X-Linked-Etag (its SHA-256) and X-Linked-Size, the file itself
 * from a "CDN" path that honours Range; small files 200 with their git blob SHA-1 as ETag. The
 * model served is the tiny one the tests build, so the pulled folder is then loaded by the ONNX
 * embedder (needs `npm run build`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OnnxEmbedder, resolveModelFolder } from '../../src/adapters/embedding/onnx.embedder.js';
import { runCli } from '../support/cli.js';
import { writeTinyModel } from '../support/tiny-onnx-model.js';

const root = mkdtempSync(join(tmpdir(), 'paperboy-pull-'));
const ID = 'sentence-transformers/all-MiniLM-L6-v2';
const repo = writeTinyModel(join(root, 'repo'), { modelPath: 'onnx/model.onnx', pooling: 'mean' }).dir;
const FILES = ['onnx/model.onnx', 'tokenizer.json', 'config.json', 'tokenizer_config.json', 'special_tokens_map.json', '1_Pooling/config.json'];
const LARGE = new Set(['onnx/model.onnx', 'tokenizer.json']);

interface Hit {
  method: string;
  url: string;
  range: string | undefined;
}
let hits: Hit[] = [];
/** what the CDN sends instead of the file's bytes (a corrupt mirror) */
let corrupt: string | null = null;
let server: Server;
let endpoint: string;

beforeAll(async () => {
  const bytes = new Map(FILES.map((f) => [f, readFileSync(join(repo, f))]));
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const gitSha1 = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
  server = createServer((req, res) => {
    hits.push({ method: req.method!, url: req.url!, range: req.headers.range });
    const m = /^\/sentence-transformers\/all-MiniLM-L6-v2\/resolve\/main\/(.+)$/.exec(req.url!);
    const cdn = /^\/cdn\/(.+)$/.exec(req.url!);
    if (m) {
      const file = decodeURIComponent(m[1]!);
      const b = bytes.get(file);
      if (!b) return void res.writeHead(404).end('Entry not found');
      if (LARGE.has(file))
        return void res.writeHead(302, { location: `/cdn/${encodeURIComponent(file)}`, 'x-linked-etag': `"${sha256(b)}"`, 'x-linked-size': String(b.length), etag: `"${sha256(b)}"` }).end();
      res.writeHead(200, { etag: `"${gitSha1(b)}"`, 'content-length': b.length });
      return void res.end(req.method === 'HEAD' ? undefined : b);
    }
    if (cdn) {
      let b = bytes.get(decodeURIComponent(cdn[1]!))!;
      if (corrupt && cdn[1]!.includes(corrupt)) b = Buffer.from(b.map((x) => x ^ 0xff));
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (range) {
        const from = Number(range[1]);
        if (from >= b.length) return void res.writeHead(416).end();
        res.writeHead(206, { 'content-range': `bytes ${from}-${b.length - 1}/${b.length}`, 'content-length': b.length - from });
        return void res.end(b.subarray(from));
      }
      return void res.writeHead(200, { 'content-length': b.length }).end(b);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

let modelDir: string;
beforeEach(() => {
  modelDir = mkdtempSync(join(root, 'models-'));
  hits = [];
  corrupt = null;
});
const pull = (...args: string[]) => runCli(['models', 'pull', ID, ...args], { PAPERBOY_HF_ENDPOINT: endpoint, PAPERBOY_MODEL_DIR: modelDir });

describe('paperboy models pull', () => {
  it('fetches the ONNX export and tokenizer files into the model directory, where the ONNX embedder finds them', async () => {
    const r = await pull();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const folder = join(modelDir, ID);
    for (const f of FILES) expect(readFileSync(join(folder, f)).equals(readFileSync(join(repo, f)))).toBe(true);
    expect(existsSync(join(folder, 'sentence_bert_config.json'))).toBe(false); // the repository has none: skipped
    expect(r.stdout).toMatch(/onnx\/model\.onnx: 1\.9 MB/);
    expect(r.stdout).toContain(`PAPERBOY_ONNX_MODEL=${ID}`);
    const e = await OnnxEmbedder.create({ ...resolveModelFolder(ID, modelDir) });
    expect(e.id).toMatch(/^onnx:sentence-transformers\/all-MiniLM-L6-v2:[0-9a-f]{12}$/);
    expect((await e.embed(['pulled and loaded'], 'document'))[0]!.length).toBe(16);
    await e.close();

    hits = [];
    const again = await pull('--json');
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { files: { file: string; downloaded: boolean }[] };
    expect(summary.files.every((f) => !f.downloaded)).toBe(true);
    expect(hits.every((h) => h.method === 'HEAD')).toBe(true); // checked, not fetched again
  });

  it('resumes an interrupted download with a Range request', async () => {
    const whole = readFileSync(join(repo, 'onnx/model.onnx'));
    mkdirSync(join(modelDir, ID, 'onnx'), { recursive: true });
    writeFileSync(join(modelDir, ID, 'onnx/model.onnx.part'), whole.subarray(0, 1_000_000));
    const r = await pull('--json');
    expect(r.code).toBe(0);
    expect(hits.find((h) => h.url.startsWith('/cdn/onnx') && h.method === 'GET')!.range).toBe('bytes=1000000-');
    expect(readFileSync(join(modelDir, ID, 'onnx/model.onnx')).equals(whole)).toBe(true);
    expect(existsSync(join(modelDir, ID, 'onnx/model.onnx.part'))).toBe(false);
    const files = (JSON.parse(r.stdout) as { files: { file: string; resumedFrom: number }[] }).files;
    expect(files.find((f) => f.file === 'onnx/model.onnx')!.resumedFrom).toBe(1_000_000);
  });

  it('refuses a file whose checksum is not the one the hub announced, and keeps nothing of it', async () => {
    corrupt = 'tokenizer.json';
    const r = await pull();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/resolve\/main\/tokenizer\.json: checksum mismatch \(expected SHA-256 [0-9a-f]{64}\)/);
    expect(existsSync(join(modelDir, ID, 'tokenizer.json'))).toBe(false);
    expect(existsSync(join(modelDir, ID, 'tokenizer.json.part'))).toBe(false);
  });

  it('says what is wrong with the id, a repository without ONNX, and a hub that is down', async () => {
    const bad = await runCli(['models', 'pull', '../etc/passwd'], { PAPERBOY_HF_ENDPOINT: endpoint, PAPERBOY_MODEL_DIR: modelDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a Hugging Face model id/);
    const none = await runCli(['models', 'pull', 'someone/no-onnx'], { PAPERBOY_HF_ENDPOINT: endpoint, PAPERBOY_MODEL_DIR: modelDir });
    expect(none.stderr).toMatch(/someone\/no-onnx: the repository has no onnx\/model\.onnx or model\.onnx/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const down = await runCli(['models', 'pull', ID], { PAPERBOY_HF_ENDPOINT: `http://127.0.0.1:${port}`, PAPERBOY_MODEL_DIR: modelDir });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/http:\/\/127\.0\.0\.1:\d+\/sentence-transformers\/all-MiniLM-L6-v2\/resolve\/main\/onnx\/model\.onnx: .*ECONNREFUSED.*\(after 3 attempts\)/);
  });
});

/**
 * The embedder settings (src/config.ts) and the factory that turns them into an Embedder:
 * validation naming the setting, the API key never shown by `paperboy config`, each kind made
 * for real (ONNX over the tiny model, OpenAI against the local endpoint; `npm run build` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedderFromConfig } from '../../src/adapters/embedding/from-config.js';
import { describeConfig, loadConfig } from '../../src/config.js';
import type { Embedder } from '../../src/ports/embedder.js';
import { runCli } from '../support/cli.js';
import { startEmbeddingsServer, type EmbeddingsServer } from '../support/embeddings-server.js';
import { writeTinyModel } from '../support/tiny-onnx-model.js';

const root = mkdtempSync(join(tmpdir(), 'paperboy-embedder-config-'));
let server: EmbeddingsServer;
beforeAll(async () => {
  server = await startEmbeddingsServer(8);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('embedder settings', () => {
  it('defaults to the built-in embedder, with the model directory beside the SQLite file', () => {
    const c = loadConfig({ PAPERBOY_DATABASE_URL: '/srv/paperboy/papers.db' });
    expect(c.PAPERBOY_EMBEDDER).toBe('builtin');
    expect(c.PAPERBOY_MODEL_DIR).toBe('/srv/paperboy/models');
    expect(loadConfig({ PAPERBOY_DATABASE_URL: 'postgres://u@h/db' }).PAPERBOY_MODEL_DIR).toBe(join('data', 'models'));
  });

  it('names what an embedder lacks, and a bad value', () => {
    expect(() => loadConfig({ PAPERBOY_EMBEDDER: 'onnx' })).toThrow(/PAPERBOY_ONNX_MODEL: needed when PAPERBOY_EMBEDDER=onnx/);
    expect(() => loadConfig({ PAPERBOY_EMBEDDER: 'openai' })).toThrow(/PAPERBOY_EMBEDDINGS_URL: needed[\s\S]*PAPERBOY_EMBEDDINGS_MODEL: needed/);
    expect(() => loadConfig({ PAPERBOY_EMBEDDER: 'word2vec' })).toThrow(/PAPERBOY_EMBEDDER="word2vec"/);
    expect(() => loadConfig({ PAPERBOY_EMBEDDINGS_DIMENSIONS: '-3' })).toThrow(/PAPERBOY_EMBEDDINGS_DIMENSIONS/);
  });

  it('never shows the API key, nor the password of the endpoint URL', async () => {
    const env = { PAPERBOY_EMBEDDER: 'openai', PAPERBOY_EMBEDDINGS_URL: 'https://user:hunter2@embed.example.org', PAPERBOY_EMBEDDINGS_MODEL: 'm', PAPERBOY_EMBEDDINGS_API_KEY: 'sk-secret-123' };
    const rows = describeConfig(loadConfig(env));
    expect(rows.find((r) => r.name === 'PAPERBOY_EMBEDDINGS_API_KEY')!.value).toBe('***');
    expect(rows.find((r) => r.name === 'PAPERBOY_EMBEDDINGS_URL')!.value).toBe('https://user:***@embed.example.org/');
    const r = await runCli(['config', '--json'], env);
    expect(r.stdout).not.toContain('sk-secret-123');
    expect(r.stdout).not.toContain('hunter2');
  });
});

describe('embedderFromConfig', () => {
  const made: Embedder[] = [];
  afterAll(async () => {
    for (const e of made) await e.close();
  });

  it('delegates builtin to the loader it is given, and says so when none is', async () => {
    const c = loadConfig({});
    const fake: Embedder = { id: 'builtin:test', dimensions: 3, embed: () => Promise.resolve([]), close: () => Promise.resolve() };
    expect(await embedderFromConfig(c, { loadBuiltin: () => Promise.resolve(fake) })).toBe(fake);
    await expect(embedderFromConfig(c)).rejects.toThrow(/no way to load the built-in embedder/);
  });

  it('makes the ONNX embedder from a hub id under the model directory, with the prefixes set', async () => {
    const modelDir = join(root, 'models');
    writeTinyModel(join(modelDir, 'thenlper', 'gte-small'));
    const c = loadConfig({ PAPERBOY_EMBEDDER: 'onnx', PAPERBOY_MODEL_DIR: modelDir, PAPERBOY_ONNX_MODEL: 'thenlper/gte-small', PAPERBOY_EMBEDDINGS_QUERY_PREFIX: 'query: ' });
    const e = await embedderFromConfig(c);
    made.push(e);
    expect(e.id).toMatch(/^onnx:thenlper\/gte-small:[0-9a-f]{12}\+p[0-9a-f]{8}$/);
    expect(e.dimensions).toBe(16);
  });

  it('makes the OpenAI-compatible embedder, asking the endpoint its dimensions', async () => {
    const c = loadConfig({ PAPERBOY_EMBEDDER: 'openai', PAPERBOY_EMBEDDINGS_URL: server.url, PAPERBOY_EMBEDDINGS_MODEL: 'nomic-embed-text', PAPERBOY_EMBEDDINGS_API_KEY: 'k' });
    const e = await embedderFromConfig(c);
    made.push(e);
    expect(e.id).toBe('openai:nomic-embed-text:8');
    expect(server.requests.at(-1)!.authorization).toBe('Bearer k');
  });
});

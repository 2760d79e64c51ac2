/**
 * The OpenAI-compatible embedder against a real local HTTP server (test/support/embeddings-server.ts):
 * the Embedder contract, then what the endpoint can do wrong.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiEmbedder, embeddingsUrl, type OpenAiEmbedderOptions } from '../../src/adapters/embedding/openai.embedder.js';
import { PaperboyError } from '../../src/core/errors.js';
import { embedderContract } from '../contracts/embedder.contract.js';
import { startEmbeddingsServer, type EmbeddingsServer } from '../support/embeddings-server.js';

let server: EmbeddingsServer;
beforeAll(async () => {
  server = await startEmbeddingsServer(12);
});
afterAll(async () => {
  await server.close();
});

const make = (over: Partial<OpenAiEmbedderOptions> = {}) =>
  OpenAiEmbedder.create({ url: server.url, model: 'fake-embed', apiKey: 'sk-test-key', batchSize: 5, backoffBaseMs: 5, ...over });

embedderContract('openai (local endpoint)', { make: () => make(), batchSize: 5, kindsDiffer: false });
embedderContract('openai (local endpoint, prefixes)', {
  make: () => make({ prefixes: { query: 'search_query: ', document: 'search_document: ' }, dimensions: 12 }),
  batchSize: 5,
  kindsDiffer: true,
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function failure(p: Promise<unknown>): Promise<PaperboyError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PaperboyError);
  return e as PaperboyError;
}

describe('OpenAI-compatible embedder', () => {
  it('posts the model and the texts in batches, with the API key, and asks the dimensions once when not given', async () => {
    server.requests.length = 0;
    const e = await make();
    expect(e.dimensions).toBe(12);
    expect(e.id).toBe('openai:fake-embed:12');
    expect(server.requests).toHaveLength(1); // the probe
    await e.embed(['a', 'b', '', 'c', 'd', 'e', 'f'], 'document');
    expect(server.requests.slice(1).map((r) => r.input)).toEqual([['a', 'b', 'c', 'd', 'e'], ['f']]); // the blank one is not sent
    expect(server.requests.every((r) => r.model === 'fake-embed' && r.authorization === 'Bearer sk-test-key')).toBe(true);
    await e.close();
  });

  it('puts the prefixes before the texts and says so in its id', async () => {
    server.requests.length = 0;
    const e = await make({ dimensions: 12, prefixes: { query: 'q: ', document: 'd: ' } });
    expect(server.requests).toHaveLength(0); // dimensions given: no probe
    expect(e.id).toMatch(/^openai:fake-embed:12\+p[0-9a-f]{8}$/);
    await e.embed(['x'], 'query');
    await e.embed(['y'], 'document');
    expect(server.requests.map((r) => r.input)).toEqual([['q: x'], ['d: y']]);
    await e.close();
  });

  it('fails naming the endpoint when nothing listens there, after its retries', async () => {
    const url = `http://user:pw@127.0.0.1:${await closedPort()}`;
    const e = await failure(OpenAiEmbedder.create({ url, model: 'm', maxRetries: 2, backoffBaseMs: 1 }));
    expect(e.code).toBe('SOURCE_FAILED');
    expect(e.message).toContain('/v1/embeddings');
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.message).toContain('after 3 attempts');
    expect(e.message).not.toContain('pw');
  });

  it('retries a 500 and then answers', async () => {
    const e = await make({ dimensions: 12 });
    server.plan.push((_q, res) => res.writeHead(500).end('busy'));
    server.requests.length = 0;
    const [v] = await e.embed(['retried text'], 'document');
    expect(server.requests).toHaveLength(2);
    expect(v!.length).toBe(12);
    await e.close();
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const e = await make({ dimensions: 12, backoffBaseMs: 1 });
    server.plan.push((_q, res) => res.writeHead(429, { 'retry-after': '1' }).end('{"error":"rate limited"}'));
    const started = Date.now();
    await e.embed(['after a pause'], 'query');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await e.close();
  });

  it('gives up on a Retry-After longer than it accepts, and on a 5xx that lasts', async () => {
    const e = await make({ dimensions: 12, maxRetryAfterMs: 2000, maxRetries: 1 });
    server.plan.push((_q, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    expect((await failure(e.embed(['x'], 'query'))).message).toMatch(/HTTP 429.*3600 s, more than the 2 s accepted/);
    server.plan.push((_q, res) => res.writeHead(503).end('down'), (_q, res) => res.writeHead(503).end('still down'));
    expect((await failure(e.embed(['x'], 'query'))).message).toMatch(/HTTP 503: "still down" \(after 2 attempts\)/);
    await e.close();
  });

  it('refuses vectors of the wrong length, malformed JSON and a 401 at once', async () => {
    const e = await make({ dimensions: 12 });
    server.requests.length = 0;
    server.plan.push((_q, res) => res.writeHead(200).end(JSON.stringify({ data: [{ index: 0, embedding: [1, 2, 3] }] })));
    expect((await failure(e.embed(['x'], 'query'))).message).toMatch(/vectors of 3 numbers, expected 12/);
    server.plan.push((_q, res) => res.writeHead(200).end('{"data": [oops'));
    expect((await failure(e.embed(['x'], 'query'))).message).toMatch(/not JSON: "\{\\"data\\": \[oops"/);
    server.plan.push((_q, res) => res.writeHead(200).end('{"data": []}'));
    expect((await failure(e.embed(['x'], 'query'))).message).toMatch(/0 embeddings for 1 texts/);
    server.plan.push((_q, res) => res.writeHead(401).end('{"error":"bad key"}'));
    const unauthorised = await failure(e.embed(['x'], 'query'));
    expect(unauthorised.message).toMatch(/HTTP 401.*PAPERBOY_EMBEDDINGS_API_KEY/);
    expect(unauthorised.message).toContain(server.url);
    expect(server.requests).toHaveLength(4); // none retried
    await e.close();
  });

  it('sends at most 8,000 characters of a text, never half a surrogate pair', async () => {
    const e = await make({ dimensions: 12 });
    server.requests.length = 0;
    await e.embed(['word '.repeat(200_000), 'x'.repeat(7999) + '😀 tail'], 'document');
    const [long, emoji] = server.requests[0]!.input;
    expect(long).toHaveLength(8000);
    expect(emoji).toBe('x'.repeat(7999)); // the emoji's two halves would straddle the cut: left out whole
    await e.close();
  });

  it('builds the endpoint URL from a base with or without /v1', () => {
    expect(embeddingsUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434/v1/embeddings');
    expect(embeddingsUrl('https://api.openai.com/v1/')).toBe('https://api.openai.com/v1/embeddings');
    expect(embeddingsUrl('http://h/proxy')).toBe('http://h/proxy/v1/embeddings');
    expect(() => embeddingsUrl('ftp://h')).toThrow(/http or https/);
  });
});

/**
 * A local OpenAI-compatible /v1/embeddings server for the tests: a real HTTP server on loopback
 * whose vectors are computed from the text (each word adds a vector drawn from a hash of it,
 * so texts sharing words point alike), never stored answers. `plan` scripts failures ahead of
 * the normal answers.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Scripted = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface EmbeddingsServer {
  url: string;
  dimensions: number;
  /** every request body received, parsed */
  requests: { model: string; input: string[]; authorization: string | undefined }[];
  /** answers given before the normal ones, one per request */
  plan: Scripted[];
  close(): Promise<void>;
}

export function wordVector(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) {
    const h = createHash('sha256').update(word).digest();
    for (let i = 0; i < dimensions; i++) v[i]! += (h[i % h.length]! - 127.5) / 128;
  }
  return v.map((x) => x * 3); // not unit length: the adapter normalises
}

export async function startEmbeddingsServer(dimensions = 12): Promise<EmbeddingsServer> {
  const s: EmbeddingsServer = { url: '', dimensions, requests: [], plan: [], close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end('{"error":"not found"}');
        return;
      }
      const parsed = JSON.parse(body) as { model: string; input: string[] };
      s.requests.push({ ...parsed, authorization: req.headers.authorization });
      const scripted = s.plan.shift();
      if (scripted) return scripted(req, res, body);
      const data = parsed.input.map((t, index) => ({ object: 'embedding', index, embedding: wordVector(t, dimensions) }));
      data.reverse(); // an endpoint may answer out of order: the index says where each goes
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', model: parsed.model, data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.close = () => new Promise((resolve) => server.close(() => resolve()));
  return s;
}

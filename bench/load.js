// A closed-loop HTTP load generator for the web benchmark: `connections` keep-alive connections,
// each sending its next request as soon as the previous answer has been read in full, for
// `seconds`. Requests say what a browser says (Accept-Encoding: gzip, deflate, br), so pages are
// measured as readers get them.
//
// Why not autocannon: it parses responses in JavaScript and, sharing this 2-core machine with
// the server, saturated its own core first (measured: autocannon at 100% CPU, the server at 44%,
// 3,300 req/s on a daily page; this generator, on Node's native HTTP parser: 6,200 req/s with
// the server at 87%). A benchmark of the server must not be limited by its client.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * @param {{ base: string | (() => string), nextPath: () => string | undefined, connections: number, seconds: number, headers?: Record<string, string>, onError?: (base: string) => void }} o
 *   nextPath gives each request's path; undefined ends the run early (a finite list of paths, each
 *   requested once). `base` may be a function: each request's server (a balancer over several
 *   nodes), told of a request that got no answer through onError.
 * @returns {Promise<{ latencies: number[], statuses: Record<number, number>, errors: number, duration: number }>}
 */
export async function load({ base, nextPath, connections, seconds, headers = {}, onError = () => {} }) {
  const pick = typeof base === 'function' ? base : () => base;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const statuses = {};
  let errors = 0;
  const until = performance.now() + seconds * 1000;

  const one = (path) =>
    new Promise((resolve) => {
      const started = performance.now();
      const server = pick();
      const { hostname, port } = new URL(server);
      const req = http.get(
        { hostname, port, path, agent, headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            latencies.push(performance.now() - started);
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        onError(server);
        resolve();
      });
    });

  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let path = nextPath(); path !== undefined && performance.now() < until; path = nextPath()) await one(path);
    }),
  );
  const duration = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, statuses, errors, duration };
}

/**
 * Votes on one SQLite file from several threads at once, each with connections of its own (as
 * serve and a second process would): the file's write lock must leave the exact count. The
 * threads run the built adapter (dist/), as serve's own worker threads do.
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import { ballot } from './contracts/votes.contract.js';
import { saveFeaturedPapers } from './support/papers.js';
import { tempDbPath } from './support/sqlite-harness.js';

const THREADS = 10;
const HANDLES_PER_THREAD = 5;

/** A thread that opens `handles` connections on the file and casts one vote through each, all at once. */
const THREAD = `
  const { workerData, parentPort } = require('node:worker_threads');
  (async () => {
    const { openSqlite } = await import(workerData.store);
    const dbs = [];
    for (let i = 0; i < workerData.handles; i++) dbs.push(openSqlite(workerData.path));
    const out = await Promise.all(workerData.ballots.map((b, i) => dbs[i].votes.castVote(b, [1000])));
    for (const db of dbs) await db.store.close();
    parentPort.postMessage(out.filter((o) => o.changed).length);
  })().catch((e) => { throw e; });
`;

describe('votes on SQLite from several threads', () => {
  it(`leaves the exact count when ${THREADS * HANDLES_PER_THREAD} connections on ${THREADS} threads vote on one paper at once`, async () => {
    const path = tempDbPath();
    const db = openSqlite(path);
    await db.store.migrate();
    await saveFeaturedPapers(db.store);
    const store = pathToFileURL(resolve('dist/adapters/db/sqlite.store.js')).href;
    const changed = await Promise.all(
      Array.from({ length: THREADS }, (_, t) => {
        const ballots = Array.from({ length: HANDLES_PER_THREAD }, (_, i) => ballot('2606.00003', t * HANDLES_PER_THREAD + i + 1));
        const worker = new Worker(THREAD, { eval: true, workerData: { path, store, handles: HANDLES_PER_THREAD, ballots } });
        return new Promise<number>((done, fail) => {
          worker.once('message', done);
          worker.once('error', fail);
        });
      }),
    );
    expect(changed.reduce((a, b) => a + b, 0)).toBe(THREADS * HANDLES_PER_THREAD);
    expect((await db.votes.talliesOf(['2606.00003'])).get('2606.00003')).toEqual({ paperId: '2606.00003', votes: 50, weight: 50_000 });
    await db.store.close();
  });
});

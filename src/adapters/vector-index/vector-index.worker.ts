/**
 * The thread that holds a vector index for ThreadedVectorIndex (threaded.vector-index.ts): it
 * opens the index (HNSW or exact, from its file) and answers calls one message at a time, so
 * that graph walks and insertions never run on the thread that answers every request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openVectorIndex } from './open-vector-index.js';
import type { IndexCall, IndexReply, IndexSetup } from './threaded-protocol.js';

const port = parentPort!;
const send = (reply: IndexReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

let index: Awaited<ReturnType<typeof openVectorIndex>>;
try {
  index = await openVectorIndex(workerData as IndexSetup);
} catch (e) {
  send({ fatal: (e as Error).message });
  process.exit(1);
}
const state = () => ({ size: index.size, syncedSeq: index.syncedSeq });
send({ ready: true, openedFrom: index.openedFrom, ...state() });

port.on('message', (m: IndexCall) => {
  if (m.op === 'markSynced') return index.markSynced(m.seq);
  void answer(m).then(
    (hits) => send({ id: m.id, ...(hits ? { hits } : {}), ...state() }),
    (e: unknown) => send({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});

async function answer(m: Exclude<IndexCall, { op: 'markSynced' }>) {
  switch (m.op) {
    case 'upsert': {
      const d = index.dimensions;
      await index.upsert(m.ids.map((id, i) => ({ id, vector: m.flat.subarray(i * d, (i + 1) * d) })));
      return undefined;
    }
    case 'remove':
      return void (await index.remove(m.ids));
    case 'search':
      return index.search(m.query, m.k, m.among ? { among: m.among } : {});
    case 'save':
      return void (await index.save());
    case 'close':
      await index.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

// One thread of the erasure worker pool: runs an engine over the column range it is given, reading
// and writing shards in shared memory, and answers { id } or { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type EngineName } from './codec.js';
import type { PoolRequest, PoolResponse, SharedShard } from './pool-messages.js';

const { k, m, engine: engineName } = workerData as { k: number; m: number; engine: EngineName };
const engine = createEngine(k, m, engineName);
const port = parentPort!;

function views(shards: SharedShard[], len: number): Uint8Array[] {
  return shards.map((s) => new Uint8Array(s.buffer, s.offset, len));
}

port.on('message', (req: PoolRequest) => {
  let res: PoolResponse;
  try {
    const inputs = views(req.inputs, req.len);
    const outputs = views(req.outputs, req.len);
    if (req.op === 'encode') {
      engine.encodeRange(inputs, outputs, req.start, req.end);
    } else {
      const shards: (Uint8Array | null)[] = new Array<Uint8Array | null>(k + m).fill(null);
      const present = new Array<boolean>(k + m).fill(false);
      req.chosen.forEach((idx, i) => {
        shards[idx] = inputs[i]!;
        present[idx] = true;
      });
      engine.reconstructRange(shards, present, req.missing, outputs, req.start, req.end);
    }
    res = { id: req.id };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    res = { id: req.id, error: { code: e.code ?? 'ERASURE_WORKER_FAILED', message: e.message ?? String(err) } };
  }
  port.postMessage(res);
});

// A pool of worker threads that splits the columns of a large encode or reconstruct across cores,
// for the upload and repair pipelines. Shards already in shared memory (views of a
// SharedArrayBuffer) go to the workers as they are; others are copied once into a shared staging
// buffer. Each worker runs the same engine as createCodec over its own column range and writes its
// slice of the outputs into a shared buffer, copied out at the end (unless the caller gave shared
// output buffers). Shared buffers are reused across calls.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { allocShards, createEngine, defaultEngine, type EngineName, type Engine } from './codec.js';
import { ErasureError, ErasureErrorCode, type ErasureErrorCode as Code } from './errors.js';
import { checkEncodeInput, checkOutputShards, checkParams, checkParityRows, checkReconstructInput, checkWantedRows } from './params.js';
import type { PoolRequest, PoolResponse, SharedShard } from './pool-messages.js';

export interface CodecPoolOptions {
  dataShards: number;
  parityShards: number;
  engine?: EngineName;
  /** Worker threads; default: the number of cores. */
  threads?: number;
}

export interface CodecPool {
  readonly dataShards: number;
  readonly parityShards: number;
  readonly totalShards: number;
  readonly engine: EngineName;
  readonly threads: number;
  /**
   * As ErasureCodec.encode. Results of large calls are views of a SharedArrayBuffer. With `into`,
   * parity is written there; shards of `into` in shared memory are written by the workers directly.
   */
  encode(data: readonly Uint8Array[], into?: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /** As ErasureCodec.encodeRows. */
  encodeRows(data: readonly Uint8Array[], rows: readonly number[], into: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /** As ErasureCodec.reconstruct. */
  reconstruct(shards: readonly (Uint8Array | null | undefined)[]): Promise<Uint8Array[]>;
  /** As ErasureCodec.reconstructRows. */
  reconstructRows(shards: readonly (Uint8Array | null | undefined)[], rows: readonly number[], into: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /** Ends the threads; pending calls fail with ERASURE_POOL_CLOSED. */
  close(): Promise<void>;
  /** Calls that ran on the workers so far (the rest, below MIN_POOLED_WORK, ran on the caller's thread). */
  readonly pooledCalls: number;
}

/**
 * Calls with less work than this (shard bytes x inputs x outputs, each a GF multiply-add) run on
 * the calling thread: about 2 ms of kernel time, below which staging and the round trip to the
 * workers cost more than a second core saves.
 */
const MIN_POOLED_WORK = 32 * 1024 * 1024;
/** A worker that dies is replaced, but not forever: a worker that cannot start would loop. */
const MAX_DEATHS_IN_A_ROW = 3;
/** Column ranges start on cache-line boundaries so two threads never write the same line. */
const SPLIT_ALIGN = 64;

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

type Part = Omit<PoolRequest, 'id'>;

/** The worker's entry: the compiled .js beside this file, or the .ts source through tsx in tests. */
function workerSource(): { entry: URL | string; eval: boolean } {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { entry: new URL('./pool-worker.js', self), eval: false };
  // tsx's ESM API (its package exports map 'tsx/esm/api' to this file for `import`).
  const tsxRoot = dirname(createRequire(self).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const worker = new URL('./pool-worker.ts', self).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); })`;
  return { entry: bootstrap, eval: true };
}

/**
 * The parent's Node options for the workers (V8 and WebAssembly flags matter: the kernel a worker
 * picks should be the parent's), less those that only make sense for a main script.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') i++;
    else if (!a.startsWith('--input-type') && !a.startsWith('--eval=') && !a.startsWith('--print=')) out.push(a);
  }
  return out;
}

export function createCodecPool(options: CodecPoolOptions): CodecPool {
  const { dataShards: k, parityShards: m } = options;
  checkParams(k, m);
  const engineName = options.engine ?? defaultEngine();
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be an integer >= 1, got ${String(threads)}`);
  }
  // Built here as well: fails fast when the engine cannot run, and serves small calls.
  let local: Engine | undefined = createEngine(k, m, engineName);
  const source = workerSource();
  let closed = false;
  let nextId = 1;
  // Shared buffers are reused, never made per call: a worker keeps the buffers of the messages it
  // got until its own (rare) garbage collection, so fresh ones per call piled up gigabytes of
  // memory in a repairing satellite (measured: 1.7 GiB after 100 reconstructs of 16 MiB).
  const spares: SharedArrayBuffer[] = [];
  /** Workers that died in a row with no answer between: past the limit the pool gives up. */
  let deathsInARow = 0;
  let broken: string | undefined;
  let pooledCalls = 0;

  const slots: Slot[] = [];
  const spawn = (index: number): void => {
    const worker = new Worker(source.entry, { workerData: { k, m, engine: engineName }, eval: source.eval, execArgv: workerExecArgv() });
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (res: PoolResponse) => {
      const p = slot.pending.get(res.id);
      if (!p) return;
      slot.pending.delete(res.id);
      deathsInARow = 0;
      if (slot.pending.size === 0) worker.unref();
      if (res.error) p.reject(new ErasureError(res.error.code as Code, res.error.message));
      else p.resolve();
    });
    const fail = (why: string): void => {
      const error = closed
        ? new ErasureError(ErasureErrorCode.PoolClosed, 'the erasure worker pool was closed')
        : new ErasureError(ErasureErrorCode.WorkerFailed, why);
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      if (closed || slots[index] !== slot) return;
      if (++deathsInARow > MAX_DEATHS_IN_A_ROW) broken = why;
      else spawn(index);
    };
    worker.on('error', (err) => fail(`erasure worker failed: ${err.message}`));
    worker.on('exit', (code) => fail(`erasure worker exited with code ${code}`));
    slots[index] = slot;
  };
  for (let i = 0; i < threads; i++) spawn(i);

  const run = (part: Part, slot: Slot): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ ...part, id });
    });

  const takeShared = (bytes: number): SharedArrayBuffer => {
    const i = spares.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) return spares.splice(i, 1)[0]!;
    return new SharedArrayBuffer(bytes);
  };
  const giveBack = (b: SharedArrayBuffer): void => {
    spares.push(b);
    // A few per call in flight; the smallest go first when there are more.
    if (spares.length > 2 * threads + 4) spares.sort((x, y) => y.byteLength - x.byteLength).pop();
  };

  /** Puts the inputs in shared memory, runs the parts, returns views of the outputs. */
  const dispatch = async (
    inputs: readonly Uint8Array[],
    outputCount: number,
    len: number,
    op: { op: 'encode' } | { op: 'reconstruct'; chosen: number[]; missing: number[] },
    into?: readonly Uint8Array[]
  ): Promise<Uint8Array[]> => {
    pooledCalls++;
    const toStage = inputs.filter((s) => !(s.buffer instanceof SharedArrayBuffer)).length;
    const staging = toStage > 0 ? takeShared(toStage * len) : undefined;
    let staged = 0;
    const shared: SharedShard[] = inputs.map((s) => {
      if (s.buffer instanceof SharedArrayBuffer) return { buffer: s.buffer, offset: s.byteOffset };
      const offset = staged++ * len;
      new Uint8Array(staging!, offset, len).set(s);
      return { buffer: staging!, offset };
    });
    const direct = into?.every((s) => s.buffer instanceof SharedArrayBuffer) ?? false;
    const output = direct ? undefined : takeShared(outputCount * len);
    const outputs: SharedShard[] = direct
      ? into!.map((s) => ({ buffer: s.buffer as SharedArrayBuffer, offset: s.byteOffset }))
      : Array.from({ length: outputCount }, (_, i) => ({ buffer: output!, offset: i * len }));
    const chunk = Math.ceil(len / threads / SPLIT_ALIGN) * SPLIT_ALIGN;
    const parts: Promise<void>[] = [];
    for (let t = 0, start = 0; start < len; t++, start += chunk) {
      const part: Part = { ...op, inputs: shared, outputs, len, start, end: Math.min(len, start + chunk) };
      parts.push(run(part, slots[t]!));
    }
    try {
      await Promise.all(parts);
      if (direct) return [...into!];
      // Copied out of the shared buffer, which goes back for the next call.
      const results = into ?? allocShards(outputCount, len);
      outputs.forEach((o, i) => results[i]!.set(new Uint8Array(o.buffer, o.offset, len)));
      return [...results];
    } finally {
      if (staging) giveBack(staging);
      if (output) giveBack(output);
    }
  };

  const checkOpen = (): void => {
    if (closed) throw new ErasureError(ErasureErrorCode.PoolClosed, 'the erasure worker pool is closed');
    if (broken) throw new ErasureError(ErasureErrorCode.WorkerFailed, `the erasure workers keep dying (${broken})`);
  };

  const localEngine = (): Engine => (local ??= createEngine(k, m, engineName));

  return {
    dataShards: k,
    parityShards: m,
    totalShards: k + m,
    engine: engineName,
    threads,
    get pooledCalls() {
      return pooledCalls;
    },
    async encode(data, into) {
      checkOpen();
      const len = checkEncodeInput(data, k);
      const target = into ? checkOutputShards(into, m, len) : undefined;
      if (m === 0) return [];
      if (len * k * m < MIN_POOLED_WORK) {
        const parity = target ?? allocShards(m, len);
        localEngine().encodeRange(data, parity, 0, len);
        return parity;
      }
      return dispatch(data, m, len, { op: 'encode' }, target);
    },
    async encodeRows(data, rows, into) {
      checkOpen();
      const len = checkEncodeInput(data, k);
      const wanted = checkParityRows(rows, m);
      const target = checkOutputShards(into, wanted.length, len);
      const chosen = Array.from({ length: k }, (_, i) => i);
      const missing = wanted.map((r) => k + r);
      if (len * k * wanted.length < MIN_POOLED_WORK) {
        const present = Array.from({ length: k + m }, (_, i) => i < k);
        localEngine().reconstructRange([...data, ...new Array<null>(m).fill(null)], present, missing, target, 0, len);
        return [...target];
      }
      return dispatch(data, wanted.length, len, { op: 'reconstruct', chosen, missing }, target);
    },
    async reconstruct(shards) {
      checkOpen();
      const { length: len, present, missing } = checkReconstructInput(shards, k, k + m);
      const out = shards.slice() as Uint8Array[];
      if (missing.length === 0) return out;
      let rebuilt: Uint8Array[];
      if (len * k * missing.length < MIN_POOLED_WORK) {
        rebuilt = allocShards(missing.length, len);
        localEngine().reconstructRange(shards, present, missing, rebuilt, 0, len);
      } else {
        const chosen: number[] = [];
        for (let i = 0; i < present.length && chosen.length < k; i++) if (present[i]) chosen.push(i);
        rebuilt = await dispatch(
          chosen.map((i) => shards[i]!),
          missing.length,
          len,
          { op: 'reconstruct', chosen, missing }
        );
      }
      missing.forEach((idx, i) => (out[idx] = rebuilt[i]!));
      return out;
    },
    async reconstructRows(shards, rows, into) {
      checkOpen();
      const { length: len, present } = checkReconstructInput(shards, k, k + m);
      const wanted = checkWantedRows(rows, present);
      const target = checkOutputShards(into, wanted.length, len);
      if (len * k * wanted.length < MIN_POOLED_WORK) {
        localEngine().reconstructRange(shards, present, wanted, target, 0, len);
        return [...target];
      }
      const chosen: number[] = [];
      for (let i = 0; i < present.length && chosen.length < k; i++) if (present[i]) chosen.push(i);
      return dispatch(
        chosen.map((i) => shards[i]!),
        wanted.length,
        len,
        { op: 'reconstruct', chosen, missing: wanted },
        target
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      local = undefined;
      await Promise.all(slots.map((s) => s.worker.terminate()));
      for (const s of slots) {
        for (const p of s.pending.values()) p.reject(new ErasureError(ErasureErrorCode.PoolClosed, 'the erasure worker pool was closed'));
        s.pending.clear();
      }
    }
  };
}

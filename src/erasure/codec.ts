import { checkEncodeInput, checkOutputShards, checkParams, checkParityRows, checkReconstructInput, checkWantedRows } from './params.js';
import { ReferenceEngine } from './reference.js';
import { SimdEngine } from './simd.js';
import { simdAvailable } from './kernel.js';

export type EngineName = 'simd' | 'reference';

export interface CodecOptions {
  /** k: shards the data is split into; any k of the k+m shards rebuild it. */
  dataShards: number;
  /** m: parity shards added. */
  parityShards: number;
  /**
   * 'simd' is our WebAssembly SIMD kernel, the default wherever the runtime has WebAssembly SIMD
   * (otherwise the default falls back to 'reference', reed-solomon-erasure.wasm).
   */
  engine?: EngineName;
}

export interface ErasureCodec {
  readonly dataShards: number;
  readonly parityShards: number;
  readonly totalShards: number;
  /** The engine doing the arithmetic. */
  readonly engine: EngineName;
  /**
   * The m parity shards of k equally long data shards. With `into` (m shards of the same length)
   * the parity is written there and `into` returned: pipelines reuse buffers that way.
   */
  encode(data: readonly Uint8Array[], into?: readonly Uint8Array[]): Uint8Array[];
  /**
   * Only the parity shards `rows` (0 is the first parity shard) of k data shards, written into
   * `into` (one per row): a stream of one parity share costs a row, not all m.
   */
  encodeRows(data: readonly Uint8Array[], rows: readonly number[], into: readonly Uint8Array[]): Uint8Array[];
  /**
   * All k+m shards from any k of them. `shards` has k+m entries, null or undefined where a shard is
   * lost; present shards are returned as given, lost ones (data and parity) are rebuilt.
   */
  reconstruct(shards: readonly (Uint8Array | null | undefined)[]): Uint8Array[];
  /**
   * Only the lost shards `rows` (shard numbers, data or parity) from any k present ones, written
   * into `into` (one per row, in that order): a reader missing a data shard rebuilds that one and
   * no lost parity, so what it holds is bounded by the data, whatever k+m the segment has.
   */
  reconstructRows(shards: readonly (Uint8Array | null | undefined)[], rows: readonly number[], into: readonly Uint8Array[]): Uint8Array[];
}

/** What the codec and the worker pool need from an engine: work on a column range. */
export interface Engine {
  readonly name: EngineName;
  encodeRange(data: readonly Uint8Array[], parity: readonly Uint8Array[], start: number, end: number): void;
  reconstructRange(
    shards: readonly (Uint8Array | null | undefined)[],
    present: readonly boolean[],
    missing: readonly number[],
    outputs: readonly Uint8Array[],
    start: number,
    end: number
  ): void;
}

/** The engine used when none is named. */
export function defaultEngine(): EngineName {
  return simdAvailable() ? 'simd' : 'reference';
}

export function createEngine(k: number, m: number, engine: EngineName = defaultEngine()): Engine {
  checkParams(k, m);
  return engine === 'reference' ? new ReferenceEngine(k, m) : new SimdEngine(k, m);
}

/** `count` zeroed shards of `length` bytes in one allocation: one page-in instead of `count`. */
export function allocShards(count: number, length: number): Uint8Array[] {
  const buffer = new ArrayBuffer(count * length);
  return Array.from({ length: count }, (_, i) => new Uint8Array(buffer, i * length, length));
}

export function createCodec(options: CodecOptions): ErasureCodec {
  const { dataShards: k, parityShards: m } = options;
  const engine = createEngine(k, m, options.engine);
  return {
    dataShards: k,
    parityShards: m,
    totalShards: k + m,
    engine: engine.name,
    encode(data, into) {
      const length = checkEncodeInput(data, k);
      const parity = into ? checkOutputShards(into, m, length) : allocShards(m, length);
      engine.encodeRange(data, parity, 0, length);
      return parity;
    },
    encodeRows(data, rows, into) {
      const length = checkEncodeInput(data, k);
      const wanted = checkParityRows(rows, m);
      const outputs = checkOutputShards(into, wanted.length, length);
      const present = Array.from({ length: k + m }, (_, i) => i < k);
      engine.reconstructRange([...data, ...new Array<null>(m).fill(null)], present, wanted.map((r) => k + r), outputs, 0, length);
      return [...outputs];
    },
    reconstruct(shards) {
      const { length, present, missing } = checkReconstructInput(shards, k, k + m);
      const rebuilt = allocShards(missing.length, length);
      engine.reconstructRange(shards, present, missing, rebuilt, 0, length);
      const out = shards.slice() as Uint8Array[];
      missing.forEach((idx, i) => (out[idx] = rebuilt[i]!));
      return out;
    },
    reconstructRows(shards, rows, into) {
      const { length, present } = checkReconstructInput(shards, k, k + m);
      const wanted = checkWantedRows(rows, present);
      const outputs = checkOutputShards(into, wanted.length, length);
      engine.reconstructRange(shards, present, wanted, outputs, 0, length);
      return [...outputs];
    }
  };
}

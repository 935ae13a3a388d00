import { checkEncodeInput, checkParams, checkReconstructInput } from './params.js';
import { ReferenceEngine } from './reference.js';
import { SimdEngine } from './simd.js';

export type EngineName = 'simd' | 'reference';

export interface CodecOptions {
  /** k: shards the data is split into; any k of the k+m shards rebuild it. */
  dataShards: number;
  /** m: parity shards added. */
  parityShards: number;
  /** Default 'simd' (our WebAssembly SIMD kernel); 'reference' is reed-solomon-erasure.wasm. */
  engine?: EngineName;
}

export interface ErasureCodec {
  readonly dataShards: number;
  readonly parityShards: number;
  readonly totalShards: number;
  /** The engine doing the arithmetic. */
  readonly engine: EngineName;
  /** The m parity shards of k equally long data shards. */
  encode(data: readonly Uint8Array[]): Uint8Array[];
  /**
   * All k+m shards from any k of them. `shards` has k+m entries, null or undefined where a shard is
   * lost; present shards are returned as given, lost ones (data and parity) are rebuilt.
   */
  reconstruct(shards: readonly (Uint8Array | null | undefined)[]): Uint8Array[];
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

export function createEngine(k: number, m: number, engine: EngineName = 'simd'): Engine {
  checkParams(k, m);
  return engine === 'reference' ? new ReferenceEngine(k, m) : new SimdEngine(k, m);
}

export function createCodec(options: CodecOptions): ErasureCodec {
  const { dataShards: k, parityShards: m } = options;
  const engine = createEngine(k, m, options.engine);
  return {
    dataShards: k,
    parityShards: m,
    totalShards: k + m,
    engine: engine.name,
    encode(data) {
      const length = checkEncodeInput(data, k);
      const parity = Array.from({ length: m }, () => new Uint8Array(length));
      engine.encodeRange(data, parity, 0, length);
      return parity;
    },
    reconstruct(shards) {
      const { length, present, missing } = checkReconstructInput(shards, k, k + m);
      const rebuilt = missing.map(() => new Uint8Array(length));
      engine.reconstructRange(shards, present, missing, rebuilt, 0, length);
      const out = shards.slice() as Uint8Array[];
      missing.forEach((idx, i) => (out[idx] = rebuilt[i]!));
      return out;
    }
  };
}

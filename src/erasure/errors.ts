import { StowageError } from '../common/index.js';

/** Stable codes of every error the erasure codec raises. */
export const ErasureErrorCode = {
  /** dataShards is not an integer >= 1. */
  InvalidDataShards: 'ERASURE_INVALID_DATA_SHARDS',
  /** parityShards is not an integer >= 0. */
  InvalidParityShards: 'ERASURE_INVALID_PARITY_SHARDS',
  /** dataShards + parityShards > 256: GF(2^8) has no more distinct evaluation points. */
  TooManyShards: 'ERASURE_TOO_MANY_SHARDS',
  /** The array of shards has the wrong length. */
  WrongShardCount: 'ERASURE_WRONG_SHARD_COUNT',
  /** A shard is not a Uint8Array. */
  InvalidShard: 'ERASURE_INVALID_SHARD',
  /** Shards differ in length. */
  ShardSizeMismatch: 'ERASURE_SHARD_SIZE_MISMATCH',
  /** Fewer than dataShards shards are present: the data cannot be rebuilt. */
  TooFewShards: 'ERASURE_TOO_FEW_SHARDS',
  /** The requested engine cannot run here (no WebAssembly SIMD, kernel not built). */
  EngineUnavailable: 'ERASURE_ENGINE_UNAVAILABLE',
  /** The engine failed in a way validation should have prevented. */
  EngineFailed: 'ERASURE_ENGINE_FAILED',
  /** The worker pool was closed, or a worker died. */
  PoolClosed: 'ERASURE_POOL_CLOSED',
  WorkerFailed: 'ERASURE_WORKER_FAILED'
} as const;

export type ErasureErrorCode = (typeof ErasureErrorCode)[keyof typeof ErasureErrorCode];

export class ErasureError extends StowageError {
  declare readonly code: ErasureErrorCode;

  constructor(code: ErasureErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

// Public face of the erasure codec: Reed-Solomon over GF(2^8) (polynomial 0x11D), systematic,
// parity byte-identical to reed-solomon-erasure, Backblaze JavaReedSolomon and klauspost/reedsolomon.
export { createCodec, type CodecOptions, type EngineName, type ErasureCodec } from './codec.js';
export { createCodecPool, type CodecPool, type CodecPoolOptions } from './pool.js';
export { ErasureError, ErasureErrorCode } from './errors.js';
export { erasureEngineInfo, type ErasureEngineInfo } from './info.js';
export type { KernelVariant } from './kernel.js';
export { MAX_TOTAL_SHARDS } from './params.js';

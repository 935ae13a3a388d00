// Deterministic choice of the leaves an audit asks for, from the satellite's nonce: both sides
// compute the same indices, and the node cannot know them before the challenge arrives.
import { hash } from 'node:crypto';
import { MerkleError, MerkleErrorCode } from './errors.js';

const DOMAIN = new TextEncoder().encode('stowage/audit-sample/v1');

/**
 * `count` distinct leaf indices in [0, leafCount), ascending (all of them when count >= leafCount).
 * Stream: SHA-256(domain || nonce || u32be(block)), read as big-endian u32s; a value at or above
 * the largest multiple of leafCount below 2^32 is skipped (no modulo bias), repeats are skipped.
 */
export function sampleLeaves(nonce: Uint8Array, leafCount: number, count: number): number[] {
  if (!Number.isSafeInteger(leafCount) || leafCount < 0 || leafCount > 2 ** 32) {
    throw new MerkleError(MerkleErrorCode.InvalidIndex, `leaf count must be an integer in [0, 2^32], got ${leafCount}`);
  }
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new MerkleError(MerkleErrorCode.InvalidIndex, `sample count must be a non-negative integer, got ${count}`);
  }
  if (count >= leafCount) return Array.from({ length: leafCount }, (_, i) => i);
  const limit = Math.floor(2 ** 32 / leafCount) * leafCount;
  const input = new Uint8Array(DOMAIN.length + nonce.length + 4);
  input.set(DOMAIN, 0);
  input.set(nonce, DOMAIN.length);
  const counter = new DataView(input.buffer, DOMAIN.length + nonce.length, 4);
  const chosen = new Set<number>();
  for (let block = 0; chosen.size < count; block++) {
    counter.setUint32(0, block);
    const h = hash('sha256', input, 'buffer');
    for (let i = 0; i < 32 && chosen.size < count; i += 4) {
      const v = h.readUInt32BE(i);
      if (v < limit) chosen.add(v % leafCount);
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

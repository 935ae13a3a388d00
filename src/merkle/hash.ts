// RFC 6962 hashing over SHA-256: leaf hash H(0x00 || leaf), node hash H(0x01 || left || right).
// node:crypto's one-shot hash runs SHA-NI (about 20x @noble/hashes here); what costs is the call,
// so the prefix byte is written into a reused scratch buffer rather than hashed in a second update.
import { createHash, hash } from 'node:crypto';

export const HASH_SIZE = 32;
/** Scratch for leaf hashing: the 0x00 prefix then the leaf. Larger leaves take the two-update path. */
const LEAF_SCRATCH_LIMIT = 64 * 1024;

const leafScratch = Buffer.alloc(1 + LEAF_SCRATCH_LIMIT);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;

/** MTH of the empty list: SHA-256 of nothing. */
export const EMPTY_ROOT: Uint8Array = hash('sha256', Buffer.alloc(0), 'buffer');

export function leafHash(leaf: Uint8Array): Uint8Array {
  if (leaf.length <= LEAF_SCRATCH_LIMIT) {
    leafScratch.set(leaf, 1);
    return hash('sha256', leafScratch.subarray(0, 1 + leaf.length), 'buffer');
  }
  return createHash('sha256').update(new Uint8Array([0x00])).update(leaf).digest();
}

/** Hash of 0x00 || bytes, where `prefixed[0]` is already 0x00: no copy at all. */
export function leafHashPrefixed(prefixed: Uint8Array): Uint8Array {
  return hash('sha256', prefixed, 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeScratch, 'buffer');
}

export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

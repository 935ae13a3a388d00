// Merkle Tree Hash, inclusion proofs (the RFC's PATH) and their verification, as RFC 6962 / 9162
// define them, over arbitrary leaves.
import { MerkleError, MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT, HASH_SIZE, equalHashes, leafHash, nodeHash } from './hash.js';

/** Largest power of two strictly below n (n >= 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Root over leaf hashes. Pairing neighbours level by level and carrying an odd last node up
 * unchanged gives exactly the RFC's split at the largest power of two.
 */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  // One working array, reduced in place level by level.
  const level = hashes.slice();
  let n = level.length;
  while (n > 1) {
    let w = 0;
    for (let i = 0; i + 1 < n; i += 2) level[w++] = nodeHash(level[i]!, level[i + 1]!);
    if (n % 2 === 1) level[w++] = level[n - 1]!;
    n = w;
  }
  return level[0]!;
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  return rootFromLeafHashes(leaves.map(leafHash));
}

/** PATH(index, D[n]) of RFC 6962 section 2.1.1, from leaf hashes. */
export function inclusionProofFromHashes(hashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= hashes.length) {
    throw new MerkleError(MerkleErrorCode.InvalidIndex, `leaf ${index} is not in a tree of ${hashes.length} leaves`);
  }
  const path: Uint8Array[] = [];
  let lo = 0;
  let hi = hashes.length;
  // Walk down from the root, collecting the sibling subtree of each step, then reverse: the RFC's
  // path lists siblings from the leaf up.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      path.push(rootFromLeafHashes(hashes.slice(lo + k, hi)));
      hi = lo + k;
    } else {
      path.push(rootFromLeafHashes(hashes.slice(lo, lo + k)));
      lo += k;
    }
  }
  return path.reverse();
}

/**
 * PATH(i, D[n]) for every leaf at once: each subtree's root is hashed once and given to the
 * leaves of its sibling, so n proofs cost O(n log n) hashes, not O(n^2) as n calls of
 * inclusionProofFromHashes would.
 */
export function inclusionProofsFromHashes(hashes: readonly Uint8Array[]): Uint8Array[][] {
  const proofs: Uint8Array[][] = hashes.map(() => []);
  // Post-order: a subtree's inner siblings are pushed before the sibling of the subtree itself,
  // which is the RFC's order (from the leaf up).
  const subtree = (lo: number, hi: number): Uint8Array => {
    if (hi - lo === 1) return hashes[lo]!;
    const mid = lo + splitPoint(hi - lo);
    const left = subtree(lo, mid);
    const right = subtree(mid, hi);
    for (let i = lo; i < mid; i++) proofs[i]!.push(right);
    for (let i = mid; i < hi; i++) proofs[i]!.push(left);
    return nodeHash(left, right);
  };
  if (hashes.length > 0) subtree(0, hashes.length);
  return proofs;
}

export function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  return inclusionProofFromHashes(leaves.map(leafHash), index);
}

/** RFC 9162 section 2.1.3.2, from a leaf hash. Wrong input of any kind gives false, never throws. */
export function verifyInclusionHash(
  root: Uint8Array,
  index: number,
  treeSize: number,
  hash: Uint8Array,
  proof: readonly Uint8Array[]
): boolean {
  const r = rootFromInclusion(index, treeSize, hash, proof);
  return r !== undefined && root.length === HASH_SIZE && equalHashes(r, root);
}

/**
 * The root an inclusion proof leads to (RFC 9162 section 2.1.3.2 without the final comparison),
 * for a caller that binds the root into something else; undefined for a proof of the wrong shape.
 */
export function rootFromInclusion(index: number, treeSize: number, hash: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return undefined;
  if (hash.length !== HASH_SIZE) return undefined;
  let fn = index;
  let sn = treeSize - 1;
  let r = hash;
  for (const p of proof) {
    if (p.length !== HASH_SIZE || sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

export function verifyInclusion(
  root: Uint8Array,
  index: number,
  treeSize: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[]
): boolean {
  return verifyInclusionHash(root, index, treeSize, leafHash(leaf), proof);
}

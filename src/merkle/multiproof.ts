// Multi-leaf proofs: the hashes a verifier needs to recompute the root from a set of leaves, each
// sent once. Both sides walk the RFC 6962 tree from the root, splitting at the largest power of two:
// a subtree holding none of the leaves is one hash of the proof (in left-to-right order), a single
// leaf is recomputed from the bytes given, anything else is the node hash of its two halves.
import { MerkleError, MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT, HASH_SIZE, equalHashes, leafHash, nodeHash } from './hash.js';
import { rootFromLeafHashes, splitPoint } from './tree.js';

/** Checks indices: integers inside the tree, strictly ascending, at least one. */
export function checkIndices(indices: readonly number[], leafCount: number): void {
  if (indices.length === 0) throw new MerkleError(MerkleErrorCode.InvalidIndex, 'no leaf indices given');
  let last = -1;
  for (const i of indices) {
    if (!Number.isSafeInteger(i) || i < 0 || i >= leafCount) {
      throw new MerkleError(MerkleErrorCode.InvalidIndex, `leaf ${i} is not in a tree of ${leafCount} leaves`);
    }
    if (i <= last) throw new MerkleError(MerkleErrorCode.InvalidIndex, 'leaf indices must be strictly ascending');
    last = i;
  }
}

/** The proof for `indices` (ascending) in the tree over `hashes` (all leaf hashes). */
export function multiLeafProofFromHashes(hashes: readonly Uint8Array[], indices: readonly number[]): Uint8Array[] {
  checkIndices(indices, hashes.length);
  const proof: Uint8Array[] = [];
  // [a, b) are the positions in `indices` that fall inside the subtree [lo, hi).
  const walk = (lo: number, hi: number, a: number, b: number): void => {
    if (a === b) {
      proof.push(rootFromLeafHashes(hashes.slice(lo, hi)));
      return;
    }
    if (hi - lo === 1) return;
    const mid = lo + splitPoint(hi - lo);
    let m = a;
    while (m < b && indices[m]! < mid) m++;
    walk(lo, mid, a, m);
    walk(mid, hi, m, b);
  };
  walk(0, hashes.length, 0, indices.length);
  return proof;
}

export function multiLeafProof(leaves: readonly Uint8Array[], indices: readonly number[]): Uint8Array[] {
  return multiLeafProofFromHashes(leaves.map(leafHash), indices);
}

/**
 * True when `leaves` (the bytes of leaves `indices`, ascending) and `proof` recompute `root` of a
 * tree of `leafCount` leaves, using every proof hash exactly once. Never throws on bad input.
 */
export function verifyMultiLeafProof(
  root: Uint8Array,
  leafCount: number,
  indices: readonly number[],
  leaves: readonly Uint8Array[],
  proof: readonly Uint8Array[]
): boolean {
  try {
    checkIndices(indices, leafCount);
  } catch {
    return false;
  }
  if (leaves.length !== indices.length || root.length !== HASH_SIZE) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  let next = 0;
  let ok = true;
  const walk = (lo: number, hi: number, a: number, b: number): Uint8Array => {
    if (a === b) {
      if (next >= proof.length) {
        ok = false;
        return EMPTY_ROOT;
      }
      return proof[next++]!;
    }
    if (hi - lo === 1) return leafHash(leaves[a]!);
    const mid = lo + splitPoint(hi - lo);
    let m = a;
    while (m < b && indices[m]! < mid) m++;
    const left = walk(lo, mid, a, m);
    const right = walk(mid, hi, m, b);
    return nodeHash(left, right);
  };
  const computed = walk(0, leafCount, 0, indices.length);
  return ok && next === proof.length && equalHashes(computed, root);
}

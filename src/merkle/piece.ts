// Merkle trees over a piece cut into fixed-size leaves (the last one may be short): a streaming
// builder that never holds the piece, and the leaf arithmetic audits use.
import { MerkleError, MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT, leafHashPrefixed, nodeHash } from './hash.js';

export const DEFAULT_LEAF_SIZE = 4096;

export function checkLeafSize(leafSize: number): void {
  if (!Number.isSafeInteger(leafSize) || leafSize < 1) {
    throw new MerkleError(MerkleErrorCode.InvalidLeafSize, `leaf size must be a positive integer, got ${leafSize}`);
  }
}

/** Leaves of a piece of `size` bytes: an empty piece has none (and the empty root). */
export function leafCountOf(size: number, leafSize = DEFAULT_LEAF_SIZE): number {
  return Math.ceil(size / leafSize);
}

export interface PieceDigest {
  root: Uint8Array;
  size: number;
  leafCount: number;
}

/**
 * Streaming RFC 6962 root of a piece: feed chunks of any size with update(), then digest().
 * Memory: one leaf plus one hash per level. Completed subtrees sit on a stack like the digits of a
 * binary counter; at the end they fold right to left, which is the RFC's split.
 */
export class PieceHasher {
  readonly leafSize: number;
  private readonly leaf: Uint8Array;
  private fill = 1;
  private size = 0;
  private leafCount = 0;
  /** Roots of the completed perfect subtrees, largest first, and their leaf counts. */
  private readonly stackHashes: Uint8Array[] = [];
  private readonly stackLeaves: number[] = [];
  private done = false;
  /** Called with each leaf's index and hash as it completes (for proofs built in one pass). */
  onLeaf?: (index: number, hash: Uint8Array, leaf: Uint8Array) => void;

  constructor(leafSize = DEFAULT_LEAF_SIZE) {
    checkLeafSize(leafSize);
    this.leafSize = leafSize;
    // Byte 0 stays 0x00, the leaf prefix, so a full leaf hashes with no copy beyond this buffer.
    this.leaf = new Uint8Array(1 + leafSize);
  }

  update(chunk: Uint8Array): this {
    if (this.done) throw new MerkleError(MerkleErrorCode.Finished, 'update() after digest()');
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(chunk.length - off, this.leaf.length - this.fill);
      this.leaf.set(chunk.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === this.leaf.length) this.flush();
    }
    this.size += chunk.length;
    return this;
  }

  digest(): PieceDigest {
    if (this.done) throw new MerkleError(MerkleErrorCode.Finished, 'digest() called twice');
    this.done = true;
    if (this.fill > 1) this.flush();
    const hashes = this.stackHashes;
    if (hashes.length === 0) return { root: EMPTY_ROOT, size: this.size, leafCount: 0 };
    let root = hashes[hashes.length - 1]!;
    for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
    return { root, size: this.size, leafCount: this.leafCount };
  }

  private flush(): void {
    const hash = leafHashPrefixed(this.leaf.subarray(0, this.fill));
    this.onLeaf?.(this.leafCount, hash, this.leaf.subarray(1, this.fill));
    this.leafCount++;
    this.fill = 1;
    let node = hash;
    let leaves = 1;
    const hashes = this.stackHashes;
    const counts = this.stackLeaves;
    while (counts.length > 0 && counts[counts.length - 1] === leaves) {
      counts.pop();
      node = nodeHash(hashes.pop()!, node);
      leaves *= 2;
    }
    hashes.push(node);
    counts.push(leaves);
  }
}

/** Root of a piece held in memory (tests, small pieces). */
export function pieceRoot(piece: Uint8Array, leafSize = DEFAULT_LEAF_SIZE): Uint8Array {
  return new PieceHasher(leafSize).update(piece).digest().root;
}

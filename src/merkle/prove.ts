// Audit answers built in one pass over a piece's bytes: the requested leaves and their multi-leaf
// proof. Holds the leaf hashes (32 bytes per leaf: 512 KiB for a 64 MiB piece of 4 KiB leaves),
// never the piece.
import { multiLeafProofFromHashes, checkIndices } from './multiproof.js';
import { DEFAULT_LEAF_SIZE, PieceHasher } from './piece.js';

export interface LeafProof {
  root: Uint8Array;
  size: number;
  leafCount: number;
  indices: number[];
  leaves: Uint8Array[];
  proof: Uint8Array[];
}

export async function proveLeaves(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  indices: readonly number[],
  leafSize = DEFAULT_LEAF_SIZE
): Promise<LeafProof> {
  const hasher = new PieceHasher(leafSize);
  const hashes: Uint8Array[] = [];
  const wanted = new Set(indices);
  const leaves = new Map<number, Uint8Array>();
  hasher.onLeaf = (index, hash, leaf) => {
    hashes.push(hash);
    if (wanted.has(index)) leaves.set(index, leaf.slice());
  };
  for await (const chunk of source) hasher.update(chunk);
  const { root, size, leafCount } = hasher.digest();
  checkIndices(indices, leafCount);
  return {
    root,
    size,
    leafCount,
    indices: [...indices],
    leaves: indices.map((i) => leaves.get(i)!),
    proof: multiLeafProofFromHashes(hashes, indices)
  };
}

// The parts tree of an object completed from parts (format v3): one leaf per part, in object
// order, a Merkle tree (RFC 6962) over them, and its root bound to the number of parts. The
// client seals the root in the object's metadata; the satellite, which knows the same parts,
// gives each segment its part's leaf index and inclusion proof, so a reader checks any range,
// not only a whole read, against the parts the object was completed from.
import { createHash } from 'node:crypto';
import { equalHashes, inclusionProofsFromHashes, leafHash, rootFromInclusion, rootFromLeafHashes } from '../merkle/index.js';

/** A part as the tree holds it: where it lies in the object, and its salt (which names its key). */
export interface PartPlace {
  number: number;
  size: number;
  /** Where the part's plaintext starts in the object. */
  offset: number;
  salt: Uint8Array;
}

const LEAF_PREFIX = new TextEncoder().encode('stowage/part-leaf/v3\0');
const ROOT_PREFIX = new TextEncoder().encode('stowage/parts-root/v3\0');
export const PARTS_ROOT_BYTES = 32;

/** The leaf hash of a part: "stowage/part-leaf/v3\0" || u32be(number) || u64be(size) || u64be(offset) || u8(salt length) || salt. */
export function partLeafHash(part: PartPlace): Uint8Array {
  const fixed = Buffer.alloc(4 + 8 + 8 + 1);
  fixed.writeUInt32BE(part.number, 0);
  fixed.writeBigUInt64BE(BigInt(part.size), 4);
  fixed.writeBigUInt64BE(BigInt(part.offset), 12);
  fixed[20] = part.salt.length;
  return leafHash(Buffer.concat([LEAF_PREFIX, fixed, part.salt]));
}

/** The parts in object order with their offsets, from their numbers, sizes and salts. */
export function placeParts(parts: readonly { number: number; size: number; salt: Uint8Array }[]): PartPlace[] {
  let offset = 0;
  return parts.map((p) => {
    const placed = { number: p.number, size: p.size, offset, salt: p.salt };
    offset += p.size;
    return placed;
  });
}

/** SHA-256("stowage/parts-root/v3\0" || u32be(count) || tree root): what the object's metadata seals. */
function bindCount(count: number, treeRoot: Uint8Array): Uint8Array {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(count);
  return new Uint8Array(createHash('sha256').update(ROOT_PREFIX).update(n).update(treeRoot).digest());
}

/** The parts root of an object completed from `parts` (in object order). */
export function partsRoot(parts: readonly PartPlace[]): Uint8Array {
  return bindCount(parts.length, rootFromLeafHashes(parts.map(partLeafHash)));
}

/** Whether `part`, leaf `index` of `count`, is in the tree under `root` by `proof`. Never throws. */
export function verifyPartProof(root: Uint8Array, count: number, index: number, part: PartPlace, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(count) || count < 1 || count > 0xffffffff || part.salt.length > 255) return false;
  if (!Number.isInteger(part.number) || part.number < 0 || part.number > 0xffffffff) return false;
  if (![part.size, part.offset].every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 64)) return false;
  const treeRoot = rootFromInclusion(index, count, partLeafHash(part), proof);
  return treeRoot !== undefined && root.length === PARTS_ROOT_BYTES && equalHashes(bindCount(count, treeRoot), root);
}

/** Every part's inclusion proof in the parts tree, in object order (what the satellite keeps with each part's segments). */
export function partProofs(parts: readonly PartPlace[]): Uint8Array[][] {
  return inclusionProofsFromHashes(parts.map(partLeafHash));
}

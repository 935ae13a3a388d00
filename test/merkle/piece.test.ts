import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MerkleErrorCode,
  PieceHasher,
  leafCountOf,
  merkleRoot,
  multiLeafProof,
  pieceRoot,
  proveLeaves,
  sampleLeaves,
  verifyInclusion,
  inclusionProof,
  verifyMultiLeafProof
} from '../../src/merkle/index.js';

function leavesOf(piece: Uint8Array, leafSize: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < piece.length; i += leafSize) out.push(piece.subarray(i, i + leafSize));
  return out;
}

function* chunked(piece: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  let off = 0;
  let i = 0;
  while (off < piece.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]!);
    yield piece.subarray(off, off + n);
    off += n;
  }
}

describe('streaming piece hasher', () => {
  it('equals merkleRoot over the same leaves, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 20_000, size: 'max' }),
        fc.integer({ min: 1, max: 700 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        (piece, leafSize, chunks) => {
          const size = piece.length;
          const hasher = new PieceHasher(leafSize);
          for (const c of chunked(piece, chunks)) hasher.update(c);
          const digest = hasher.digest();
          expect(digest.size).toBe(size);
          expect(digest.leafCount).toBe(leafCountOf(size, leafSize));
          expect(Buffer.from(digest.root).equals(Buffer.from(merkleRoot(leavesOf(piece, leafSize))))).toBe(true);
        }
      ),
      { numRuns: 150 }
    );
  });

  it('an empty piece has no leaves and the empty root', () => {
    expect(new PieceHasher().digest()).toEqual({ root: EMPTY_ROOT, size: 0, leafCount: 0 });
  });

  it('proves leaves of a 4 KiB-leaf piece with ordinary inclusion proofs too', () => {
    const piece = new Uint8Array(randomBytes(4096 * 9 + 100));
    const root = pieceRoot(piece);
    const leaves = leavesOf(piece, 4096);
    expect(leaves.length).toBe(10);
    expect(verifyInclusion(root, 9, 10, leaves[9]!, inclusionProof(leaves, 9))).toBe(true);
  });

  it('refuses use after digest and bad leaf sizes', () => {
    const h = new PieceHasher(16);
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow(expect.objectContaining({ code: MerkleErrorCode.Finished }) as Error);
    expect(() => new PieceHasher(0)).toThrow(expect.objectContaining({ code: MerkleErrorCode.InvalidLeafSize }) as Error);
  });
});

describe('multi-leaf proofs', () => {
  it('verify for any set of leaves of any tree, and send each sibling once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: Math.min(n, 20) }))
        ),
        ([n, picked]) => {
          const leaves = Array.from({ length: n }, (_, i) => new Uint8Array([i & 255, i >> 8, 9]));
          const indices = [...picked].sort((a, b) => a - b);
          const root = merkleRoot(leaves);
          const proof = multiLeafProof(leaves, indices);
          const chosen = indices.map((i) => leaves[i]!);
          expect(verifyMultiLeafProof(root, n, indices, chosen, proof)).toBe(true);
          // No more hashes than separate inclusion proofs would send, and no hash twice.
          const separate = indices.reduce((sum, i) => sum + inclusionProof(leaves, i).length, 0);
          expect(proof.length).toBeLessThanOrEqual(separate);
          expect(new Set(proof.map((p) => Buffer.from(p).toString('hex'))).size).toBe(proof.length);
        }
      ),
      { numRuns: 200 }
    );
  });

  it('fails on a wrong leaf, index, size, sibling, or a truncated or padded proof', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => new Uint8Array(randomBytes(10 + i)));
    const root = merkleRoot(leaves);
    const indices = [3, 4, 20, 36];
    const chosen = indices.map((i) => leaves[i]!);
    const proof = multiLeafProof(leaves, indices);
    expect(verifyMultiLeafProof(root, 37, indices, chosen, proof)).toBe(true);
    const wrongLeaf = chosen.map((l, i) => (i === 2 ? Uint8Array.from(l, (b, j) => (j === 0 ? b ^ 1 : b)) : l));
    const wrongSibling = proof.map((p, i) => (i === 1 ? Uint8Array.from(p, (b, j) => (j === 5 ? b ^ 0x40 : b)) : p));
    const cases: [string, boolean][] = [
      ['wrong leaf', verifyMultiLeafProof(root, 37, indices, wrongLeaf, proof)],
      ['wrong index', verifyMultiLeafProof(root, 37, [3, 4, 21, 36], chosen, proof)],
      ['unsorted indices', verifyMultiLeafProof(root, 37, [4, 3, 20, 36], chosen, proof)],
      ['wrong size', verifyMultiLeafProof(root, 38, indices, chosen, proof)],
      ['smaller size', verifyMultiLeafProof(root, 36, indices, chosen, proof)],
      ['wrong sibling', verifyMultiLeafProof(root, 37, indices, chosen, wrongSibling)],
      ['truncated', verifyMultiLeafProof(root, 37, indices, chosen, proof.slice(0, -1))],
      ['padded', verifyMultiLeafProof(root, 37, indices, chosen, [...proof, root])],
      ['missing leaf', verifyMultiLeafProof(root, 37, indices, chosen.slice(1), proof)],
      ['short hash', verifyMultiLeafProof(root, 37, indices, chosen, [proof[0]!.subarray(1), ...proof.slice(1)])],
      ['no indices', verifyMultiLeafProof(root, 37, [], [], proof)],
      ['wrong root', verifyMultiLeafProof(EMPTY_ROOT, 37, indices, chosen, proof)]
    ];
    expect(cases.filter(([, ok]) => ok).map(([name]) => name)).toEqual([]);
  });

  it('are built in one pass over a stream by proveLeaves', async () => {
    const piece = new Uint8Array(randomBytes(4096 * 100 + 123));
    const indices = sampleLeaves(randomBytes(32), leafCountOf(piece.length), 16);
    const answer = await proveLeaves(chunked(piece, [1000, 65536, 7]), indices);
    expect(answer.leafCount).toBe(101);
    expect(Buffer.from(answer.root).equals(Buffer.from(pieceRoot(piece)))).toBe(true);
    expect(answer.leaves).toEqual(indices.map((i) => piece.subarray(i * 4096, (i + 1) * 4096)));
    expect(verifyMultiLeafProof(answer.root, answer.leafCount, indices, answer.leaves, answer.proof)).toBe(true);
    await expect(proveLeaves([piece], [101])).rejects.toMatchObject({ code: MerkleErrorCode.InvalidIndex });
  });
});

describe('leaf sampling', () => {
  it('is deterministic, distinct, ascending and in range', () => {
    const nonce = new Uint8Array(32).fill(7);
    const a = sampleLeaves(nonce, 512, 16);
    expect(sampleLeaves(nonce, 512, 16)).toEqual(a);
    expect(a).toHaveLength(16);
    expect(new Set(a).size).toBe(16);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(a.every((i) => i >= 0 && i < 512)).toBe(true);
    expect(sampleLeaves(new Uint8Array(32).fill(8), 512, 16)).not.toEqual(a);
  });

  it('returns every leaf when asked for as many or more', () => {
    expect(sampleLeaves(new Uint8Array(4), 5, 16)).toEqual([0, 1, 2, 3, 4]);
    expect(sampleLeaves(new Uint8Array(4), 0, 16)).toEqual([]);
  });

  it('covers the leaves evenly over many nonces', () => {
    const counts = new Array<number>(10).fill(0);
    for (let n = 0; n < 2000; n++) {
      for (const i of sampleLeaves(new Uint8Array([n & 255, n >> 8]), 10, 1)) counts[i]!++;
    }
    // 200 expected per leaf; 5 standard deviations is about 67.
    for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(70);
  });
});

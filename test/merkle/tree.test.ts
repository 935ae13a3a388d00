import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MerkleErrorCode,
  inclusionProof,
  inclusionProofFromHashes,
  inclusionProofsFromHashes,
  leafHash,
  merkleRoot,
  verifyInclusion,
  verifyInclusionHash
} from '../../src/merkle/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

// Test vectors of transparency-dev/merkle (proof/verify_test.go), the RFC 6962 reference data
// Certificate Transparency implementations share.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'
];
// { leaf index (0-based), tree size, PATH }
const INCLUSION: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'
    ]
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'
    ]
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'
    ]
  }
];

describe('RFC 6962 tree hash', () => {
  it('the empty tree is SHA-256 of nothing', () => {
    expect(hex(EMPTY_ROOT)).toBe(createHash('sha256').digest('hex'));
    expect(hex(merkleRoot([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches the reference roots for sizes 1..8', () => {
    for (let n = 1; n <= 8; n++) expect(hex(merkleRoot(LEAVES.slice(0, n))), `size ${n}`).toBe(ROOTS[n - 1]);
  });

  it('leaf hash is H(0x00 || leaf), also for leaves larger than the scratch buffer', () => {
    for (const size of [0, 1, 4096, 65536, 65537, 200_000]) {
      const leaf = randomBytes(size);
      expect(hex(leafHash(leaf))).toBe(createHash('sha256').update(Buffer.from([0])).update(leaf).digest('hex'));
    }
  });
});

describe('inclusion proofs', () => {
  it('gives every leaf its reference path at once, for trees of 0 to 70 leaves', () => {
    for (let n = 0; n <= 70; n++) {
      const hashes = Array.from({ length: n }, () => leafHash(new Uint8Array(randomBytes(8))));
      const all = inclusionProofsFromHashes(hashes);
      expect(all).toHaveLength(n);
      for (let i = 0; i < n; i++) expect(all[i]!.map(hex)).toEqual(inclusionProofFromHashes(hashes, i).map(hex));
    }
  });

  for (const v of INCLUSION) {
    it(`matches the reference path of leaf ${v.index} in a tree of ${v.size}`, () => {
      const leaves = LEAVES.slice(0, v.size);
      const proof = inclusionProof(leaves, v.index);
      expect(proof.map(hex)).toEqual(v.proof);
      expect(verifyInclusion(unhex(ROOTS[v.size - 1]!), v.index, v.size, leaves[v.index]!, proof)).toBe(true);
    });
  }

  it('rejects every corruption of a reference proof', () => {
    const v = INCLUSION[2]!;
    const root = unhex(ROOTS[v.size - 1]!);
    const leaf = LEAVES[v.index]!;
    const proof = v.proof.map(unhex);
    const some = unhex('abacaba000000000000000000000000000000000000000000060061e00123456');
    const bad: [string, boolean][] = [
      ['index - 1', verifyInclusion(root, v.index - 1, v.size, leaf, proof)],
      ['index + 1', verifyInclusion(root, v.index + 1, v.size, leaf, proof)],
      ['index ^ 2', verifyInclusion(root, v.index ^ 2, v.size, leaf, proof)],
      ['size * 2', verifyInclusion(root, v.index, v.size * 2, leaf, proof)],
      ['size / 2', verifyInclusion(root, v.index, v.size / 2, leaf, proof)],
      ['wrong leaf', verifyInclusion(root, v.index, v.size, new TextEncoder().encode('WrongLeaf'), proof)],
      ['empty root', verifyInclusion(EMPTY_ROOT, v.index, v.size, leaf, proof)],
      ['random root', verifyInclusion(some, v.index, v.size, leaf, proof)],
      ['trailing garbage', verifyInclusion(root, v.index, v.size, leaf, [...proof, new Uint8Array(0)])],
      ['trailing root', verifyInclusion(root, v.index, v.size, leaf, [...proof, root])],
      ['preceding garbage', verifyInclusion(root, v.index, v.size, leaf, [new Uint8Array(0), ...proof])],
      ['preceding root', verifyInclusion(root, v.index, v.size, leaf, [root, ...proof])],
      ['removed component', verifyInclusion(root, v.index, v.size, leaf, proof.slice(0, -1))],
      ['inserted component', verifyInclusion(root, v.index, v.size, leaf, [proof[0]!, some, ...proof.slice(1)])],
      ['empty proof', verifyInclusion(root, v.index, v.size, leaf, [])],
      ['negative index', verifyInclusion(root, -1, v.size, leaf, proof)],
      ['fractional size', verifyInclusion(root, v.index, v.size + 0.5, leaf, proof)]
    ];
    proof.forEach((_, i) => {
      const flipped = proof.map((p) => p.slice());
      flipped[i]![0]! ^= 8;
      bad.push([`flipped bit in proof[${i}]`, verifyInclusion(root, v.index, v.size, leaf, flipped)]);
    });
    expect(bad.filter(([, ok]) => ok).map(([name]) => name)).toEqual([]);
  });

  it('every leaf of every tree up to 70 leaves proves and verifies, and not at another index', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => new Uint8Array([i, i * 7, 3]));
    for (let n = 1; n <= 70; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(tree, i);
        expect(verifyInclusion(root, i, n, tree[i]!, proof)).toBe(true);
        if (n > 1) expect(verifyInclusion(root, (i + 1) % n, n, tree[i]!, proof)).toBe(false);
      }
    }
  });

  it('asking for a leaf outside the tree is a typed error', () => {
    expect(() => inclusionProof(LEAVES, 8)).toThrow(expect.objectContaining({ code: MerkleErrorCode.InvalidIndex }) as Error);
    expect(() => inclusionProof([], 0)).toThrow(expect.objectContaining({ code: MerkleErrorCode.InvalidIndex }) as Error);
  });

  it('verification never throws on junk', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: -3, max: 100 }),
        fc.integer({ min: -3, max: 100 }),
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { maxLength: 8 }),
        (root, index, size, proof) => {
          expect(typeof verifyInclusionHash(root, index, size, leafHash(root), proof)).toBe('boolean');
        }
      )
    );
  });
});

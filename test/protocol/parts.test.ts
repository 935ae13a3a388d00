// The parts tree of format v3 (src/protocol/parts.ts): every part of objects of 1 to 40 parts
// proves its place under the sealed root, and nothing else does: another salt (a part uploaded
// again and discarded), size, offset, number, leaf index, part count, root, or a proof that is
// short, long or bent.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { partProofs, partsRoot, placeParts, verifyPartProof, type PartPlace } from '../../src/protocol/index.js';
import { seededRandom } from '../fixtures/random.js';

function objectOf(count: number, rand: () => number): PartPlace[] {
  let number = 0;
  return placeParts(
    Array.from({ length: count }, () => {
      number += 1 + Math.floor(rand() * 3);
      return { number, size: Math.floor(rand() * 10_000_000), salt: new Uint8Array(randomBytes(16)) };
    })
  );
}

describe('the parts tree', () => {
  for (const seed of [1, 2, 3]) {
    it(`proves every part of objects of 1 to 40 parts and refuses every alteration (seed ${seed})`, () => {
      const rand = seededRandom(seed);
      for (let count = 1; count <= 40; count++) {
        const parts = objectOf(count, rand);
        const root = partsRoot(parts);
        const proofs = partProofs(parts);
        expect(proofs).toHaveLength(count);
        for (const [i, part] of parts.entries()) {
          const proof = proofs[i]!;
          expect(verifyPartProof(root, count, i, part, proof)).toBe(true);
          const altered: [string, boolean][] = [
            ['salt', verifyPartProof(root, count, i, { ...part, salt: new Uint8Array(randomBytes(16)) }, proof)],
            ['size', verifyPartProof(root, count, i, { ...part, size: part.size + 1 }, proof)],
            ['offset', verifyPartProof(root, count, i, { ...part, offset: part.offset + 1 }, proof)],
            ['number', verifyPartProof(root, count, i, { ...part, number: part.number + 1 }, proof)],
            ['count', verifyPartProof(root, count + 1, i, part, proof)],
            ['root', verifyPartProof(partsRoot(parts.slice(0, -1)), count, i, part, proof)],
            ['longer proof', verifyPartProof(root, count, i, part, [...proof, new Uint8Array(32)])],
            ['bent proof', proof.length > 0 && verifyPartProof(root, count, i, part, proof.map((h, j) => (j === 0 ? new Uint8Array(h).fill(h[0]! ^ 1, 0, 1) : h)))],
            ['shorter proof', proof.length > 0 && verifyPartProof(root, count, i, part, proof.slice(1))]
          ];
          if (count > 1) altered.push(['index', verifyPartProof(root, count, (i + 1) % count, part, proof)]);
          // Another part's proof, or a part in another's place.
          if (count > 1) altered.push(['other part', verifyPartProof(root, count, i, parts[(i + 1) % count]!, proof)]);
          expect(altered.filter(([, ok]) => ok).map(([what]) => what)).toEqual([]);
        }
      }
    });
  }

  it('never throws on nonsense from the network', () => {
    const parts = objectOf(5, seededRandom(9));
    const root = partsRoot(parts);
    const proof = partProofs(parts)[2]!;
    for (const [count, index] of [[0, 0], [5, -1], [5, 5], [2 ** 33, 1], [5, 1.5], [Number.NaN, 0]] as const) {
      expect(verifyPartProof(root, count, index, parts[2]!, proof)).toBe(false);
    }
    expect(verifyPartProof(root.subarray(1), 5, 2, parts[2]!, proof)).toBe(false);
    expect(verifyPartProof(root, 5, 2, { ...parts[2]!, salt: new Uint8Array(300) }, proof)).toBe(false);
    expect(verifyPartProof(root, 5, 2, parts[2]!, [new Uint8Array(31), ...proof.slice(1)])).toBe(false);
  });
});

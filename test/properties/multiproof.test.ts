// Multi-leaf Merkle proofs (src/merkle/multiproof.ts): any single edit of what an audit answer
// claims is detected. For any tree and any set of leaves, the honest proof verifies; then one edit
// (a leaf's bytes, an index, the root, one proof hash changed, removed, inserted or two swapped)
// makes verification fail. With distinct leaves every edit makes a false claim; with repeated
// leaves an edited index may still name an equal leaf, so there the property is soundness:
// verification passes only when every claimed (index, leaf) is true of the tree.
// Not edited: the tree size. It is the verifier's to know (the satellite has it from the piece's
// size), not part of the answer, and an RFC 6962 root does not commit to it: leaf 0's proof in a
// tree of 5 leaves verifies for sizes 5 to 8 alike (the same split at 4), and for 5.5 too.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { merkleRoot, multiLeafProof, verifyMultiLeafProof } from '../../src/merkle/index.js';

interface Claim {
  root: Uint8Array;
  leafCount: number;
  indices: number[];
  leaves: Uint8Array[];
  proof: Uint8Array[];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const differentBytes = (b: Uint8Array, other: Uint8Array): boolean => Buffer.compare(Buffer.from(b), Buffer.from(other)) !== 0;

/** One change to a byte string: a bit flipped, a byte added or dropped, or other bytes. */
const byteEdit = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('append' as const), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('other' as const), bytes: fc.uint8Array({ maxLength: 40 }) })
);
type ByteEdit = typeof byteEdit extends fc.Arbitrary<infer T> ? T : never;

function applyBytes(b: Uint8Array, e: ByteEdit): Uint8Array {
  switch (e.op) {
    case 'flip': {
      if (b.length === 0) return Uint8Array.of(1 << e.bit);
      const out = b.slice();
      out[e.at % b.length]! ^= 1 << e.bit;
      return out;
    }
    case 'append':
      return Uint8Array.from([...b, e.byte]);
    case 'drop':
      return b.length === 0 ? Uint8Array.of(0) : Uint8Array.from([...b.slice(0, e.at % b.length), ...b.slice((e.at % b.length) + 1)]);
    case 'other':
      return e.bytes;
  }
}

/** One edit of a claim, by kind; positions are taken modulo what there is. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('leaf' as const), j: fc.nat(), e: byteEdit }),
  // To any number, or a few places along from where it was.
  fc.record({ kind: fc.constant('index' as const), j: fc.nat(), to: fc.oneof(fc.integer({ min: -2, max: 80 }), fc.constantFrom(0.5, Number.NaN, 2 ** 53)), by: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('root' as const), e: byteEdit }),
  fc.record({ kind: fc.constant('hash' as const), k: fc.nat(), e: byteEdit }),
  fc.record({ kind: fc.constant('remove' as const), k: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), k: fc.nat(), copy: fc.option(fc.nat(), { nil: undefined }), bytes: fc.uint8Array({ minLength: 32, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('swap' as const), k: fc.nat(), l: fc.nat() })
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** The claim with one edit applied; undefined when the edit changes nothing (it is then no edit). */
function applyEdit(c: Claim, e: Edit): Claim | undefined {
  const out: Claim = { ...c, indices: [...c.indices], leaves: [...c.leaves], proof: [...c.proof] };
  const p = c.proof.length;
  switch (e.kind) {
    case 'leaf': {
      const j = e.j % c.leaves.length;
      out.leaves[j] = applyBytes(c.leaves[j]!, e.e);
      return differentBytes(out.leaves[j], c.leaves[j]!) ? out : undefined;
    }
    case 'index': {
      const j = e.j % c.indices.length;
      out.indices[j] = e.by === undefined ? e.to : c.indices[j]! + e.by;
      return Object.is(out.indices[j], c.indices[j]) ? undefined : out;
    }
    case 'root':
      out.root = applyBytes(c.root, e.e);
      return differentBytes(out.root, c.root) ? out : undefined;
    case 'hash': {
      if (p === 0) return undefined;
      const k = e.k % p;
      out.proof[k] = applyBytes(c.proof[k]!, e.e);
      return differentBytes(out.proof[k], c.proof[k]!) ? out : undefined;
    }
    case 'remove':
      if (p === 0) return undefined;
      out.proof.splice(e.k % p, 1);
      return out;
    case 'insert':
      out.proof.splice(e.k % (p + 1), 0, e.copy !== undefined && p > 0 ? c.proof[e.copy % p]! : e.bytes);
      return out;
    case 'swap': {
      if (p === 0) return undefined;
      const [k, l] = [e.k % p, e.l % p];
      [out.proof[k], out.proof[l]] = [c.proof[l]!, c.proof[k]!];
      return differentBytes(c.proof[k]!, c.proof[l]!) ? out : undefined;
    }
  }
}

/** A tree and a claim about some of its leaves, with the honest proof. */
function claimArb(leavesArb: fc.Arbitrary<Uint8Array[]>): fc.Arbitrary<{ tree: Uint8Array[]; claim: Claim }> {
  return leavesArb.chain((tree) =>
    fc.uniqueArray(fc.integer({ min: 0, max: tree.length - 1 }), { minLength: 1, maxLength: Math.min(tree.length, 12) }).map((picked) => {
      const indices = [...picked].sort((a, b) => a - b);
      return { tree, claim: { root: merkleRoot(tree), leafCount: tree.length, indices, leaves: indices.map((i) => tree[i]!), proof: multiLeafProof(tree, indices) } };
    })
  );
}

const verify = (c: Claim): boolean => verifyMultiLeafProof(c.root, c.leafCount, c.indices, c.leaves, c.proof);

it('distinct leaves: the honest proof verifies, and any single edit of a leaf, an index, the root or the proof fails', () => {
  const distinct = fc.uniqueArray(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 70, selector: hex });
  fc.assert(
    fc.property(claimArb(distinct), fc.array(edit, { minLength: 1, maxLength: 6 }), ({ claim }, edits) => {
      expect(verify(claim)).toBe(true);
      for (const e of edits) {
        const edited = applyEdit(claim, e);
        if (edited) expect(verify(edited), JSON.stringify(e)).toBe(false);
      }
    }),
    { numRuns: 400 }
  );
});

it('repeated leaves: an edited claim verifies only if it is true of the tree; an edited proof never does', () => {
  // Leaves of one, two or three values: trees repeat them, so an index edit may name an equal
  // leaf (in a tree of equal leaves and a power-of-two size, any index edit inside it is true).
  const repeated = fc.integer({ min: 1, max: 3 }).chain((values) => fc.array(fc.integer({ min: 1, max: values }).map((v) => Uint8Array.of(v)), { minLength: 1, maxLength: 40 }));
  fc.assert(
    fc.property(claimArb(repeated), fc.array(edit, { minLength: 1, maxLength: 6 }), ({ tree, claim }, edits) => {
      expect(verify(claim)).toBe(true);
      for (const e of edits) {
        const edited = applyEdit(claim, e);
        if (!edited) continue;
        const proofEdit = e.kind === 'hash' || e.kind === 'remove' || e.kind === 'insert' || e.kind === 'swap' || e.kind === 'root';
        const isTrue = edited.indices.every((i, j) => Number.isInteger(i) && i >= 0 && i < tree.length && (j === 0 || i > edited.indices[j - 1]!) && !differentBytes(tree[i]!, edited.leaves[j]!));
        const ok = verify(edited);
        if (proofEdit) expect(ok, JSON.stringify(e)).toBe(false);
        else if (ok) expect(isTrue, `${JSON.stringify(e)} verified a false claim`).toBe(true);
      }
    }),
    { numRuns: 300 }
  );
  // Such true edits exist: in a tree of four equal leaves, leaf 0's proof proves leaf 1 as well.
  const same = Array.from({ length: 4 }, () => Uint8Array.of(1));
  expect(verify({ root: merkleRoot(same), leafCount: 4, indices: [1], leaves: [same[0]!], proof: multiLeafProof(same, [0]) })).toBe(true);
});

// The payout tree: one leaf per wallet, (wallet, cumulative amount in token base units), built and
// proved as OpenZeppelin's StandardMerkleTree does (sorted pairs, double-hashed abi-encoded leaves),
// which is what the distributor's MerkleProof.verify checks on chain. No networking here.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { getAddress, isAddress } from 'viem';
import { ChainError } from './errors.js';

export type Address = `0x${string}`;
export type Hex = `0x${string}`;

const LEAF_ENCODING = ['address', 'uint256'];

export interface PayoutLeaf {
  wallet: Address;
  /** Everything the wallet was ever owed, in the token's base units. */
  cumulative: bigint;
}

export interface PayoutTree {
  root: Hex;
  /** The sum of the leaves' amounts: what the distributor must have been funded with. */
  total: bigint;
  leaves: PayoutLeaf[];
  /** The proof of `wallet`'s leaf; undefined when it has none. */
  proof(wallet: Address): Hex[] | undefined;
  /** The leaf of `wallet`. */
  leaf(wallet: Address): PayoutLeaf | undefined;
}

/**
 * The tree over `leaves` (one per wallet: amounts of the same wallet are summed, wallets are
 * checksummed). An empty list has no root: the caller publishes nothing.
 */
export function buildPayoutTree(leaves: Iterable<PayoutLeaf>): PayoutTree {
  const byWallet = new Map<Address, bigint>();
  for (const l of leaves) {
    if (!isAddress(l.wallet, { strict: false })) throw new ChainError('CHAIN_CONFIG_INVALID', `not a wallet address: ${String(l.wallet)}`);
    if (l.cumulative < 0n) throw new ChainError('CHAIN_CONFIG_INVALID', `negative amount for ${l.wallet}`);
    const wallet = getAddress(l.wallet);
    byWallet.set(wallet, (byWallet.get(wallet) ?? 0n) + l.cumulative);
  }
  if (byWallet.size === 0) throw new ChainError('CHAIN_CONFIG_INVALID', 'a payout tree needs at least one leaf');
  // Sorted by wallet so the same ledger always gives the same tree.
  const sorted = [...byWallet].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  const tree = StandardMerkleTree.of(
    sorted.map(([w, c]) => [w, c.toString()]),
    LEAF_ENCODING
  );
  const index = new Map<Address, number>();
  for (const [i, [w]] of tree.entries()) index.set(w as Address, i);
  return {
    root: tree.root as Hex,
    total: sorted.reduce((sum, [, c]) => sum + c, 0n),
    leaves: sorted.map(([wallet, cumulative]) => ({ wallet, cumulative })),
    proof: (wallet) => {
      const i = index.get(getAddress(wallet));
      return i === undefined ? undefined : (tree.getProof(i) as Hex[]);
    },
    leaf: (wallet) => {
      const w = getAddress(wallet);
      const c = byWallet.get(w);
      return c === undefined ? undefined : { wallet: w, cumulative: c };
    }
  };
}

/** True when (wallet, cumulative) with `proof` is a leaf under `root`: what a node checks. */
export function verifyPayoutLeaf(root: Hex, leaf: PayoutLeaf, proof: Hex[]): boolean {
  try {
    return StandardMerkleTree.verify(root, LEAF_ENCODING, [getAddress(leaf.wallet), leaf.cumulative.toString()], proof);
  } catch {
    return false;
  }
}

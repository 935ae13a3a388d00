// The payout tree: one leaf per wallet, (wallet, cumulative amount in token base units), built and
// proved as OpenZeppelin's StandardMerkleTree does (sorted pairs, double-hashed abi-encoded leaves),
// which is what the distributor's MerkleProof.verify checks on chain. No networking here.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, getAddress, hexToBytes, isAddress } from 'viem';
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
 *
 * Built here rather than by StandardMerkleTree.of, to the same bytes (test/chain checks roots
 * and proofs against it): that one hex-encodes and re-parses every node and abi-encodes through a
 * generic coder, 2.3 s for 10,000 leaves on this machine; the satellite builds a tree at each
 * publication and on a statement cache miss.
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
  for (const [w, c] of byWallet) if (c >= 2n ** 256n) throw new ChainError('CHAIN_CONFIG_INVALID', `amount for ${w} does not fit a uint256`);
  // Sorted by wallet so the same ledger always gives the same leaves.
  const sorted = [...byWallet].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  // As StandardMerkleTree: leaves sorted by hash, placed from the end of the array backwards,
  // each inner node the hash of its two children in ascending order.
  const hashed = sorted.map(([wallet, cumulative]) => ({ wallet, hash: leafHash(wallet, cumulative) })).sort((a, b) => compareBytes(a.hash, b.hash));
  const nodes = new Array<Uint8Array>(2 * hashed.length - 1);
  const index = new Map<Address, number>();
  for (const [i, { wallet, hash }] of hashed.entries()) {
    nodes[nodes.length - 1 - i] = hash;
    index.set(wallet, nodes.length - 1 - i);
  }
  for (let i = nodes.length - 1 - hashed.length; i >= 0; i--) nodes[i] = nodeHash(nodes[2 * i + 1]!, nodes[2 * i + 2]!);
  return {
    root: bytesToHex(nodes[0]!),
    total: sorted.reduce((sum, [, c]) => sum + c, 0n),
    leaves: sorted.map(([wallet, cumulative]) => ({ wallet, cumulative })),
    proof: (wallet) => {
      let i = index.get(getAddress(wallet));
      if (i === undefined) return undefined;
      const proof: Hex[] = [];
      for (; i > 0; i = Math.floor((i - 1) / 2)) proof.push(bytesToHex(nodes[i % 2 === 1 ? i + 1 : i - 1]!));
      return proof;
    },
    leaf: (wallet) => {
      const w = getAddress(wallet);
      const c = byWallet.get(w);
      return c === undefined ? undefined : { wallet: w, cumulative: c };
    }
  };
}

/** keccak256(keccak256(abi.encode(address wallet, uint256 cumulative))): the distributor's leaf. */
function leafHash(wallet: Address, cumulative: bigint): Uint8Array {
  const encoded = new Uint8Array(64);
  encoded.set(hexToBytes(wallet), 12);
  for (let i = 63, c = cumulative; c > 0n; i--, c >>= 8n) encoded[i] = Number(c & 0xffn);
  return keccak_256(keccak_256(encoded));
}

/** keccak256 of the two children, the smaller first (OpenZeppelin's MerkleProof hashes pairs sorted). */
function nodeHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [lo, hi] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(lo, 0);
  pair.set(hi, 32);
  return keccak_256(pair);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** True when (wallet, cumulative) with `proof` is a leaf under `root`: what a node checks. */
export function verifyPayoutLeaf(root: Hex, leaf: PayoutLeaf, proof: Hex[]): boolean {
  try {
    return StandardMerkleTree.verify(root, LEAF_ENCODING, [getAddress(leaf.wallet), leaf.cumulative.toString()], proof);
  } catch {
    return false;
  }
}

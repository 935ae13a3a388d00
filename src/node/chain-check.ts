// The node's check of its pay against the chain, trusting nothing the satellite says: its leaf
// (wallet, cumulative) and proof must be under the root the distributor holds for the period,
// and the chain says what the wallet was paid and holds. A distributor or token named by the node's
// operator is required to be the one the satellite names.
import { PayoutChain, verifyPayoutLeaf, type Address, type Hex } from '../chain/index.js';
import { StowageError } from '../common/index.js';
import type { PayoutClaim } from '../protocol/index.js';

export interface ClaimCheck {
  /** The distributor's code is Stowage's PayoutDistributor (else its answers prove nothing). */
  codeIsOurs: boolean;
  period: number;
  wallet: string;
  /** The leaf's amount, token base units. */
  cumulative: bigint;
  /** The root the distributor holds for the period ('' when none). */
  rootOnChain: string;
  /** The leaf and proof are under that root. */
  proofValid: boolean;
  /** What the distributor has paid the wallet, and the wallet's token balance. */
  claimed: bigint;
  balance: bigint;
}

/**
 * Checks `claim` on the chain at `rpcUrl`; `pinned` contracts, when given, must match the claim's,
 * and the token must be the one the distributor itself pays (a satellite cannot name another).
 */
export async function checkClaimOnChain(claim: PayoutClaim, rpcUrl: string, pinned: { distributor?: string; token?: string } = {}): Promise<ClaimCheck> {
  for (const k of ['distributor', 'token'] as const) {
    const want = pinned[k];
    if (want !== undefined && want !== '' && want.toLowerCase() !== claim[k].toLowerCase()) {
      throw new StowageError('CHAIN_CONTRACT_MISMATCH', `the satellite names ${k} ${claim[k]}, this node is set to ${want}`);
    }
  }
  const { chain, codeIsOurs } = await PayoutChain.connectToDistributor(rpcUrl, claim.distributor as Address);
  if (chain.token.toLowerCase() !== claim.token.toLowerCase()) throw new StowageError('CHAIN_CONTRACT_MISMATCH', `the satellite names token ${claim.token}, the distributor pays ${chain.token}`);
  const period = Number(claim.period);
  const wallet = claim.wallet as Address;
  const cumulative = BigInt(claim.cumulative);
  const root = await chain.root(period);
  return {
    codeIsOurs,
    period,
    wallet,
    cumulative,
    rootOnChain: root ?? '',
    proofValid: root !== undefined && root.toLowerCase() === claim.root.toLowerCase() && verifyPayoutLeaf(root, { wallet, cumulative }, claim.proof as Hex[]),
    claimed: await chain.claimed(wallet),
    balance: await chain.balanceOf(wallet)
  };
}

/**
 * The EVM side of payouts (issue 21): the ERC-20 of devnets and tests and the payout distributor
 * (contracts/, compiled by `npm run build:contracts` into artifacts.ts), the Merkle tree of
 * (wallet, cumulative amount) leaves the satellite publishes a root of each period, the viem
 * client that publishes, pushes and claims, and a local anvil for devnets and tests.
 * No part of the satellite or node talks to a chain except through this face.
 */
export { ChainError } from './errors.js';
export { buildPayoutTree, verifyPayoutLeaf, type Address, type Hex, type PayoutLeaf, type PayoutTree } from './merkle.js';
export { CHAIN_DEFAULTS, CREATE2_DEPLOYER, FEE_BUMP_PERCENT, MAX_FEE_BUMPS, MAX_REORGS, PayoutChain, chainError, deployPayoutContracts, distributorAddress, type ChainState, type ClaimEvent, type SentTransaction, type DeployedContracts, type PayoutChainConfig } from './distributor.js';
export { ANVIL_MNEMONIC, anvilAccount, anvilBinary, startAnvil, type Anvil, type AnvilAccount, type AnvilOptions } from './anvil.js';
export { PayoutDistributor, StowageToken } from './artifacts.js';
export { readPrivateKeyFile, writePrivateKeyFile } from './keys.js';

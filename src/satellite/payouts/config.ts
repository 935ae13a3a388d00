// Payout configuration: the period length, the rates, and Storj's optional held-back schedule.

export interface PayoutConfig {
  /** Length of a payout period; 0 turns the automatic close off. */
  periodMs: number;
  /** Tokens per TB (10^12 bytes) held for a month of 720 hours. */
  storageRate: string;
  /** Tokens per successful audit in the period. */
  auditRate: string;
  /** Tokens per TB (10^12 bytes) of GET egress settled in the period (bandwidth orders). */
  egressRate: string;
  /** Tokens per TB of repair egress (REPAIR_GET) settled in the period. */
  repairEgressRate: string;
  /**
   * A node whose unpaid earnings are below this (tokens) is not paid on chain this period: they
   * carry over to the next (Storj's payout threshold). The ledger credits every period as before.
   */
  minimumPayout: string;
  /** Hold back part of young nodes' earnings, as Storj does. */
  heldBack: boolean;
}

export const PAYOUT_DEFAULTS: PayoutConfig = { periodMs: 30 * 24 * 60 * 60 * 1000, storageRate: '1.5', auditRate: '0', egressRate: '2', repairEgressRate: '2', minimumPayout: '0', heldBack: false };

/** Percent held back by node age in whole months (30 days); 0 from the tenth month. */
export const HELD_BACK_SCHEDULE = [75, 75, 75, 50, 50, 50, 25, 25, 25];

/**
 * Payouts on an EVM chain (issue 21). Absent: ledger-only mode (the ledger and signed statements,
 * nothing paid out; the satellite says so at start).
 */
export interface ChainPayoutConfig {
  /** JSON-RPC endpoint of the chain (http or https). */
  rpcUrl: string;
  /** The ERC-20 paid out. */
  token: string;
  /** The PayoutDistributor contract, owned by the payer. */
  distributor: string;
  /** A file holding the payer's private key (0x and 64 hex digits), mode 0600. */
  payerKeyFile: string;
  /** Claims per claimMany transaction. */
  claimBatchSize: number;
  /** Push every node's claim after publishing (false: nodes claim by themselves, `stowage node claim`). */
  push: boolean;
  /** How long after a failed publication (chain unreachable, reverted) it is tried again; doubled per failure up to 16x. */
  retryMs: number;
  /**
   * Blocks a transaction must be under, its own included, before the satellite counts it done
   * (1: the receipt; more on a chain that can reorganise, such as 12 on Ethereum mainnet).
   */
  confirmations: number;
}

export const CHAIN_PAYOUT_DEFAULTS = { claimBatchSize: 100, retryMs: 60_000, push: true, confirmations: 1 } as const;

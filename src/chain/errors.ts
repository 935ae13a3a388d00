import { StowageError } from '../common/index.js';

/**
 * Codes of the chain part:
 * - `CHAIN_UNREACHABLE`: the JSON-RPC endpoint did not answer (retried by the caller).
 * - `CHAIN_REVERTED`: a transaction or call reverted; `reason` names the contract's error
 *   (`InvalidProof`, `NothingToClaim`, `PeriodNotAfterLast`, ...).
 * - `CHAIN_INSUFFICIENT_FUNDS`: the payer lacks the tokens (or the allowance) or the gas.
 * - `CHAIN_TX_FAILED`: a sent transaction not mined in time, fee bumps included (or another
 *   failure the endpoint gave no better name for).
 * - `CHAIN_CONFIG_INVALID`: an address, key or endpoint that cannot be used.
 * - `CHAIN_ANVIL_FAILED`: the local anvil process did not start.
 * - `CHAIN_CONTRACT_MISMATCH`: a distributor that pays another token than the one pinned.
 */
export class ChainError extends StowageError {
  /** The contract's custom error, for CHAIN_REVERTED. */
  readonly reason: string | undefined;

  constructor(code: string, message: string, options?: { cause?: unknown; reason?: string }) {
    super(code, message, options);
    this.reason = options?.reason;
  }
}

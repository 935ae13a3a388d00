// The payouts part's stores: the ledger (LedgerDB) and the little state payouts keep beside it
// (PayoutStateDB). The LevelDB implementations are store/leveldb/ledger.ts (Ledger) and
// store/leveldb/payout-state.ts (LevelPayoutState).
import type { Credit, LedgerEntry, PeriodRecord } from './ledger.js';

/**
 * The payout ledger: every backend provides this. A period is closed atomically with its entries,
 * so a crash leaves it closed with all of them or not at all; closing a closed period again
 * credits nothing.
 */
export interface LedgerDB {
  period(period: number): Promise<PeriodRecord | undefined>;
  lastPeriod(): Promise<PeriodRecord | undefined>;
  listPeriods(): Promise<PeriodRecord[]>;
  /**
   * Appends the period's credits and marks it closed, atomically. A period already closed is
   * returned as it is and nothing is credited again; a period that does not follow the last closed
   * one fails with PERIOD_OUT_OF_ORDER.
   */
  closePeriod(period: { period: number; start: number; end: number }, credits: readonly Credit[], now: number): Promise<{ record: PeriodRecord; created: boolean }>;
  /** Entries in order; of one period and/or one node when asked. */
  list(filter?: { period?: number; nodeId?: string }): Promise<LedgerEntry[]>;
  /** Balances per node, derived from the entries. */
  balances(): Promise<Record<string, string>>;
  /** Recomputes every hash and link; the first entry that does not hold is reported. */
  verify(): Promise<{ ok: boolean; entries: number; problem?: string }>;
}

/** What payouts remember outside the ledger: when the first period began. */
export interface PayoutStateDB {
  /** The first period's start; undefined until payouts first ran. */
  epoch(): Promise<number | undefined>;
  setEpoch(start: number): Promise<void>;
}

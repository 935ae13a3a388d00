// The payout ledger's records: append-only entries, each hash-chained to the one before it (and to
// the node's own previous entry, so a node can check the chain of its own statements), and the
// closed periods. The store that keeps them is LedgerDB (db.ts).
import { ledgerEntryHash } from '../../protocol/index.js';

export type LedgerEntryKind = 'storage' | 'audit' | 'egress' | 'repair-egress' | 'held';

export interface LedgerEntry {
  seq: number;
  period: number;
  nodeId: string;
  kind: LedgerEntryKind;
  /** Tokens, fixed 6 decimals; negative for amounts held back. */
  amount: string;
  /** What the amount was computed from (byte-hours, audits, factors), for people. */
  detail: string;
  time: number;
  /** Hash of the previous entry (all nodes), and of this node's previous entry; '' for none. */
  prev: string;
  nodePrev: string;
  hash: string;
}

export interface PeriodRecord {
  period: number;
  start: number;
  end: number;
  closedAt: number;
  entries: number;
  total: string;
}

/** The hash of an entry: defined with the payout protocol, so nodes compute it the same way. */
export function entryHash(e: Omit<LedgerEntry, 'hash'>): string {
  return ledgerEntryHash(e);
}

export interface Credit {
  nodeId: string;
  kind: LedgerEntryKind;
  units: bigint;
  detail: string;
}

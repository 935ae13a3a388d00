// SatelliteDB: every store the satellite's parts use, one accessor per part's store interface
// (each declared in that part's db.ts). A backend implements them all; the LevelDB one is
// store/leveldb/, and test/satellite/store/contract.ts is the suite any backend must pass.
import type { ApiKeyDB } from '../apikeys/index.js';
import type { AuditDB } from '../audit/index.js';
import type { MetadataDB } from '../metainfo/index.js';
import type { SettlementDB } from '../orders/index.js';
import type { NodeDB } from '../overlay/index.js';
import type { LedgerDB, PayoutStateDB, PublicationDB } from '../payouts/index.js';
import type { RepairQueueDB } from '../repair/index.js';
import type { ReputationDB } from '../reputation/index.js';

export interface SatelliteDB {
  /** Buckets, objects, segments and pending uploads. */
  readonly metadata: MetadataDB;
  /** Node records, flags and uptime windows. */
  readonly nodes: NodeDB;
  readonly apiKeys: ApiKeyDB;
  /** Audit records, containment and suspect reports. */
  readonly audits: AuditDB;
  readonly reputation: ReputationDB;
  /** The repair queue and the lost set; its commit updates the metadata in the same write. */
  readonly repairQueue: RepairQueueDB;
  /** The hash-chained ledger of credits and closed periods. */
  readonly ledger: LedgerDB;
  readonly payoutState: PayoutStateDB;
  /** Each period's publication on chain (issue 21), kept before it is sent. */
  readonly publications: PublicationDB;
  /** Settled bandwidth-order serials and the egress they credited. */
  readonly settlements: SettlementDB;
  /** Chore leases, in a backend several satellite processes share (absent: one process, no leases). */
  readonly leases?: LeaseStore;
  close(): Promise<void>;
}

/** The lease table a backend shared by several satellite processes provides (postgres/leases.ts). */
export interface LeaseStore {
  /** Takes the lease `name` for `holder` for `ttlMs` or renews it; true while `holder` holds it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives it up (only when `holder` holds it). */
  release(name: string, holder: string): Promise<void>;
}

/** What the stores need from the satellite's configuration. */
export interface SatelliteDBOptions {
  now: () => number;
  /** How long an upload may stay uncommitted. */
  pendingTtlMs: number;
  /** Uptime windows: their width and how long they count. */
  uptime: { windowMs: number; periodMs: number };
}

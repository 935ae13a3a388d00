// Opens the LevelDB SatelliteDB: one LevelDB (JSON values) holding every part's sublevels.
import { Level } from 'level';
import type { SatelliteDB, SatelliteDBOptions } from '../db.js';
import { ApiKeys } from './apikeys.js';
import { LevelAuditDB } from './audits.js';
import { Ledger } from './ledger.js';
import { LevelPayoutState } from './payout-state.js';
import { Metadata } from './metadata.js';
import { NodeRegistry } from './nodes.js';
import { LevelRepairQueue } from './repair-queue.js';
import { LevelReputationDB } from './reputation.js';
import { LevelSettlementDB } from './settlement.js';
import { guardWrites } from '../../../common/index.js';

export class LevelSatelliteDB implements SatelliteDB {
  readonly metadata: Metadata;
  readonly nodes: NodeRegistry;
  readonly apiKeys: ApiKeys;
  readonly audits: LevelAuditDB;
  readonly reputation: LevelReputationDB;
  readonly repairQueue: LevelRepairQueue;
  readonly ledger: Ledger;
  readonly payoutState: LevelPayoutState;
  readonly publications: LevelPayoutState;
  readonly settlements: LevelSettlementDB;

  constructor(
    /** The LevelDB itself, open. */
    readonly level: Level<string, unknown>,
    options: SatelliteDBOptions
  ) {
    this.metadata = new Metadata(level, options.now, options.pendingTtlMs);
    this.audits = new LevelAuditDB(level);
    this.reputation = new LevelReputationDB(level);
    // A forgotten node's reputation and audit state go in the same batch as its record.
    this.nodes = new NodeRegistry(level, options.uptime, [this.reputation, this.audits]);
    this.apiKeys = new ApiKeys(level, options.now);
    this.repairQueue = new LevelRepairQueue(level, this.metadata);
    this.ledger = new Ledger(level);
    this.payoutState = new LevelPayoutState(level);
    this.publications = this.payoutState;
    this.settlements = new LevelSettlementDB(level, options.now);
  }

  async close(): Promise<void> {
    await this.level.close();
  }
}

/** Opens (creating when missing) the LevelDB at `path` as a SatelliteDB. */
export async function openLevelSatelliteDB(path: string, options: SatelliteDBOptions): Promise<LevelSatelliteDB> {
  const level = new Level<string, unknown>(path, { valueEncoding: 'json' });
  // A write the disk cut short must not take the writes after it down with it (level-guard.ts).
  guardWrites(level, path);
  await level.open();
  return new LevelSatelliteDB(level, options);
}

// Opens the PostgreSQL SatelliteDB: one pool shared by every part's store, the schema migrated
// first. Several satellite processes may open the same database at once.
import type { SatelliteDB, SatelliteDBOptions } from '../db.js';
import { PgApiKeyDB } from './apikeys.js';
import { PgAuditDB } from './audits.js';
import { PgLeases } from './leases.js';
import { PgLedgerDB } from './ledger.js';
import { PgMetadata } from './metadata.js';
import { PgNodeDB } from './nodes.js';
import { PgPayoutState } from './payout-state.js';
import { PgRepairQueue } from './repair-queue.js';
import { PgReputationDB } from './reputation.js';
import { migrate } from './schema.js';
import { PgSettlementDB } from './settlement.js';
import { DatabaseError, createPool, redactUrl, type Pool } from './sql.js';

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

export class PostgresSatelliteDB implements SatelliteDB {
  readonly metadata: PgMetadata;
  readonly nodes: PgNodeDB;
  readonly apiKeys: PgApiKeyDB;
  readonly audits: PgAuditDB;
  readonly reputation: PgReputationDB;
  readonly repairQueue: PgRepairQueue;
  readonly ledger: PgLedgerDB;
  readonly payoutState: PgPayoutState;
  readonly publications: PgPayoutState;
  readonly settlements: PgSettlementDB;
  /** Chore leases: several satellite processes share one database, each chore runs in one. */
  readonly leases: PgLeases;

  constructor(
    readonly pool: Pool,
    options: SatelliteDBOptions,
    /** The leases' own connections: a renewal never queues behind the stores' work (review 25 M6/M2). */
    private readonly leasePool: Pool = pool
  ) {
    this.metadata = new PgMetadata(pool, options.now, options.pendingTtlMs);
    this.audits = new PgAuditDB(pool);
    this.reputation = new PgReputationDB(pool);
    this.nodes = new PgNodeDB(pool, options.uptime);
    this.apiKeys = new PgApiKeyDB(pool, options.now);
    this.repairQueue = new PgRepairQueue(pool, this.metadata);
    this.ledger = new PgLedgerDB(pool);
    this.payoutState = new PgPayoutState(pool);
    this.publications = this.payoutState;
    this.settlements = new PgSettlementDB(pool, options.now);
    this.leases = new PgLeases(leasePool, options.now);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.leasePool !== this.pool ? this.leasePool.end() : undefined]);
  }
}

/** Opens the database at `url` (postgres://...), migrating its schema to this version first. */
export async function openPostgresSatelliteDB(url: string, options: SatelliteDBOptions, pg: PostgresOptions = {}): Promise<PostgresSatelliteDB> {
  const pool = createPool(url, pg.maxConnections ?? 10);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError('DATABASE_UNAVAILABLE', `cannot open the satellite database at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  return new PostgresSatelliteDB(pool, options, createPool(url, 2));
}

// The reputation part's store: each node's audit reputation, and the ReputationDB interface (the
// LevelDB implementation is store/leveldb/reputation.ts, LevelReputationDB).

export interface AuditReputation {
  alpha: number;
  beta: number;
  successes: number;
  failures: number;
  /** Audits the node could not be reached for (they count toward the online score only). */
  offline: number;
  contained: number;
}

/** The reputation store: what every backend of it provides. */
export interface ReputationDB {
  /** A node's audit reputation; undefined for a node never audited. */
  get(nodeId: string): Promise<AuditReputation | undefined>;
  put(nodeId: string, reputation: AuditReputation): Promise<void>;
  /** Every audited node's reputation, by node id. */
  entries(): AsyncIterable<[nodeId: string, reputation: AuditReputation]>;
}

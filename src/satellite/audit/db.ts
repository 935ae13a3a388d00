// The audit part's store: audit records, contained challenges and suspect reports, and the
// AuditDB interface (the LevelDB implementation is store/leveldb/audits.ts, LevelAuditDB).

export type AuditOutcome = 'success' | 'failure' | 'offline' | 'contained' | 'skipped';

/** One challenge: which piece, and the nonce its leaves come from. */
export interface AuditChallenge {
  nodeId: string;
  segmentKey: string;
  pieceNumber: number;
  nonce: string;
}

export interface AuditRecord extends AuditChallenge {
  time: number;
  outcome: AuditOutcome;
  /** Why it was not a success. */
  reason: string;
  /** 0 for a first ask, n for the n-th re-ask of a contained node. */
  reverify: number;
  /** Set when the piece was audited because it was reported as suspect: the report's reason. */
  suspect?: string;
}

/** A challenge a node stalled on, asked again in later rounds. */
export interface Containment {
  challenge: AuditChallenge;
  tries: number;
  since: number;
  suspect?: string;
}

/** A piece reported as suspect, audited (with this challenge) in the next round. */
export interface Suspect {
  challenge: AuditChallenge;
  reason: string;
  reported: number;
}

/**
 * The containment key of a challenge: node, segment and piece. Also what the audit service
 * tells challenged pieces apart by, so every backend keys containment this way.
 */
export const pieceKey = (ch: Pick<AuditChallenge, 'nodeId' | 'segmentKey' | 'pieceNumber'>): string => `${ch.nodeId}!${ch.segmentKey}!${ch.pieceNumber}`;

/** The audit store: what every backend of it provides. */
export interface AuditDB {
  /** Keeps one audit's record (a node may have several records at one time). */
  addRecord(record: AuditRecord): Promise<void>;
  /** Successful audits of a node in [start, end). */
  countSuccesses(nodeId: string, start: number, end: number): Promise<number>;
  /** The newest `limit` records of one node, or of all nodes when none is named; newest last. */
  newestRecords(limit: number, nodeId?: string): Promise<AuditRecord[]>;

  /**
   * Contained challenges with their keys, in key order. Keyed by node id and challenged piece
   * (pieceKey: a node may have several contained challenges); entries written before that were
   * keyed by node id alone and come back with that key.
   */
  containments(): AsyncIterable<[key: string, containment: Containment]>;
  putContainment(key: string, containment: Containment): Promise<void>;
  deleteContainment(key: string): Promise<void>;

  /** At most one pending suspect per node: keyed by node id, the newest report wins. */
  suspect(nodeId: string): Promise<Suspect | undefined>;
  putSuspect(nodeId: string, suspect: Suspect): Promise<void>;
  deleteSuspect(nodeId: string): Promise<void>;
  /** Pending suspects by node id, in node id order. */
  suspects(): AsyncIterable<[nodeId: string, suspect: Suspect]>;
}

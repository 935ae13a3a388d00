// The overlay's store: node records, their flags, and uptime checks counted in windows; the
// LevelDB implementation is store/leveldb/nodes.ts (NodeRegistry).
import type { CheckInInfo } from '../../protocol/index.js';

export type { CheckInInfo };

export interface NodeFlags {
  disqualified: number | null;
  suspended: number | null;
  exited: number | null;
}

export interface NodeRecord {
  id: string;
  addresses: string[];
  capacity: number;
  freeSpace: number;
  version: string;
  wallet: string;
  email: string;
  firstContact: number;
  lastContact: number;
  /** Whether the last dial-back or uptime check reached the node, and when it last did. */
  reachable: boolean;
  lastReached: number | null;
  /**
   * Where the satellite last reached the node (dial-back or uptime check): the IP multiaddr it
   * dialled (no /p2p) and that IP's /24 or /64, which the one-node-per-subnet rule counts. Absent
   * in records from before it was kept, and until the node is first reached.
   */
  reachedAddress?: string | null;
  subnet?: string | null;
  /** Passed enough audits to count as established (the audits issue sets it). */
  vetted: boolean;
  flags: NodeFlags;
}

/** Where a dial-back or uptime check reached a node. */
export interface Reached {
  address: string;
  subnet: string;
}

export interface UptimeOptions {
  /** Width of one window of uptime checks. */
  windowMs: number;
  /** Windows older than this do not count (and are pruned). */
  periodMs: number;
}

/** The node store: every backend provides this (the contract tests hold each to it). */
export interface NodeDB {
  get(id: string): Promise<NodeRecord | undefined>;
  list(): AsyncIterable<NodeRecord>;
  /** Changes a node's record (flags, vetting); nothing happens for an unknown node. */
  update(id: string, change: (rec: NodeRecord) => NodeRecord): Promise<void>;
  /**
   * Records a check-in and its dial-back; the dial-back counts as an uptime check too. `reached`
   * (the address the dial-back got through to) replaces the record's; without it the last one stays.
   */
  checkIn(id: string, info: CheckInInfo, reachable: boolean, now: number, reached?: Reached): Promise<NodeRecord>;
  /** Counts one uptime check in the window `now` falls in, and updates the node's reachability (and where it was reached). */
  recordCheck(id: string, ok: boolean, now: number, reached?: Reached): Promise<void>;
  /** Share of successful checks over the scoring period; 1 for a node never checked. */
  onlineScore(id: string, now: number): Promise<number>;
  /** Drops windows that fell out of the scoring period; returns how many. */
  pruneWindows(now: number): Promise<number>;
  /**
   * Deletes a node's record with its uptime windows and what else the store keeps per node (its
   * audit reputation, contained challenges and suspect report; audit records stay as history),
   * in one write where the backend can, provided `still(record)` holds for the record read just
   * before (a check-in meanwhile keeps the node). True when it was deleted.
   */
  forget(id: string, still: (rec: NodeRecord) => boolean): Promise<boolean>;
}

// The audit part's settings and their defaults.

export interface AuditConfig {
  /** Leaves asked per audit. */
  leaves: number;
  /** How long a node has to answer an audit. */
  timeoutMs: number;
  /** Times a contained node is asked the same challenge again before it counts as a failure. */
  maxReverifies: number;
  /** Pieces kept per node from each walk over the segments. */
  reservoirSize: number;
  /** Nodes audited at once. */
  concurrency: number;
  /**
   * Fresh audits per round of a node with recent failures not yet outweighed (one otherwise): a
   * node that keeps failing is disqualified this many times sooner.
   */
  auditsAfterFailure: number;
}

export const AUDIT_DEFAULTS: AuditConfig = { leaves: 16, timeoutMs: 30_000, maxReverifies: 3, reservoirSize: 3, concurrency: 8, auditsAfterFailure: 4 };

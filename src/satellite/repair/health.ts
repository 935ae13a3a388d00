// Which pieces of a segment count as healthy: on nodes that exist, are not disqualified or exited,
// were reached within `onlineWithinMs` (a suspended node that is still reachable keeps its pieces
// healthy) and are not distrusted. The checker and the repairer judge segments alike.
import type { SegmentPiece, SegmentRecord } from '../metainfo/index.js';
import type { NodeDB, NodeRecord } from '../overlay/index.js';

/** The registry at one moment, and the nodes whose pieces do not count now (they may still be sources). */
export interface NodeView {
  nodes: Map<string, NodeRecord>;
  distrusted: Set<string>;
}

/** Whether a node's pieces count as healthy now. */
export function isHealthyNode(rec: NodeRecord | undefined, now: number, onlineWithinMs: number): boolean {
  return mayHoldPieces(rec) && rec.lastReached !== null && now - rec.lastReached <= onlineWithinMs;
}

/**
 * Whether a node is up as far as the registry knows: healthy as above and reachable at its last
 * dial-back or uptime check. Repair downloads only from such nodes (a node known down costs a
 * timeout in a repair slot and returns nothing).
 */
export function isKnownUp(rec: NodeRecord | undefined, now: number, onlineWithinMs: number): rec is NodeRecord {
  return mayHoldPieces(rec) && rec.reachable && isHealthyNode(rec, now, onlineWithinMs);
}

/** A node whose pieces still count at all: known, not disqualified, not exited. */
export function mayHoldPieces(rec: NodeRecord | undefined): rec is NodeRecord {
  return !!rec && rec.flags.disqualified === null && rec.flags.exited === null;
}

/** The registry, and the nodes whose pieces do not count now (they may still be sources). */
export async function nodeView(registry: NodeDB, distrusted?: () => Promise<Set<string>>): Promise<NodeView> {
  const nodes = new Map<string, NodeRecord>();
  for await (const n of registry.list()) nodes.set(n.id, n);
  return { nodes, distrusted: (await distrusted?.()) ?? new Set<string>() };
}

/** A segment's pieces on healthy nodes that are not distrusted. */
export function healthyPieces(seg: SegmentRecord, view: NodeView, now: number, onlineWithinMs: number): SegmentPiece[] {
  return seg.pieces.filter((p) => isHealthyNode(view.nodes.get(p.nodeId), now, onlineWithinMs) && !view.distrusted.has(p.nodeId));
}

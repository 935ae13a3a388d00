// Which pieces a repair downloads, in which order. Nodes known up first (see isKnownUp); nodes a
// repair transfer failed with lately, still backed off (backoff.ts), after them; nodes known down
// (not reached within `onlineWithinMs`, or unreachable at their last check) but neither
// disqualified nor exited at the very end, so they are dialled only when nothing else can give k
// good pieces (under load an uptime check can fail for a node that answers: the chaos run lost
// segments when such pieces were never tried) and, being backed off once they fail, not again and
// again. Never a disqualified, exited or unknown node. Before them: trusted nodes before
// distrusted ones (their pieces do not count as healthy but may still rebuild a segment), the most
// recently reached first, and at equal contact nodes without failures on record first. A node
// whose backoff has passed is tried again in its place (a failure then doubles its backoff).
import type { SegmentPiece, SegmentRecord } from '../metainfo/index.js';
import type { NodeBackoff } from './backoff.js';
import { isKnownUp, mayHoldPieces, type NodeView } from './health.js';

export interface RepairSources {
  /** The pieces to download, best first. */
  sources: SegmentPiece[];
  /** Sources at the very end because their node is known down. */
  down: number;
  /** Sources at the end of the list because their node is backed off. */
  backedOff: number;
}

export function repairSources(seg: SegmentRecord, view: NodeView, now: number, onlineWithinMs: number, backoff: NodeBackoff): RepairSources {
  const up: { piece: SegmentPiece; lastReached: number; distrusted: number; failed: number; until: number }[] = [];
  const downs: { piece: SegmentPiece; lastReached: number; until: number }[] = [];
  for (const piece of seg.pieces) {
    const rec = view.nodes.get(piece.nodeId);
    if (!mayHoldPieces(rec)) continue;
    const lastReached = rec.lastReached ?? 0;
    if (!isKnownUp(rec, now, onlineWithinMs)) {
      downs.push({ piece, lastReached, until: backoff.backedOffUntil(piece.nodeId) });
      continue;
    }
    up.push({
      piece,
      lastReached: rec.lastReached ?? 0,
      distrusted: view.distrusted.has(piece.nodeId) ? 1 : 0,
      failed: backoff.hasFailed(piece.nodeId) ? 1 : 0,
      until: backoff.backedOffUntil(piece.nodeId)
    });
  }
  const ready = up.filter((s) => s.until === 0).sort((a, b) => a.distrusted - b.distrusted || b.lastReached - a.lastReached || a.failed - b.failed);
  // Backed-off nodes last, the one whose backoff ends first before the others.
  const late = up.filter((s) => s.until !== 0).sort((a, b) => a.until - b.until || a.distrusted - b.distrusted || b.lastReached - a.lastReached);
  // Known down last: not backed off before backed off, then the most recently reached first.
  const down = downs.sort((a, b) => (a.until === 0 ? 0 : 1) - (b.until === 0 ? 0 : 1) || a.until - b.until || b.lastReached - a.lastReached);
  return { sources: [...ready, ...late, ...down].map((s) => s.piece), down: down.length, backedOff: late.length };
}

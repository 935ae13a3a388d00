// Registry pruning (hostile review F10): a node record stays until something removes it, and
// every uptime round dials every record, so a Sybil that passed one dial-back and went away was
// dialled forever (and records that stall cost each round up to two dial timeouts). A round here
// forgets the nodes that no check-in or uptime check has reached for `afterMs`, that hold no
// piece (committed, being uploaded or being repaired), and that are neither disqualified nor
// distrusted (recent audit failures): those records are kept, so such an id cannot come back
// with a clean slate. A node forgotten that checks in again is a new node (and must be reached to
// be recorded).
import type { Logger } from 'pino';
import type { NodeDB, NodeRecord } from './db.js';

/** Rounds run this often at most (less often never: afterMs is days, a round walks the registry). */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** How often the prune chore runs for a threshold of `afterMs` (0: never). */
export function pruneInterval(afterMs: number): number {
  return afterMs > 0 ? Math.max(1000, Math.min(PRUNE_EVERY_MS, afterMs)) : 0;
}

export interface PruneDeps {
  registry: NodeDB;
  /** Ids of nodes that hold pieces: asked once per round, and only when some node is due. */
  holdingPieces: () => Promise<Set<string>>;
  /** Ids of nodes to keep besides disqualified ones (distrusted: recent audit failures). */
  keep?: () => Promise<Set<string>>;
  now: () => number;
  log: Logger;
  /** Unreached for longer than this, a node is forgotten; 0 (or less) turns pruning off. */
  afterMs: number;
}

export interface PruneResult {
  /** Records walked. */
  nodes: number;
  /** Unreached for longer than afterMs and not disqualified. */
  unreached: number;
  /** Of those, kept because they hold pieces or are distrusted. */
  kept: number;
  /** Deleted from the registry. */
  pruned: number;
}

/** When the node was last reached (a record never reached counts from its first contact). */
const lastSeen = (rec: NodeRecord): number => rec.lastReached ?? rec.firstContact;

/** One round: forgets the nodes due (see the file's head); logs one line. */
export async function pruneRegistry(d: PruneDeps, signal?: AbortSignal): Promise<PruneResult> {
  const result: PruneResult = { nodes: 0, unreached: 0, kept: 0, pruned: 0 };
  if (!(d.afterMs > 0)) return result;
  const cutoff = d.now() - d.afterMs;
  const due = (rec: NodeRecord): boolean => rec.flags.disqualified === null && lastSeen(rec) < cutoff;
  const candidates: string[] = [];
  for await (const rec of d.registry.list()) {
    result.nodes++;
    if (due(rec)) candidates.push(rec.id);
  }
  result.unreached = candidates.length;
  if (candidates.length > 0) {
    // The expensive part (a walk of every segment), once per round and only when needed.
    const holding = await d.holdingPieces();
    const keep = (await d.keep?.()) ?? new Set<string>();
    for (const id of candidates) {
      if (signal?.aborted) break;
      if (holding.has(id) || keep.has(id)) {
        result.kept++;
        continue;
      }
      if (await d.registry.forget(id, due)) result.pruned++;
    }
  }
  d.log.info({ ...result, afterMs: d.afterMs }, 'registry pruned');
  return result;
}

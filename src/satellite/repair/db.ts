// The repair part's store: the durable queue of segments to repair (fewest healthy pieces first)
// and the set of lost segments; the LevelDB implementation is store/leveldb/repair-queue.ts
// (LevelRepairQueue).
import type { SegmentPiece, SegmentRecord } from '../metainfo/index.js';

export interface QueuedSegment {
  segmentKey: string;
  healthy: number;
  queuedAt: number;
  /** The segment's k (the repairer's urgent workers judge closeness to loss by it); absent in entries queued before it was recorded. */
  minimum?: number;
}

/** A queue entry: its key (opaque; it orders the queue) and the segment queued under it. */
export interface QueueEntry {
  queueKey: string;
  queued: QueuedSegment;
}

/** What a check found for one segment. */
export interface SegmentHealth {
  /** Its healthy pieces. */
  healthy: number;
  /** At or below the repair threshold: it belongs in the queue. */
  needsRepair: boolean;
  /** Below k: it belongs in the lost set. */
  lost: boolean;
  /** When the check ran (the queue and lost-set entries record it). */
  checkedAt: number;
  /** The segment's k, kept with its queue entry. */
  minimum?: number;
}

export interface RepairQueueDB {
  /**
   * Records one segment's check in one write: queued (once; moved to its new place when its
   * healthy count changed) when it needs repair, dequeued otherwise; put in the lost set when lost,
   * taken out of it otherwise.
   */
  recordCheck(segmentKey: string, health: SegmentHealth): Promise<void>;
  /** The first `limit` queued segments, in queue order. */
  list(limit: number): Promise<QueuedSegment[]>;
  /** How many segments are queued. */
  length(): Promise<number>;
  /** The keys of the lost segments. */
  lost(): Promise<string[]>;
  /** The queue entries in order, read as the caller goes (it may stop early). */
  entries(): AsyncIterable<QueueEntry>;
  /** Takes a segment off the queue (it is gone, or healthy again). */
  remove(queueKey: string, segmentKey: string): Promise<void>;
  /**
   * Replaces pieces of a segment in the metadata (as MetadataDB.replacePieces does) and takes it
   * off the queue, in one atomic write: a repairer killed mid-segment leaves the metadata as it was
   * and the segment queued. Fails, changing nothing, when the segment is gone or changed since
   * `expected` was read.
   */
  commitRepair(queueKey: string, segmentKey: string, expected: SegmentRecord, added: readonly SegmentPiece[]): Promise<SegmentRecord>;
}

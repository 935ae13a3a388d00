// The LevelDB RepairQueueDB (LevelRepairQueue): the repair queue, keyed by the segment's healthy
// pieces then its key (so iteration gives fewest healthy pieces first), an index from segment key
// to queue key (a segment is queued once), and the lost set (segment key -> when it was found
// lost). A repair's metadata update and its dequeue go into one batch with the segment's.
import type { BatchOperation, Level } from 'level';
import type { SegmentPiece, SegmentRecord } from '../../metainfo/index.js';
import type { QueueEntry, QueuedSegment, RepairQueueDB, SegmentHealth } from '../../repair/index.js';
import type { Metadata } from './metadata.js';

/** A batch operation on the root database (any of its sublevels). */
type Op = BatchOperation<Level<string, unknown>, string, unknown>;

const pad = (n: number): string => String(n).padStart(4, '0');

export class LevelRepairQueue implements RepairQueueDB {
  private readonly queue;
  /** segment key -> its queue key, so a segment is queued once. */
  private readonly index;
  private readonly lostSet;

  constructor(
    private readonly db: Level<string, unknown>,
    private readonly metadata: Metadata
  ) {
    this.queue = db.sublevel<string, QueuedSegment>('repair-queue', { valueEncoding: 'json' });
    this.index = db.sublevel<string, string>('repair-index', { valueEncoding: 'json' });
    this.lostSet = db.sublevel<string, number>('repair-lost', { valueEncoding: 'json' });
  }

  async recordCheck(key: string, { healthy, needsRepair, lost, checkedAt, minimum }: SegmentHealth): Promise<void> {
    const queuedKey = await this.index.get(key);
    const ops: Op[] = [];
    if (needsRepair) {
      const qk = `${pad(healthy)}!${key}`;
      if (queuedKey !== qk) {
        if (queuedKey) ops.push({ type: 'del', sublevel: this.queue, key: queuedKey });
        ops.push({ type: 'put', sublevel: this.queue, key: qk, value: { segmentKey: key, healthy, queuedAt: checkedAt, ...(minimum !== undefined ? { minimum } : {}) } });
        ops.push({ type: 'put', sublevel: this.index, key, value: qk });
      }
    } else if (queuedKey) {
      ops.push({ type: 'del', sublevel: this.queue, key: queuedKey }, { type: 'del', sublevel: this.index, key });
    }
    if (lost) {
      ops.push({ type: 'put', sublevel: this.lostSet, key, value: checkedAt });
    } else if ((await this.lostSet.get(key)) !== undefined) {
      ops.push({ type: 'del', sublevel: this.lostSet, key });
    }
    if (ops.length) await this.db.batch(ops);
  }

  async list(limit: number): Promise<QueuedSegment[]> {
    const out: QueuedSegment[] = [];
    for await (const q of this.queue.values({ limit })) out.push(q);
    return out;
  }

  async length(): Promise<number> {
    let n = 0;
    for await (const _ of this.queue.keys()) n++;
    return n;
  }

  async lost(): Promise<string[]> {
    const out: string[] = [];
    for await (const k of this.lostSet.keys()) out.push(k);
    return out;
  }

  async *entries(): AsyncIterable<QueueEntry> {
    for await (const [queueKey, queued] of this.queue.iterator()) yield { queueKey, queued };
  }

  async remove(queueKey: string, segmentKey: string): Promise<void> {
    await this.db.batch(this.dequeue(queueKey, segmentKey));
  }

  async commitRepair(queueKey: string, segmentKey: string, expected: SegmentRecord, added: readonly SegmentPiece[]): Promise<SegmentRecord> {
    return this.metadata.replacePieces(segmentKey, expected, added, this.dequeue(queueKey, segmentKey));
  }

  private dequeue(queueKey: string, segmentKey: string): Op[] {
    return [
      { type: 'del', sublevel: this.queue, key: queueKey },
      { type: 'del', sublevel: this.index, key: segmentKey }
    ];
  }
}

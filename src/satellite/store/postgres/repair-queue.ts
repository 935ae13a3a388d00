// The PostgreSQL RepairQueueDB: the repair queue (one row per segment, read fewest healthy pieces
// first, then by segment key) and the lost set. Segment keys are BYTEA (their UTF-8 bytes) so the
// order is by bytes whatever the collation, as LevelDB's. A repair's metadata update and its
// dequeue are one transaction.
import type pg from 'pg';
import type { SegmentPiece, SegmentRecord } from '../../metainfo/index.js';
import type { QueueEntry, QueuedSegment, RepairQueueDB, SegmentHealth } from '../../repair/index.js';
import type { PgMetadata } from './metadata.js';
import { transaction, type Pool } from './sql.js';

export const REPAIR_SCHEMA: readonly string[] = [
  'CREATE TABLE repair_queue (segment_key BYTEA PRIMARY KEY, healthy INT NOT NULL, queued_at BIGINT NOT NULL, minimum INT)',
  'CREATE INDEX repair_queue_order ON repair_queue (healthy, segment_key)',
  'CREATE TABLE repair_lost (segment_key BYTEA PRIMARY KEY, lost_at BIGINT NOT NULL)'
];

/** Rows per query of entries(). */
const PAGE_ROWS = 500;

interface QueueRow {
  segment_key: Buffer;
  healthy: number;
  queued_at: number;
  minimum: number | null;
}

const pad = (n: number): string => String(n).padStart(4, '0');

function entryOf(r: QueueRow): QueueEntry {
  const segmentKey = r.segment_key.toString('utf8');
  const queued: QueuedSegment = { segmentKey, healthy: r.healthy, queuedAt: r.queued_at, ...(r.minimum !== null ? { minimum: r.minimum } : {}) };
  // The queue key as LevelDB's: health then segment key (opaque to callers).
  return { queueKey: `${pad(r.healthy)}!${segmentKey}`, queued };
}

export class PgRepairQueue implements RepairQueueDB {
  constructor(
    private readonly pool: Pool,
    private readonly metadata: PgMetadata
  ) {}

  async recordCheck(key: string, { healthy, needsRepair, lost, checkedAt, minimum }: SegmentHealth): Promise<void> {
    const k = Buffer.from(key, 'utf8');
    await transaction(this.pool, async (c) => {
      if (needsRepair) {
        // Queued once; moved (and stamped anew) only when its healthy count changed.
        await c.query(
          `INSERT INTO repair_queue (segment_key, healthy, queued_at, minimum) VALUES ($1, $2, $3, $4)
           ON CONFLICT (segment_key) DO UPDATE SET healthy = excluded.healthy, queued_at = excluded.queued_at, minimum = excluded.minimum
           WHERE repair_queue.healthy <> excluded.healthy`,
          [k, healthy, checkedAt, minimum ?? null]
        );
      } else {
        await c.query('DELETE FROM repair_queue WHERE segment_key = $1', [k]);
      }
      if (lost) {
        await c.query('INSERT INTO repair_lost (segment_key, lost_at) VALUES ($1, $2) ON CONFLICT (segment_key) DO UPDATE SET lost_at = excluded.lost_at', [k, checkedAt]);
      } else {
        await c.query('DELETE FROM repair_lost WHERE segment_key = $1', [k]);
      }
    });
  }

  async list(limit: number): Promise<QueuedSegment[]> {
    const { rows } = await this.pool.query<QueueRow>('SELECT segment_key, healthy, queued_at, minimum FROM repair_queue ORDER BY healthy, segment_key LIMIT $1', [Math.max(0, limit)]);
    return rows.map((r) => entryOf(r).queued);
  }

  async length(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM repair_queue');
    return rows[0]!.n;
  }

  async lost(): Promise<string[]> {
    const { rows } = await this.pool.query<{ segment_key: Buffer }>('SELECT segment_key FROM repair_lost ORDER BY segment_key');
    return rows.map((r) => r.segment_key.toString('utf8'));
  }

  /** The queue in order, a page per query (no transaction held while the caller works). */
  async *entries(): AsyncIterable<QueueEntry> {
    let after: [number, Buffer] | null = null;
    for (;;) {
      const result: pg.QueryResult<QueueRow> = await this.pool.query<QueueRow>(
        `SELECT segment_key, healthy, queued_at, minimum FROM repair_queue${after ? ' WHERE (healthy, segment_key) > ($2, $3)' : ''} ORDER BY healthy, segment_key LIMIT $1`,
        after ? [PAGE_ROWS, ...after] : [PAGE_ROWS]
      );
      const rows: QueueRow[] = result.rows;
      for (const r of rows) yield entryOf(r);
      if (rows.length < PAGE_ROWS) return;
      const tail: QueueRow = rows[rows.length - 1]!;
      after = [tail.healthy, tail.segment_key];
    }
  }

  async remove(_queueKey: string, segmentKey: string): Promise<void> {
    await this.pool.query('DELETE FROM repair_queue WHERE segment_key = $1', [Buffer.from(segmentKey, 'utf8')]);
  }

  async commitRepair(_queueKey: string, segmentKey: string, expected: SegmentRecord, added: readonly SegmentPiece[]): Promise<SegmentRecord> {
    return transaction(this.pool, async (c) => {
      const updated = await this.metadata.replacePiecesIn(c, segmentKey, expected, added);
      await c.query('DELETE FROM repair_queue WHERE segment_key = $1', [Buffer.from(segmentKey, 'utf8')]);
      return updated;
    });
  }
}

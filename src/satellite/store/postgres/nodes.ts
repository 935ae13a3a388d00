// The PostgreSQL NodeDB: a node's record as JSON by id (nothing queries its fields), and its
// uptime checks counted per window in their own rows. Every write of a node runs in one
// transaction holding the node's row lock, so several satellite processes may check the same
// node at once without losing a flag or a check; the window counts are added in place.
import type pg from 'pg';
import type { CheckInInfo } from '../../../protocol/index.js';
import { checkedInRecord, checkedRecord, onlineScoreOf, pruneBefore, scoredWindows, windowStart, type NodeDB, type NodeRecord, type Reached, type UptimeOptions } from '../../overlay/index.js';
import { keyset, transaction, type Pool } from './sql.js';

export const NODES_SCHEMA: readonly string[] = [
  'CREATE TABLE nodes (id TEXT PRIMARY KEY, record JSON NOT NULL)',
  // One row per node and window: checks and successes counted in it.
  'CREATE TABLE uptime_windows (node_id TEXT NOT NULL, window_start BIGINT NOT NULL, checks BIGINT NOT NULL, successes BIGINT NOT NULL, PRIMARY KEY (node_id, window_start))',
  'CREATE INDEX uptime_windows_start ON uptime_windows (window_start)'
];

export class PgNodeDB implements NodeDB {
  constructor(
    private readonly pool: Pool,
    private readonly uptime: UptimeOptions
  ) {}

  async get(id: string): Promise<NodeRecord | undefined> {
    const { rows } = await this.pool.query<{ record: NodeRecord }>('SELECT record FROM nodes WHERE id = $1', [id]);
    return rows[0]?.record;
  }

  async *list(): AsyncIterable<NodeRecord> {
    for await (const row of keyset<{ record: NodeRecord }>(this.pool, 'nodes', 'id', 'record')) yield row.record;
  }

  /** The node's record, its row locked until the transaction ends; undefined for an unknown node. */
  private async locked(c: pg.PoolClient, id: string): Promise<NodeRecord | undefined> {
    const { rows } = await c.query<{ record: NodeRecord }>('SELECT record FROM nodes WHERE id = $1 FOR UPDATE', [id]);
    return rows[0]?.record;
  }

  private async put(c: pg.PoolClient, rec: NodeRecord): Promise<void> {
    await c.query('UPDATE nodes SET record = $2 WHERE id = $1', [rec.id, JSON.stringify(rec)]);
  }

  /** Adds one check to the window `now` falls in. */
  private async countCheck(c: pg.PoolClient, id: string, ok: boolean, now: number): Promise<void> {
    await c.query(
      `INSERT INTO uptime_windows (node_id, window_start, checks, successes) VALUES ($1, $2, 1, $3)
       ON CONFLICT (node_id, window_start) DO UPDATE SET checks = uptime_windows.checks + 1, successes = uptime_windows.successes + excluded.successes`,
      [id, windowStart(now, this.uptime), ok ? 1 : 0]
    );
  }

  async update(id: string, change: (rec: NodeRecord) => NodeRecord): Promise<void> {
    await transaction(this.pool, async (c) => {
      const rec = await this.locked(c, id);
      if (rec) await this.put(c, change(rec));
    });
  }

  async checkIn(id: string, info: CheckInInfo, reachable: boolean, now: number, reached?: Reached): Promise<NodeRecord> {
    return transaction(this.pool, async (c) => {
      let rec: NodeRecord | undefined;
      while (!rec) {
        const old = await this.locked(c, id);
        rec = checkedInRecord(id, info, reachable, now, old, reached);
        if (old) await this.put(c, rec);
        else {
          // A first check-in: another process checking the same new node in at once inserts first
          // (this waits on its row), then this one reads its record and checks in over it.
          const { rowCount } = await c.query('INSERT INTO nodes (id, record) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, JSON.stringify(rec)]);
          if (rowCount === 0) rec = undefined;
        }
      }
      // The dial-back counts as an uptime check; the record already says what it found.
      await this.countCheck(c, id, reachable, now);
      return rec;
    });
  }

  async recordCheck(id: string, ok: boolean, now: number, reached?: Reached): Promise<void> {
    await transaction(this.pool, async (c) => {
      // The node's row first, then its window, as checkIn takes them (no deadlock between the two).
      const rec = await this.locked(c, id);
      if (rec) await this.put(c, checkedRecord(rec, ok, now, reached));
      await this.countCheck(c, id, ok, now);
    });
  }

  async onlineScore(id: string, now: number): Promise<number> {
    const { from, to } = scoredWindows(now, this.uptime);
    const { rows } = await this.pool.query<{ checks: number | null; successes: number | null }>(
      'SELECT sum(checks)::BIGINT AS checks, sum(successes)::BIGINT AS successes FROM uptime_windows WHERE node_id = $1 AND window_start >= $2 AND window_start <= $3',
      [id, from, to]
    );
    return onlineScoreOf(rows[0]?.checks ?? 0, rows[0]?.successes ?? 0);
  }

  async forget(id: string, still: (rec: NodeRecord) => boolean): Promise<boolean> {
    return transaction(this.pool, async (c) => {
      // Locked as read: a check-in or check meanwhile waits, and one before shows in the record.
      const rec = await this.locked(c, id);
      if (!rec || !still(rec)) return false;
      await c.query('DELETE FROM nodes WHERE id = $1', [id]);
      await c.query('DELETE FROM uptime_windows WHERE node_id = $1', [id]);
      // The reputation and audit stores' records of it (audits.ts, reputation.ts); its audit records stay, as history.
      await c.query('DELETE FROM reputation WHERE node_id = $1', [id]);
      await c.query('DELETE FROM audit_containment WHERE node_id = $1', [id]);
      await c.query('DELETE FROM audit_suspects WHERE node_id = $1', [id]);
      return true;
    });
  }

  async pruneWindows(now: number): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM uptime_windows WHERE window_start < $1', [pruneBefore(now, this.uptime)]);
    return rowCount ?? 0;
  }
}

// The PostgreSQL AuditDB: audit records by node and time (a node's audits in a time range are one
// index range; the newest of all, one on time), contained challenges by their key, and at most one
// pending suspect report per node. A node's containments carry its id in their own column, so
// forgetting the node (nodes.ts) deletes them by it.
import { randomBytes } from 'node:crypto';
import type { AuditDB, AuditRecord, Containment, Suspect } from '../../audit/index.js';
import { keyset, type Pool } from './sql.js';

export const AUDITS_SCHEMA: readonly string[] = [
  // JSON, not JSONB, for records here and in nodes.ts: they hold node-sent text, which may carry
  // \u0000, which JSONB refuses (a node could otherwise make every audit of it fail to record).
  // `tiebreak` keeps two audits of one node at the same time apart.
  `CREATE TABLE audit_records (node_id TEXT NOT NULL, audited_at BIGINT NOT NULL, tiebreak TEXT NOT NULL, outcome TEXT NOT NULL, record JSON NOT NULL,
     PRIMARY KEY (node_id, audited_at, tiebreak))`,
  'CREATE INDEX audit_records_time ON audit_records (audited_at)',
  'CREATE TABLE audit_containment (key TEXT PRIMARY KEY, node_id TEXT NOT NULL, containment JSON NOT NULL)',
  'CREATE INDEX audit_containment_node ON audit_containment (node_id)',
  'CREATE TABLE audit_suspects (node_id TEXT PRIMARY KEY, suspect JSON NOT NULL)'
];

/**
 * The node a containment key belongs to: keys are `node!segment!piece` (pieceKey), and keys written
 * by older versions the node id alone.
 */
export function containmentNode(key: string): string {
  const bang = key.indexOf('!');
  return bang < 0 ? key : key.slice(0, bang);
}

export class PgAuditDB implements AuditDB {
  constructor(private readonly pool: Pool) {}

  async addRecord(record: AuditRecord): Promise<void> {
    await this.pool.query('INSERT INTO audit_records (node_id, audited_at, tiebreak, outcome, record) VALUES ($1, $2, $3, $4, $5)', [
      record.nodeId,
      record.time,
      randomBytes(8).toString('hex'),
      record.outcome,
      JSON.stringify(record)
    ]);
  }

  async countSuccesses(nodeId: string, start: number, end: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>("SELECT count(*) AS n FROM audit_records WHERE node_id = $1 AND audited_at >= $2 AND audited_at < $3 AND outcome = 'success'", [nodeId, start, end]);
    return rows[0]?.n ?? 0;
  }

  async newestRecords(limit: number, nodeId?: string): Promise<AuditRecord[]> {
    const { rows } =
      nodeId === undefined
        ? await this.pool.query<{ record: AuditRecord }>('SELECT record FROM audit_records ORDER BY audited_at DESC LIMIT $1', [limit])
        : await this.pool.query<{ record: AuditRecord }>('SELECT record FROM audit_records WHERE node_id = $1 ORDER BY audited_at DESC, tiebreak DESC LIMIT $2', [nodeId, limit]);
    return rows.map((r) => r.record).reverse();
  }

  async *containments(): AsyncIterable<[string, Containment]> {
    for await (const row of keyset<{ key: string; containment: Containment }>(this.pool, 'audit_containment', 'key', 'containment')) yield [row.key, row.containment];
  }

  async putContainment(key: string, containment: Containment): Promise<void> {
    await this.pool.query(
      'INSERT INTO audit_containment (key, node_id, containment) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET containment = excluded.containment',
      [key, containmentNode(key), JSON.stringify(containment)]
    );
  }

  async deleteContainment(key: string): Promise<void> {
    await this.pool.query('DELETE FROM audit_containment WHERE key = $1', [key]);
  }

  async suspect(nodeId: string): Promise<Suspect | undefined> {
    const { rows } = await this.pool.query<{ suspect: Suspect }>('SELECT suspect FROM audit_suspects WHERE node_id = $1', [nodeId]);
    return rows[0]?.suspect;
  }

  async putSuspect(nodeId: string, suspect: Suspect): Promise<void> {
    await this.pool.query('INSERT INTO audit_suspects (node_id, suspect) VALUES ($1, $2) ON CONFLICT (node_id) DO UPDATE SET suspect = excluded.suspect', [nodeId, JSON.stringify(suspect)]);
  }

  async deleteSuspect(nodeId: string): Promise<void> {
    await this.pool.query('DELETE FROM audit_suspects WHERE node_id = $1', [nodeId]);
  }

  async *suspects(): AsyncIterable<[string, Suspect]> {
    for await (const row of keyset<{ node_id: string; suspect: Suspect }>(this.pool, 'audit_suspects', 'node_id', 'suspect')) yield [row.node_id, row.suspect];
  }
}

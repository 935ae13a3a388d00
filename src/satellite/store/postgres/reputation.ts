// The PostgreSQL ReputationDB: each node's audit reputation in typed columns by node id (forgetting
// the node, nodes.ts deletes its row in the same transaction).
import type { AuditReputation, ReputationDB } from '../../reputation/index.js';
import { keyset, type Pool } from './sql.js';

export const REPUTATION_SCHEMA: readonly string[] = [
  `CREATE TABLE reputation (node_id TEXT PRIMARY KEY, alpha DOUBLE PRECISION NOT NULL, beta DOUBLE PRECISION NOT NULL,
     successes BIGINT NOT NULL, failures BIGINT NOT NULL, offline BIGINT NOT NULL, contained BIGINT NOT NULL)`
];

const COLUMNS = 'alpha, beta, successes, failures, offline, contained';

type Row = AuditReputation & { node_id: string };

const reputationOf = (r: Row): AuditReputation => ({ alpha: r.alpha, beta: r.beta, successes: r.successes, failures: r.failures, offline: r.offline, contained: r.contained });

export class PgReputationDB implements ReputationDB {
  constructor(private readonly pool: Pool) {}

  async get(nodeId: string): Promise<AuditReputation | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT node_id, ${COLUMNS} FROM reputation WHERE node_id = $1`, [nodeId]);
    return rows[0] && reputationOf(rows[0]);
  }

  async put(nodeId: string, r: AuditReputation): Promise<void> {
    await this.pool.query(
      `INSERT INTO reputation (node_id, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (node_id) DO UPDATE SET alpha = excluded.alpha, beta = excluded.beta, successes = excluded.successes,
         failures = excluded.failures, offline = excluded.offline, contained = excluded.contained`,
      [nodeId, r.alpha, r.beta, r.successes, r.failures, r.offline, r.contained]
    );
  }

  async *entries(): AsyncIterable<[string, AuditReputation]> {
    for await (const row of keyset<Row>(this.pool, 'reputation', 'node_id', COLUMNS)) yield [row.node_id, reputationOf(row)];
  }
}

// The PostgreSQL SettlementDB: settled serials (serial -> keep-until) and settled orders by
// settlement time, so a payout period's egress is one index range summed by the database. A serial
// is taken and its order written in one transaction: the serial's key decides, so two processes
// settling it at once credit it once.
import type { EgressTotal, SettledOrder, SettlementDB } from '../../orders/index.js';
import { transaction, type Pool } from './sql.js';

export const SETTLEMENT_SCHEMA: readonly string[] = [
  'CREATE TABLE settled_serials (serial TEXT PRIMARY KEY, keep_until BIGINT NOT NULL)',
  'CREATE INDEX settled_serials_keep ON settled_serials (keep_until)',
  // A serial forgotten after its keep time could (were it accepted) be settled again: keyed by time too.
  `CREATE TABLE settled_orders (settled BIGINT NOT NULL, serial TEXT NOT NULL, node_id TEXT NOT NULL, action TEXT NOT NULL, amount BIGINT NOT NULL,
     created BIGINT NOT NULL, PRIMARY KEY (settled, serial))`,
  // One row: a settlement holds it shared while it stamps and writes, an egress read exclusively
  // while it sums. A payout close in one process therefore waits for settlements other processes
  // have stamped and not committed yet, and those after it are stamped after it (the same clock).
  'CREATE TABLE settlement_gate (one BOOLEAN PRIMARY KEY CHECK (one))',
  'INSERT INTO settlement_gate (one) VALUES (true)'
];

export class PgSettlementDB implements SettlementDB {
  /** This process's settlements still being written: a read waits for those asked for before it. */
  private readonly writing = new Set<Promise<unknown>>();

  constructor(
    private readonly pool: Pool,
    private readonly now: () => number
  ) {}

  settle(order: Omit<SettledOrder, 'settled'>, keepSerialUntil: number): Promise<boolean> {
    const run = transaction(this.pool, async (c) => {
      await c.query('SELECT one FROM settlement_gate FOR SHARE');
      // Stamped as it is written (as close to its commit as the store gets), inside the gate.
      const settled = this.now();
      // Waits on another transaction taking the same serial, then does nothing when it committed.
      const { rowCount } = await c.query('INSERT INTO settled_serials (serial, keep_until) VALUES ($1, $2) ON CONFLICT (serial) DO NOTHING', [order.serial, keepSerialUntil]);
      if (rowCount === 0) return false;
      await c.query('INSERT INTO settled_orders (settled, serial, node_id, action, amount, created) VALUES ($1, $2, $3, $4, $5, $6)', [
        settled,
        order.serial,
        order.nodeId,
        order.action,
        order.amount,
        order.created
      ]);
      return true;
    });
    this.writing.add(run);
    const done = (): void => void this.writing.delete(run);
    run.then(done, done);
    return run;
  }

  /** Waits for the settlements this process was asked for so far. */
  private async written(): Promise<void> {
    await Promise.allSettled([...this.writing]);
  }

  async egress(start: number, end: number, nodeId?: string): Promise<EgressTotal[]> {
    await this.written();
    return transaction(this.pool, async (c) => {
      // Settlements of every process stamped before now are committed once this lock is held.
      await c.query('SELECT one FROM settlement_gate FOR UPDATE');
      const { rows } = await c.query<EgressTotal>(
        `SELECT node_id AS "nodeId", action, sum(amount)::BIGINT AS bytes, count(*) AS orders FROM settled_orders
         WHERE settled >= $1 AND settled < $2 AND ($3::TEXT IS NULL OR node_id = $3)
         GROUP BY node_id, action ORDER BY node_id COLLATE "C", action COLLATE "C"`,
        [start, end, nodeId ?? null]
      );
      return rows;
    });
  }

  async isSettled(serial: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM settled_serials WHERE serial = $1', [serial]);
    return rows.length > 0;
  }

  async pruneSerials(now: number): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM settled_serials WHERE keep_until < $1', [now]);
    return rowCount ?? 0;
  }

  async pruneEgress(before: number): Promise<number> {
    await this.written();
    const { rowCount } = await this.pool.query('DELETE FROM settled_orders WHERE settled < $1', [before]);
    return rowCount ?? 0;
  }
}

// The PostgreSQL PayoutStateDB and PublicationDB: the epoch in a one-row table (the first process
// to set it wins: a second setting it at once keeps the first's), and each period's publication
// as JSON by period number.
import type { PayoutStateDB, Publication, PublicationDB } from '../../payouts/index.js';
import type { Pool } from './sql.js';

export const PAYOUT_STATE_SCHEMA: readonly string[] = [
  // One row at most: `one` is always true.
  'CREATE TABLE payout_epoch (one BOOLEAN PRIMARY KEY CHECK (one), start_at BIGINT NOT NULL)',
  'CREATE TABLE payout_publications (period BIGINT PRIMARY KEY, publication JSON NOT NULL)'
];

export class PgPayoutState implements PayoutStateDB, PublicationDB {
  constructor(private readonly pool: Pool) {}

  async epoch(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ start_at: number }>('SELECT start_at FROM payout_epoch');
    return rows[0]?.start_at;
  }

  /** Sets the epoch unless it is set: the first start kept stays (so periods never move). */
  async setEpoch(start: number): Promise<void> {
    await this.pool.query('INSERT INTO payout_epoch (one, start_at) VALUES (true, $1) ON CONFLICT (one) DO NOTHING', [start]);
  }

  async publication(period: number): Promise<Publication | undefined> {
    const { rows } = await this.pool.query<{ publication: Publication }>('SELECT publication FROM payout_publications WHERE period = $1', [period]);
    return rows[0]?.publication;
  }

  async lastPublication(): Promise<Publication | undefined> {
    const { rows } = await this.pool.query<{ publication: Publication }>('SELECT publication FROM payout_publications ORDER BY period DESC LIMIT 1');
    return rows[0]?.publication;
  }

  async putPublication(p: Publication): Promise<void> {
    await this.pool.query('INSERT INTO payout_publications (period, publication) VALUES ($1, $2) ON CONFLICT (period) DO UPDATE SET publication = excluded.publication', [
      p.period,
      JSON.stringify(p)
    ]);
  }
}

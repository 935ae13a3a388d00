// Chore leases: with several satellite processes over one database, each chore runs in the one
// process holding its lease. A lease is a row (chore name, holder, expiry by the database's clock,
// so the processes' clocks do not matter); its holder renews it, anyone takes it once it expired.
import type { Pool } from './sql.js';

export const LEASES_SCHEMA: readonly string[] = [
  'CREATE TABLE chore_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)'
];

/** The database's clock in ms (CockroachDB and PostgreSQL both take this). */
const DB_NOW_MS = '(extract(epoch from now()) * 1000)::BIGINT';

export interface LeaseHolder {
  name: string;
  holder: string;
  expiresAt: number;
}

export class PgLeases {
  constructor(
    private readonly pool: Pool,
    /** Unused: leases run on the database's clock. Kept for the stores' common constructor shape. */
    _now: () => number
  ) {}

  /**
   * Takes the lease `name` for `holder` for `ttlMs`, or renews it when `holder` has it; true when
   * `holder` holds it now. A lease held by another and not expired is left alone (false).
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rows } = await this.pool.query<{ holder: string }>(
      `INSERT INTO chore_leases (name, holder, expires_at) VALUES ($1, $2, ${DB_NOW_MS} + $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE chore_leases.holder = excluded.holder OR chore_leases.expires_at < ${DB_NOW_MS}
       RETURNING holder`,
      [name, holder, Math.ceil(ttlMs)]
    );
    return rows.length === 1 && rows[0]!.holder === holder;
  }

  /** Gives the lease up (a process stopping cleanly): another may take it at once. */
  async release(name: string, holder: string): Promise<void> {
    await this.pool.query('DELETE FROM chore_leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  /** Every lease with its holder and expiry (the admin API and tests). */
  async list(): Promise<LeaseHolder[]> {
    const { rows } = await this.pool.query<{ name: string; holder: string; expires_at: number }>('SELECT name, holder, expires_at FROM chore_leases ORDER BY name');
    return rows.map((r) => ({ name: r.name, holder: r.holder, expiresAt: Number(r.expires_at) }));
  }
}

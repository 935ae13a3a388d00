// The backend's schema, versioned: each version is a list of statements applied in one
// transaction, recorded in stowage_schema. Every satellite process migrates at start; two starting
// at once are kept apart by the version's primary key (the second waits on the first's row, then
// finds it applied). Statements are plain CREATE TABLE / CREATE INDEX that CockroachDB accepts too.
import type { Pool } from './sql.js';
import { DatabaseError, isUniqueViolation, transaction } from './sql.js';
import { APIKEYS_SCHEMA } from './apikeys.js';
import { AUDITS_SCHEMA } from './audits.js';
import { LEASES_SCHEMA } from './leases.js';
import { LEDGER_SCHEMA } from './ledger.js';
import { METADATA_SCHEMA } from './metadata.js';
import { NODES_SCHEMA } from './nodes.js';
import { PAYOUT_STATE_SCHEMA } from './payout-state.js';
import { REPAIR_SCHEMA } from './repair-queue.js';
import { REPUTATION_SCHEMA } from './reputation.js';
import { SETTLEMENT_SCHEMA } from './settlement.js';

/** Schema versions in order; a version once released never changes (add the next one instead). */
export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    ...METADATA_SCHEMA,
    ...REPAIR_SCHEMA,
    ...NODES_SCHEMA,
    ...APIKEYS_SCHEMA,
    ...AUDITS_SCHEMA,
    ...REPUTATION_SCHEMA,
    ...LEDGER_SCHEMA,
    ...PAYOUT_STATE_SCHEMA,
    ...SETTLEMENT_SCHEMA,
    ...LEASES_SCHEMA
  ]
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; returns the versions applied now. */
export async function migrate(pool: Pool, now: () => number = Date.now): Promise<number[]> {
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS stowage_schema (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)');
  } catch (err) {
    // Two processes starting on an empty database: IF NOT EXISTS is not atomic in PostgreSQL, the
    // loser fails on the catalog's keys (review 25 M1). The table is there either way.
    if (!['23505', '42P07', '42710'].includes((err as { code?: string }).code ?? '')) throw err;
  }
  const applied: number[] = [];
  for (let v = 1; v <= MIGRATIONS.length; v++) {
    try {
      const did = await transaction(pool, async (c) => {
        // Taking the version's row first: a second process migrating at once blocks here until the
        // first commits, then fails on the key and moves on.
        const { rowCount } = await c.query('INSERT INTO stowage_schema (version, applied_at) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING', [v, now()]);
        if (rowCount === 0) return false;
        for (const statement of MIGRATIONS[v - 1]!) await c.query(statement);
        return true;
      });
      if (did) applied.push(v);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  const { rows } = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM stowage_schema');
  const at = rows[0]?.v ?? 0;
  if (at > SCHEMA_VERSION) {
    throw new DatabaseError('DATABASE_TOO_NEW', `the database's schema is version ${at}; this satellite knows up to ${SCHEMA_VERSION}: upgrade the satellite`);
  }
  return applied;
}

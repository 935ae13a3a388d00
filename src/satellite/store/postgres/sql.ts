// The PostgreSQL plumbing every store of this backend shares: a pool, one transaction helper that
// retries what the database asks to be retried, and the conversions between JS and SQL values.
import pg from 'pg';
import { StowageError } from '../../../common/index.js';

export type Pool = pg.Pool;
/** A pool or one transaction's client: what a store's queries run on. */
export type Queryable = pg.Pool | pg.PoolClient;

// BIGINT columns (times in ms, byte counts) come back as JS numbers: every value kept in them is
// below 2^53 (times, sizes); token amounts are kept as TEXT (decimal strings) instead.
pg.types.setTypeParser(20, (v: string) => Number(v));

/** Errors the database gives for a transaction it wants tried again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRIES = 20;

/**
 * Runs `fn` in one transaction (READ COMMITTED unless `serializable`), committing when it returns
 * and rolling back when it throws. A serialization failure or deadlock runs it again from the
 * start (up to MAX_TRIES): `fn` must have no effect outside the database before it returns.
 */
export async function transaction<T>(pool: Pool, fn: (client: pg.PoolClient) => Promise<T>, opts: { serializable?: boolean } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(opts.serializable ? 'BEGIN ISOLATION LEVEL SERIALIZABLE' : 'BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      const code = (err as { code?: string }).code;
      if (code !== undefined && RETRYABLE.has(code) && attempt < MAX_TRIES) {
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
        continue;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/** Whether an error is a unique-key violation (a row another writer put first). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

/** The database could not be reached or refused the satellite: a clear error, not a driver stack. */
export class DatabaseError extends StowageError {}

/** A URL fit for logs: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable database URL)';
  }
}

export function createPool(url: string, max = 10): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // A satellite process paused or cut off mid-transaction must not hold its row locks forever,
    // nor may a lock wait hang a request (review 25 M6): the server ends such sessions and waits.
    keepAlive: true,
    idle_in_transaction_session_timeout: 10 * 60_000,
    lock_timeout: 30_000,
    connectionTimeoutMillis: 30_000
  });
  // An idle client's error (the server restarting) must not end the process: the next query fails instead.
  pool.on('error', () => undefined);
  return pool;
}

/** Rows per page of a keyset walk. */
const PAGE = 500;

/**
 * Walks `table` in byte order of its text key `key` (LevelDB's order), a page at a time: each page
 * one query after the last key seen, so no transaction stays open while the caller holds a row.
 */
export async function* keyset<R extends object>(db: Queryable, table: string, key: string, columns: string): AsyncGenerator<R> {
  let after: string | undefined;
  while (true) {
    const where = after === undefined ? '' : `WHERE ${key} COLLATE "C" > $1`;
    const { rows } = await db.query<Record<string, unknown>>(`SELECT ${key}, ${columns} FROM ${table} ${where} ORDER BY ${key} COLLATE "C" LIMIT ${PAGE}`, after === undefined ? [] : [after]);
    yield* rows as R[];
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]![key] as string;
  }
}

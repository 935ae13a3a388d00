// Egress across satellite processes: a payout close in one process reads the egress settled up
// to its `end`; a settlement another process stamped before that end and has not committed yet
// must be in the sum (else it is never credited, and pruned with the period). The settlement gate
// (store/postgres/settlement.ts) makes the read wait for it.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresSatelliteDB } from '../../src/satellite/index.js';
import { freshDatabase } from './databases.js';

const options = { now: Date.now, pendingTtlMs: 60_000, uptime: { windowMs: 1000, periodMs: 10_000 } };
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

describe('settlements across processes', () => {
  it('an egress read waits for a settlement stamped before its end and committed after it', async () => {
    const url = await freshDatabase('gate');
    const db = await openPostgresSatelliteDB(url, options);
    closers.push(() => db.close());
    // "Process B" settling, as PgSettlementDB.settle does, its commit held back 500 ms.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    closers.push(() => other.end());
    await other.query('BEGIN');
    await other.query('SELECT one FROM settlement_gate FOR SHARE');
    const stamped = Date.now();
    await other.query("INSERT INTO settled_serials (serial, keep_until) VALUES ('aa', $1)", [stamped + 60_000]);
    await other.query("INSERT INTO settled_orders (settled, serial, node_id, action, amount, created) VALUES ($1, 'aa', 'node-1', 'GET', 4096, $1)", [stamped]);
    const end = Date.now() + 1;
    const reading = db.settlements.egress(0, end);
    let read = false;
    void reading.then(() => (read = true));
    await new Promise((r) => setTimeout(r, 500));
    // Still waiting on the settlement in flight.
    expect(read).toBe(false);
    await other.query('COMMIT');
    expect(await reading).toEqual([{ nodeId: 'node-1', action: 'GET', bytes: 4096, orders: 1 }]);
    // A settlement after the read is stamped after its end (same clock), so the next period has it.
    expect(await db.settlements.settle({ serial: 'bb', nodeId: 'node-1', action: 'GET', amount: 100, created: Date.now() }, Date.now() + 60_000)).toBe(true);
    expect(await db.settlements.egress(0, end)).toEqual([{ nodeId: 'node-1', action: 'GET', bytes: 4096, orders: 1 }]);
    expect((await db.settlements.egress(end, Date.now() + 1)).map((t) => t.bytes)).toEqual([100]);
  });
});

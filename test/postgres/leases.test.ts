// Chore leases on PostgreSQL: one holder at a time, renewed by its holder, taken by another once
// expired (by the database's clock), given up on stop; two LeaseKeepers (two satellite processes'
// worth: their own pools) over one database.
import { afterEach, describe, expect, it } from 'vitest';
import { LeaseKeeper, openPostgresSatelliteDB, type PostgresSatelliteDB } from '../../src/satellite/index.js';
import { freshDatabase } from './databases.js';

const options = { now: Date.now, pendingTtlMs: 60_000, uptime: { windowMs: 1000, periodMs: 10_000 } };
const open: PostgresSatelliteDB[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

async function two(): Promise<[PostgresSatelliteDB, PostgresSatelliteDB]> {
  const url = await freshDatabase('lease');
  const a = await openPostgresSatelliteDB(url, options);
  const b = await openPostgresSatelliteDB(url, options);
  open.push(a, b);
  return [a, b];
}

describe('chore leases', () => {
  it('has one holder at a time; the holder renews; another takes it only once it expired; a release frees it at once', async () => {
    const [a, b] = await two();
    expect(await a.leases.acquire('audit', 'A', 400)).toBe(true);
    expect(await b.leases.acquire('audit', 'B', 400)).toBe(false);
    // Renewed by its holder, still not B's.
    expect(await a.leases.acquire('audit', 'A', 400)).toBe(true);
    expect(await b.leases.acquire('audit', 'B', 400)).toBe(false);
    // Other names are independent.
    expect(await b.leases.acquire('uptime', 'B', 400)).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(await b.leases.acquire('audit', 'B', 60_000)).toBe(true);
    expect(await a.leases.acquire('audit', 'A', 400)).toBe(false);
    // Only the holder's release counts.
    await a.leases.release('audit', 'A');
    expect(await a.leases.acquire('audit', 'A', 400)).toBe(false);
    await b.leases.release('audit', 'B');
    expect(await a.leases.acquire('audit', 'A', 400)).toBe(true);
    expect((await a.leases.list()).map((l) => [l.name, l.holder])).toEqual([
      ['audit', 'A'],
      ['uptime', 'B']
    ]);
  });

  it('gives one of many racing takers the lease', async () => {
    const [a, b] = await two();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).leases.acquire('payouts', `h${i}`, 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('LeaseKeeper: keeps a lease past its TTL by renewing it, and another keeper takes it within the TTL after the holder dies or at once after it stops', async () => {
    const [a, b] = await two();
    const ttl = 600;
    const ka = new LeaseKeeper(a.leases, ttl);
    const kb = new LeaseKeeper(b.leases, ttl);
    expect(await ka.hold('durability')).toBe(true);
    ka.start();
    kb.start();
    // Three TTLs later A still holds it (renewed every TTL/3); B is refused all along.
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, ttl / 2));
      expect(await kb.hold('durability')).toBe(false);
    }
    expect(ka.holding).toEqual(['durability']);
    // A stops cleanly: another may take it at once.
    await ka.stop();
    await kb.stop();
    // One that takes it and never renews nor releases it (a process SIGKILLed right after): a
    // third keeper waits out the TTL, and no longer.
    const dying = new LeaseKeeper(b.leases, ttl);
    expect(await dying.hold('durability')).toBe(true);
    const died = Date.now();
    const kc = new LeaseKeeper(a.leases, ttl);
    expect(await kc.hold('durability')).toBe(false);
    while (!(await kc.hold('durability'))) await new Promise((r) => setTimeout(r, 50));
    const took = Date.now() - died;
    expect(took).toBeGreaterThanOrEqual(ttl - 100);
    expect(took).toBeLessThan(ttl + 1000);
    await kc.stop();
  });
});

describe('the schema', () => {
  it('is migrated once when many processes start on an empty database at once (review 25 M1)', async () => {
    const url = await freshDatabase('race');
    const dbs = await Promise.all(Array.from({ length: 12 }, () => openPostgresSatelliteDB(url, options)));
    open.push(...dbs);
    const { rows } = await dbs[0]!.pool.query<{ version: number }>('SELECT version FROM stowage_schema ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([1]);
  });
});

describe('fencing', () => {
  it('stops a round under a lease whose renewals do not come back, before the lease can expire and another process take it (review 25 M2)', async () => {
    const [a, b] = await two();
    const ttl = 1200;
    let stall = false;
    // The real lease table, with renewals held up at will (a pool or network that stopped answering).
    const slow = {
      acquire: async (name: string, holder: string, ms: number) => {
        if (stall) await new Promise((r) => setTimeout(r, 10 * ttl));
        return a.leases.acquire(name, holder, ms);
      },
      release: (name: string, holder: string) => a.leases.release(name, holder)
    };
    const keeper = new LeaseKeeper(slow, ttl);
    expect(await keeper.hold('durability')).toBe(true);
    const signal = keeper.signal('durability');
    keeper.start();
    await new Promise((r) => setTimeout(r, 2 * ttl));
    // Renewed all along.
    expect(signal.aborted).toBe(false);
    stall = true;
    const stalledAt = Date.now();
    while (!signal.aborted) await new Promise((r) => setTimeout(r, 10));
    const abortedAt = Date.now();
    // Before the database could let another take it.
    expect(abortedAt - stalledAt).toBeLessThan(ttl);
    const other = new LeaseKeeper(b.leases, ttl);
    expect(await other.hold('durability')).toBe(false);
    while (!(await other.hold('durability'))) await new Promise((r) => setTimeout(r, 25));
    expect(Date.now()).toBeGreaterThan(abortedAt);
    await other.stop();
    stall = false;
    await keeper.stop();
  });
});

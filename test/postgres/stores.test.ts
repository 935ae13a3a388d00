// The PostgreSQL stores with several satellite processes on one database: each "process" here is
// its own pool (its own connections; nothing shared in memory), and the writes the contract suite
// runs in one process run from two at once. Also the ledger against the LevelDB one: the same
// credits give the same hash chain, and `verify` catches the same edits.
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckInInfo } from '../../src/protocol/index.js';
import { Ledger, type Credit } from '../../src/satellite/index.js';
import { APIKEYS_SCHEMA } from '../../src/satellite/store/postgres/apikeys.js';
import { AUDITS_SCHEMA, PgAuditDB } from '../../src/satellite/store/postgres/audits.js';
import { LEDGER_SCHEMA, PgLedgerDB } from '../../src/satellite/store/postgres/ledger.js';
import { NODES_SCHEMA, PgNodeDB } from '../../src/satellite/store/postgres/nodes.js';
import { PAYOUT_STATE_SCHEMA, PgPayoutState } from '../../src/satellite/store/postgres/payout-state.js';
import { PgReputationDB, REPUTATION_SCHEMA } from '../../src/satellite/store/postgres/reputation.js';
import { PgSettlementDB, SETTLEMENT_SCHEMA } from '../../src/satellite/store/postgres/settlement.js';
import { createPool, type Pool } from '../../src/satellite/store/postgres/sql.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { freshDatabase } from './databases.js';

const UPTIME = { windowMs: 1000, periodMs: 10_000 };
const info = (port: number): CheckInInfo => ({ addresses: [`/ip4/127.0.0.1/tcp/${port}`], capacity: 1000, freeSpace: 500, version: '1.0.0', wallet: '', email: '' });

const pools: Pool[] = [];
const levels: Level<string, unknown>[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
  for (const level of levels.splice(0)) await level.close();
  removeTempDirs();
});

/** A fresh database holding these stores' tables, and `n` pools on it (one per satellite process). */
async function processes(n: number): Promise<Pool[]> {
  const url = await freshDatabase('stores');
  const opened = Array.from({ length: n }, () => createPool(url, 5));
  pools.push(...opened);
  for (const statement of [...NODES_SCHEMA, ...APIKEYS_SCHEMA, ...AUDITS_SCHEMA, ...REPUTATION_SCHEMA, ...LEDGER_SCHEMA, ...PAYOUT_STATE_SCHEMA, ...SETTLEMENT_SCHEMA]) {
    await opened[0]!.query(statement);
  }
  return opened;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const credits = (period: number): Credit[] => [
  { nodeId: 'node-b', kind: 'storage', units: 1_500_000n * BigInt(period), detail: `${period} byte-hours` },
  { nodeId: 'node-a', kind: 'egress', units: 250n, detail: 'egress' },
  { nodeId: 'node-c', kind: 'audit', units: 0n, detail: 'nothing' },
  { nodeId: 'node-b', kind: 'held', units: -375_000n, detail: 'held back' }
];
const periodOf = (period: number) => ({ period, start: period * 1000, end: (period + 1) * 1000 });

describe('PostgreSQL stores: several processes on one database', () => {
  it('settles a serial once when two processes settle it at once', async () => {
    const [a, b] = (await processes(2)).map((pool) => new PgSettlementDB(pool, () => 1000));
    const order = (serial: number) => ({ serial: serial.toString(16).padStart(8, '0'), nodeId: `n${serial % 3}`, action: 'GET' as const, amount: 10, created: 900 });
    const settled = await Promise.all(Array.from({ length: 60 }, (_, i) => [a!.settle(order(i), 5000), b!.settle(order(i), 5000)]).flat());
    for (let i = 0; i < 60; i++) expect([settled[2 * i], settled[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    const totals = await a!.egress(0, 2000);
    expect(totals.reduce((sum, t) => sum + t.orders, 0)).toBe(60);
    expect(totals.reduce((sum, t) => sum + t.bytes, 0)).toBe(600);
    expect(await b!.egress(0, 2000)).toEqual(totals);
  });

  it('closes a period once when two processes close it at once, and the chain holds', async () => {
    const [a, b] = (await processes(2)).map((pool) => new PgLedgerDB(pool));
    for (const period of [1, 2, 3]) {
      const both = await Promise.all([a!.closePeriod(periodOf(period), credits(period), period * 10), b!.closePeriod(periodOf(period), credits(period), period * 10 + 1)]);
      expect(both.filter((r) => r.created)).toHaveLength(1);
      expect(both[0].record).toEqual(both[1].record);
    }
    expect((await a!.list()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await b!.verify()).toEqual({ ok: true, entries: 9 });
    expect(await a!.balances()).toEqual({ 'node-b': '7.875000', 'node-a': '0.000750' });
    expect(await codeOf(a!.closePeriod(periodOf(5), credits(5), 50))).toBe('PERIOD_OUT_OF_ORDER');
  });

  it('keeps the first epoch when two processes set it at once', async () => {
    const [a, b] = (await processes(2)).map((pool) => new PgPayoutState(pool));
    expect(await a!.epoch()).toBeUndefined();
    await Promise.all([a!.setEpoch(100), b!.setEpoch(200)]);
    const first = await a!.epoch();
    expect([100, 200]).toContain(first);
    await b!.setEpoch(300);
    expect(await b!.epoch()).toBe(first);
  });

  it('counts every uptime check and keeps a flag when two processes write one node at once', async () => {
    const [a, b] = (await processes(2)).map((pool) => new PgNodeDB(pool, UPTIME));
    await a!.checkIn('node-a', info(1), true, 5000);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 20) writes.push(b!.update('node-a', (n) => ({ ...n, flags: { ...n.flags, disqualified: 7 } })));
      writes.push((i % 2 ? a : b)!.recordCheck('node-a', i % 4 !== 0, 5000 + i));
    }
    await Promise.all(writes);
    expect((await b!.get('node-a'))!.flags.disqualified).toBe(7);
    // The check-in and 40 checks, 10 of them failed, in one window.
    expect(await a!.onlineScore('node-a', 5500)).toBeCloseTo(31 / 41);
  });

  it('records a new node once when two processes check it in at once', async () => {
    const [a, b] = (await processes(2)).map((pool) => new PgNodeDB(pool, UPTIME));
    const [ra, rb] = await Promise.all([a!.checkIn('node-n', info(1), true, 5000), b!.checkIn('node-n', info(2), false, 5001)]);
    // The second checks in over the first's record: one first contact, whichever came first.
    expect(ra.firstContact).toBe(rb.firstContact);
    expect(await collect(a!.list())).toHaveLength(1);
    expect(await a!.onlineScore('node-n', 5500)).toBe(0.5);
  });

  it('forgets a node only while the condition holds against a check-in from another process', async () => {
    const [pa, pb] = await processes(2);
    const [a, b] = [new PgNodeDB(pa!, UPTIME), new PgNodeDB(pb!, UPTIME)];
    const [reputation, audits] = [new PgReputationDB(pb!), new PgAuditDB(pb!)];
    for (let round = 0; round < 10; round++) {
      const id = `node-${round}`;
      await a.checkIn(id, info(round), false, 5000);
      await reputation.put(id, { alpha: 1, beta: 0, successes: 1, failures: 0, offline: 0, contained: 0 });
      await audits.putContainment(`${id}!seg!0`, { challenge: { nodeId: id, segmentKey: 'seg', pieceNumber: 0, nonce: '00' }, tries: 0, since: 1 });
      const [forgot, rec] = await Promise.all([a.forget(id, (r) => !r.reachable), b.checkIn(id, info(round), true, 6000)]);
      // Either the forget went first (the check-in then records a new node) or the check-in did
      // (the forget sees it reachable and keeps it): never a record without its reputation.
      expect(rec.reachable).toBe(true);
      expect((await reputation.get(id)) === undefined).toBe(forgot);
      expect((await b.get(id))!.firstContact).toBe(forgot ? 6000 : 5000);
    }
  });

  it('walks every store in byte order over several pages', async () => {
    const [pool] = await processes(1);
    const nodes = new PgNodeDB(pool!, UPTIME);
    const reputation = new PgReputationDB(pool!);
    const ids = Array.from({ length: 1203 }, (_, i) => `${i % 2 ? 'N' : 'n'}-${i}`);
    for (const id of ids) {
      await pool!.query('INSERT INTO nodes (id, record) VALUES ($1, $2)', [id, JSON.stringify({ id })]);
      await reputation.put(id, { alpha: 1, beta: 0.5, successes: 1, failures: 0, offline: 0, contained: 0 });
    }
    const sorted = [...ids].sort();
    expect((await collect(nodes.list())).map((n) => n.id)).toEqual(sorted);
    expect((await collect(reputation.entries())).map(([id]) => id)).toEqual(sorted);
  });
});

describe('PostgreSQL ledger against the LevelDB ledger', () => {
  it('builds the same hash chain from the same credits, and verify catches the same edits', async () => {
    const [pool] = await processes(1);
    const pg = new PgLedgerDB(pool!);
    const level = new Level<string, unknown>(join(tempDir(), 'ledger'), { valueEncoding: 'json' });
    await level.open();
    levels.push(level);
    const leveldb = new Ledger(level);
    for (const period of [1, 2, 3]) {
      const [p, l] = [await pg.closePeriod(periodOf(period), credits(period), period * 10), await leveldb.closePeriod(periodOf(period), credits(period), period * 10)];
      expect(p).toEqual(l);
    }
    expect(await pg.closePeriod(periodOf(3), [], 99)).toEqual(await leveldb.closePeriod(periodOf(3), [], 99));
    expect(await pg.list()).toEqual(await leveldb.list());
    for (const filter of [{ period: 2 }, { nodeId: 'node-a' }, { period: 3, nodeId: 'node-b' }, { period: 7 }]) expect(await pg.list(filter)).toEqual(await leveldb.list(filter));
    expect(await pg.listPeriods()).toEqual(await leveldb.listPeriods());
    expect(await pg.lastPeriod()).toEqual(await leveldb.lastPeriod());
    expect(JSON.stringify(await pg.balances())).toBe(JSON.stringify(await leveldb.balances()));
    expect(await pg.verify()).toEqual(await leveldb.verify());

    // An amount edited in place, then an entry removed at the end.
    await pool!.query("UPDATE ledger_entries SET amount = '9.000000' WHERE seq = 4");
    expect(await pg.verify()).toEqual({ ok: false, entries: 4, problem: 'entry 4 was altered: its hash does not match its content' });
    const [entry] = await leveldb.list({ period: 2 });
    await pool!.query('UPDATE ledger_entries SET amount = $1 WHERE seq = 4', [entry!.amount]);
    await pool!.query('DELETE FROM ledger_entries WHERE seq = 9');
    expect(await pg.verify()).toEqual({ ok: false, entries: 8, problem: 'the ledger ends before its recorded head (entries removed)' });
  });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? 'no code'
  );
}

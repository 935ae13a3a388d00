// Egress settlement as a plain function over a real LevelDB store and real Ed25519 keys: the
// order limits are signed by the satellite's OrderIssuer, the bandwidth orders by the per-request
// key the limit names. What a node may send and what is credited (PROTOCOL.md, Egress). The
// hostile node's tries are in test/adversarial/settlement.test.ts.
import { describe, expect, it } from 'vitest';
import { PieceAction, SettlementStatus } from '../../src/protocol/index.js';
import { settleOrders } from '../../src/satellite/index.js';
import { HOUR, settlementWorld } from './settlement-fixture.js';

describe('egress settlement', () => {
  it('credits each serial once, at its highest order, per node and action, in the period it is settled in', async () => {
    const w = await settlementWorld();
    const get = await w.limit(PieceAction.GET);
    const repair = await w.limit(PieceAction.REPAIR_GET);
    const results = await settleOrders(w.nodeId, { items: [await w.item(get.signed, get.key, 700_000), await w.item(repair.signed, repair.key, 65_536)] }, w.options);
    expect(results.map((r) => r.status)).toEqual([SettlementStatus.SETTLEMENT_ACCEPTED, SettlementStatus.SETTLEMENT_ACCEPTED]);
    expect(Buffer.from(results[0]!.serialNumber).equals(Buffer.from(get.limit.serialNumber))).toBe(true);
    const settledAt = w.clock.now;
    expect(await w.store.egress(settledAt, settledAt + 1)).toEqual([
      { nodeId: w.nodeId, action: 'GET', bytes: 700_000, orders: 1 },
      { nodeId: w.nodeId, action: 'REPAIR_GET', bytes: 65_536, orders: 1 }
    ]);
    // The same serial again, even with a higher amount: a duplicate, nothing more counted.
    w.clock.now += 1000;
    const again = await settleOrders(w.nodeId, { items: [await w.item(get.signed, get.key, 900_000)] }, w.options);
    expect(again[0]!.status).toBe(SettlementStatus.SETTLEMENT_DUPLICATE);
    expect(await w.store.egress(0, w.clock.now + 1, w.nodeId)).toEqual([
      { nodeId: w.nodeId, action: 'GET', bytes: 700_000, orders: 1 },
      { nodeId: w.nodeId, action: 'REPAIR_GET', bytes: 65_536, orders: 1 }
    ]);
    // Egress counts where it was settled: not before.
    expect(await w.store.egress(0, settledAt)).toEqual([]);
  });

  it('accepts an order for exactly the byte limit and a limit created at the edge of the window', async () => {
    const w = await settlementWorld();
    const full = await w.limit(PieceAction.GET, 4096);
    const old = await w.limit(PieceAction.GET, 4096);
    w.clock.now += 48 * HOUR;
    const results = await settleOrders(w.nodeId, { items: [await w.item(full.signed, full.key, 4096), await w.item(old.signed, old.key, 1)] }, w.options);
    expect(results.map((r) => r.status)).toEqual([SettlementStatus.SETTLEMENT_ACCEPTED, SettlementStatus.SETTLEMENT_ACCEPTED]);
    // One millisecond later the window is over for a limit made then.
    const late = await w.limit(PieceAction.GET, 4096);
    w.clock.now += 48 * HOUR + 1;
    const refused = await settleOrders(w.nodeId, { items: [await w.item(late.signed, late.key, 10)] }, w.options);
    expect(refused[0]!.status).toBe(SettlementStatus.SETTLEMENT_REJECTED);
    expect(refused[0]!.reason).toMatch(/^ORDER_EXPIRED: /);
  });

  it('keeps settled serials until their window is over, then forgets them (an order that old is refused anyway)', async () => {
    const w = await settlementWorld();
    const get = await w.limit();
    await settleOrders(w.nodeId, { items: [await w.item(get.signed, get.key, 100)] }, w.options);
    const serial = Buffer.from(get.limit.serialNumber).toString('hex');
    expect(await w.store.pruneSerials(w.clock.now + 48 * HOUR + 30_000)).toBe(0);
    expect(await w.store.isSettled(serial)).toBe(true);
    expect(await w.store.pruneSerials(w.clock.now + 48 * HOUR + 30_001)).toBe(1);
    expect(await w.store.isSettled(serial)).toBe(false);
    w.clock.now += 48 * HOUR + 30_001;
    const again = await settleOrders(w.nodeId, { items: [await w.item(get.signed, get.key, 100)] }, w.options);
    expect(again[0]!.reason).toMatch(/^ORDER_EXPIRED: /);
    // The egress it credited stays.
    expect((await w.store.egress(0, w.clock.now))[0]!.bytes).toBe(100);
  });

  it('settles the same serial sent in two requests at once exactly once', async () => {
    const w = await settlementWorld();
    const limits = await Promise.all(Array.from({ length: 20 }, () => w.limit()));
    const items = await Promise.all(limits.map((l, i) => w.item(l.signed, l.key, 1000 + i)));
    const [a, b] = await Promise.all([settleOrders(w.nodeId, { items }, w.options), settleOrders(w.nodeId, { items: [...items].reverse() }, w.options)]);
    const accepted = [...a, ...b].filter((r) => r.status === SettlementStatus.SETTLEMENT_ACCEPTED).length;
    const duplicates = [...a, ...b].filter((r) => r.status === SettlementStatus.SETTLEMENT_DUPLICATE).length;
    expect(accepted).toBe(20);
    expect(duplicates).toBe(20);
    const total = (await w.store.egress(0, w.clock.now + 1))[0]!;
    expect(total.orders).toBe(20);
    expect(total.bytes).toBe(20 * 1000 + (19 * 20) / 2);
  });
});

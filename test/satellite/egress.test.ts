// Egress end to end (issue 21): a client downloads through real nodes, each node keeps the highest
// bandwidth order per serial, settles with the satellite over /stowage/orders/1.0.0, and the
// period's close credits egress x egressRate (repair egress at its own rate). Nothing is settled
// twice; a node is paid for no byte the client did not sign for.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../node/fixtures/pieces.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { settleOrders, type OrderIssuer, type Satellite } from '../../src/satellite/index.js';
import { OrderLimit, PieceAction, SettlementStatus, signBandwidthOrder } from '../../src/protocol/index.js';
import { StowageError } from '../../src/common/index.js';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { settlementWorld } from './settlement-fixture.js';
import { sealedSizeOf } from '../../src/client/crypto.js';
import { stripeLayout } from '../../src/client/stripes.js';

const parts: { client?: Stowage; nodes?: StorageNode[]; satellite?: Satellite } = {};
afterEach(async () => {
  await stopAll(parts);
  delete parts.client;
  delete parts.nodes;
  delete parts.satellite;
});

describe('egress settlement end to end', () => {
  it('credits each node the bytes its downloaders signed for, once, at the egress rate', async () => {
    // 2/2/3/3 with a download margin of 0: each download asks exactly k = 2 nodes.
    parts.satellite = await startSatellite({
      profile: { minimum: 2, repair: 2, success: 3, total: 3 },
      downloadMargin: 0,
      payout: { periodMs: 0, storageRate: '0', auditRate: '0', egressRate: '1000000', repairEgressRate: '0', minimumPayout: '0', heldBack: false }
    });
    const satellite = parts.satellite;
    parts.nodes = (await startNodes(satellite, 3, () => ({ settleIntervalMs: 0 }))).nodes;
    parts.client = await connectClient(satellite);
    const client = parts.client;
    await client.createBucket('egress');
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024));
    await client.upload('egress', 'o', bytes);
    const downloads = 3;
    for (let i = 0; i < downloads; i++) expect(Buffer.from(await collect(client.download('egress', 'o'))).equals(Buffer.from(bytes))).toBe(true);

    // Every node's kept orders (once the last stream's order is in: a read ends its streams as
    // soon as it has its bytes, and the node keeps the order as the stream closes), then settled.
    const keptNow = (): Promise<number[]> => Promise.all(parts.nodes!.map(async (n) => (await n.context.unsettled!.of(satellite.id, 1000)).reduce((s, o) => s + Number(o.amount), 0)));
    let kept = await keptNow();
    for (let tries = 0; tries < 50 && kept.reduce((a, b) => a + b, 0) < downloads * bytes.length; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      kept = await keptNow();
    }
    const rounds = await Promise.all(parts.nodes.map((n) => n.settle()));
    expect(rounds.map((r) => r?.rejected)).toEqual([0, 0, 0]);
    for (const n of parts.nodes) expect(await n.context.unsettled!.of(satellite.id, 10)).toEqual([]);
    // Settling again sends nothing.
    expect((await Promise.all(parts.nodes.map((n) => n.settle()))).map((r) => r?.accepted)).toEqual([0, 0, 0]);

    const egress = await satellite.settlements.egress(0, Date.now() + 1);
    const byNode = new Map(egress.map((e) => [e.nodeId, e.bytes]));
    // What each node kept is what was credited to it; the client asked k = 2 pieces per segment
    // per download, each piece whole (format v4: the sealed segment in stripes of 2 x 64 KiB).
    expect(parts.nodes.map((n) => byNode.get(n.peerId) ?? 0)).toEqual(kept);
    const { pieceSize } = stripeLayout(sealedSizeOf(bytes.length), 2);
    const total = kept.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(downloads * 2 * (bytes.length / 2));
    expect(total).toBeLessThanOrEqual(downloads * 2 * pieceSize + 65_536);
    expect(egress.every((e) => e.action === 'GET')).toBe(true);

    // The period's close pays it: 1,000,000 tokens per TB is 1 micro-token per byte.
    const { record } = await satellite.payouts.close();
    const entries = await satellite.payouts.ledger.list({ period: record.period });
    for (const n of parts.nodes) {
      const paid = entries.filter((e) => e.nodeId === n.peerId && e.kind === 'egress');
      const bytesServed = byNode.get(n.peerId) ?? 0;
      if (bytesServed === 0) expect(paid).toEqual([]);
      else expect(paid.map((e) => e.amount)).toEqual([(bytesServed / 1e6).toFixed(6)]);
    }
    expect((await satellite.payouts.ledger.verify()).ok).toBe(true);
  }, 120_000);

  it('settles 1,200 orders in one round (three requests of up to 500, within the rate limit)', async () => {
    parts.satellite = await startSatellite({});
    const satellite = parts.satellite;
    parts.nodes = (await startNodes(satellite, 1, () => ({ settleIntervalMs: 0 }))).nodes;
    const node = parts.nodes[0]!;
    // GET limits signed by the satellite's own issuer, as its metainfo would sign them.
    const issuer = (satellite as unknown as { metainfo: { d: { issuer: OrderIssuer } } }).metainfo.d.issuer;
    const key = await generateKeyPair('Ed25519');
    const limits = await issuer.issue(PieceAction.GET, new Uint8Array(32).fill(1), Array.from({ length: 1200 }, (_, i) => ({ nodeId: node.peerId, number: i })), 1 << 20, null, key.publicKey.raw);
    for (const signed of limits) {
      const limit = OrderLimit.decode(signed.limit);
      await node.context.unsettled!.keep(signed, limit, await signBandwidthOrder(key, { serialNumber: limit.serialNumber, amount: 1000n }), 1000n);
    }
    const round = await node.settle();
    expect(round).toMatchObject({ accepted: 1200, duplicate: 0, rejected: 0, unreachable: [] });
    expect((await node.context.unsettled!.totals()).orders).toBe(0);
    expect(await satellite.settlements.egress(0, Date.now() + 1)).toEqual([{ nodeId: node.peerId, action: 'GET', bytes: 1_200_000, orders: 1200 }]);
  }, 120_000);

  it('keeps every order when the satellite fails to store a settlement (a full disk is not a refusal)', async () => {
    const w = await settlementWorld();
    const get = await w.limit();
    // The same store whose writes fail as a full disk makes them fail.
    const full = Object.create(w.store, { settle: { value: () => Promise.reject(new StowageError('LEVEL_DISK_FULL', 'the disk is full')) } }) as typeof w.store;
    const failing = { ...w.options, store: full };
    await expect(settleOrders(w.nodeId, { items: [await w.item(get.signed, get.key, 10)] }, failing)).rejects.toMatchObject({ code: 'LEVEL_DISK_FULL' });
    // The same item settles once the store works again.
    const results = await settleOrders(w.nodeId, { items: [await w.item(get.signed, get.key, 10)] }, w.options);
    expect(results[0]!.status).toBe(SettlementStatus.SETTLEMENT_ACCEPTED);
  });
});

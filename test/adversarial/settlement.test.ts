// A node that wants to be paid for egress it did not serve (issue 21): every way it could dress up
// a settlement. Each forged item is refused with its reason, and nothing is credited for it; the
// honest items beside it in the same request still are. (Over libp2p, the endpoint that calls
// settleOrders adds the connection's peer id as `nodeId`: a node cannot claim to be another.)
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { describe, expect, it } from 'vitest';
import { BandwidthOrder, OrderLimit, PieceAction, SettlementStatus, signBandwidthOrder, signOrderLimit, type SettlementItem } from '../../src/protocol/index.js';
import { MAX_SETTLEMENT_ITEMS, OrderIssuer, settleOrders } from '../../src/satellite/index.js';
import { HOUR, settlementWorld } from '../satellite/settlement-fixture.js';

describe('a node forging its egress settlement', () => {
  it('is refused item by item and credited only for the honest items', async () => {
    const w = await settlementWorld();
    const honest = await w.limit(PieceAction.GET, 10_000);
    const a = await w.limit(PieceAction.GET, 10_000);
    const b = await w.limit(PieceAction.GET, 10_000);

    // 1. An order signed by a key of the node's own making, not the limit's.
    const ownKey = await generateKeyPair('Ed25519');
    const forgedSignature = await w.item(a.signed, ownKey, 10_000);
    // 2. More than the limit allows.
    const overLimit = await w.item(b.signed, b.key, 10_001);
    // 3. A foreign serial: b's order (validly signed by b's key) presented under a's limit.
    const foreign = await w.item(a.signed, b.key, 5000, b.limit.serialNumber);
    const bOrder = await signBandwidthOrder(b.key, { serialNumber: b.limit.serialNumber, amount: 5000n });
    const swapped: SettlementItem = { limit: a.signed.limit, limitSignature: a.signed.signature, order: bOrder.order, orderSignature: bOrder.signature };
    // 4. A limit the node edited (byte limit raised): the satellite's signature no longer holds.
    const edited = OrderLimit.encode({ ...a.limit, byteLimit: 1n << 40n });
    const editedItem = { ...(await w.item(a.signed, a.key, 9000)), limit: edited };
    // 5. A limit signed by another satellite (the node's own "satellite").
    const rogueKey = await generateKeyPair('Ed25519');
    const rogueIssuer = new OrderIssuer({ key: rogueKey, satelliteId: peerIdFromPrivateKey(rogueKey).toString(), now: () => w.clock.now, orderTtlMs: HOUR });
    const rogueUplink = await generateKeyPair('Ed25519');
    const [rogue] = await rogueIssuer.issue(PieceAction.GET, new Uint8Array(32), [{ nodeId: w.nodeId, number: 0 }], 1 << 30, null, rogueUplink.publicKey.raw);
    const rogueItem = await w.item(rogue!, rogueUplink, 1 << 30);
    // 6. A limit naming this satellite but signed by another key.
    const impostor = await signOrderLimit(rogueKey, { ...a.limit, satelliteId: w.satelliteId });
    const impostorItem = await w.item(impostor, a.key, 100);
    // 7. Another node's limit (bought or sniffed): the node is paid as itself only.
    const otherNode = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
    const otherUplink = await generateKeyPair('Ed25519');
    const [others] = await w.issuer.issue(PieceAction.GET, new Uint8Array(32), [{ nodeId: otherNode, number: 1 }], 10_000, null, otherUplink.publicKey.raw);
    const othersItem = await w.item(others!, otherUplink, 10_000);
    // 8. Actions that are not egress: a PUT limit (the node received, it did not serve), an AUDIT and a DELETE.
    const put = await w.limit(PieceAction.PUT, 10_000);
    const audit = await w.limit(PieceAction.AUDIT, 10_000);
    const del = await w.limit(PieceAction.DELETE, 10_000);
    // 9. A non-canonical order (a trailing unknown field rides along under the signature).
    const padded = new Uint8Array([...BandwidthOrder.encode({ serialNumber: a.limit.serialNumber, amount: 10n }), 0x78, 0x01]);
    const nonCanonical: SettlementItem = { ...(await w.item(a.signed, a.key, 10)), order: padded, orderSignature: (await signBandwidthOrder(a.key, { serialNumber: a.limit.serialNumber, amount: 10n })).signature };
    // 10. Zero bytes, and garbage.
    const zero = await w.item(a.signed, a.key, 0);
    const garbage: SettlementItem = { limit: new Uint8Array([0xff, 0xff, 0xff]), limitSignature: new Uint8Array(64), order: new Uint8Array(1), orderSignature: new Uint8Array(0) };

    const items = [
      forgedSignature,
      overLimit,
      foreign,
      swapped,
      editedItem,
      rogueItem,
      impostorItem,
      othersItem,
      await w.item(put.signed, put.key, 10),
      await w.item(audit.signed, audit.key, 10),
      await w.item(del.signed, del.key, 10),
      nonCanonical,
      zero,
      garbage,
      await w.item(honest.signed, honest.key, 8000)
    ];
    const results = await settleOrders(w.nodeId, { items }, w.options);
    const reasons = results.map((r) => r.reason.split(':')[0]);
    expect(reasons).toEqual([
      'ORDER_BAD_SIGNATURE',
      'ORDER_BYTE_LIMIT_EXCEEDED',
      'ORDER_MISMATCH',
      'ORDER_MISMATCH',
      'ORDER_BAD_SIGNATURE',
      'ORDER_UNTRUSTED_SATELLITE',
      'ORDER_BAD_SIGNATURE',
      'ORDER_WRONG_NODE',
      'ORDER_WRONG_ACTION',
      'ORDER_WRONG_ACTION',
      'ORDER_WRONG_ACTION',
      'ORDER_NOT_CANONICAL',
      'PROTOCOL_MALFORMED',
      'PROTOCOL_MALFORMED',
      ''
    ]);
    expect(results.slice(0, -1).every((r) => r.status === SettlementStatus.SETTLEMENT_REJECTED)).toBe(true);
    expect(results.at(-1)!.status).toBe(SettlementStatus.SETTLEMENT_ACCEPTED);
    // Only the honest 8000 bytes are credited, to this node.
    expect(await w.store.egress(0, w.clock.now + 1)).toEqual([{ nodeId: w.nodeId, action: 'GET', bytes: 8000, orders: 1 }]);
    // a's serial was never settled (its one honest order can still be): forged items burn nothing.
    const later = await settleOrders(w.nodeId, { items: [await w.item(a.signed, a.key, 10_000)] }, w.options);
    expect(later[0]!.status).toBe(SettlementStatus.SETTLEMENT_ACCEPTED);
  });

  it('is refused for replays, for a limit from the future and for a request over the item cap', async () => {
    const w = await settlementWorld();
    const get = await w.limit();
    const item = await w.item(get.signed, get.key, 1000);
    // The same item twice in one request, then again later: counted once.
    const first = await settleOrders(w.nodeId, { items: [item, item] }, w.options);
    expect(first.map((r) => r.status)).toEqual([SettlementStatus.SETTLEMENT_ACCEPTED, SettlementStatus.SETTLEMENT_DUPLICATE]);
    w.clock.now += HOUR;
    expect((await settleOrders(w.nodeId, { items: [item] }, w.options))[0]!.status).toBe(SettlementStatus.SETTLEMENT_DUPLICATE);
    expect((await w.store.egress(0, w.clock.now + 1))[0]!.bytes).toBe(1000);

    // A limit created beyond the skew allowance (a satellite clock the node cannot move: the
    // limit is signed; this stands for a satellite whose clock jumped back).
    const future = await w.limit();
    w.clock.now -= 30_001;
    const refused = await settleOrders(w.nodeId, { items: [await w.item(future.signed, future.key, 10)] }, w.options);
    expect(refused[0]!.reason).toMatch(/^ORDER_FROM_THE_FUTURE: /);

    // Over the cap: the whole request is refused before any signature is checked.
    const many = Array.from({ length: MAX_SETTLEMENT_ITEMS + 1 }, () => item);
    await expect(settleOrders(w.nodeId, { items: many }, w.options)).rejects.toMatchObject({ code: 'PROTOCOL_MALFORMED' });
  });
});

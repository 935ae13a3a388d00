// Egress settlement (/stowage/orders/1.0.0): a node sends, per serial, the highest bandwidth order
// its downloader signed, with the order limit it was given under. Each item is checked on its own
// (PROTOCOL.md, Egress): the limit signed by this satellite for the connection's node, an action
// that takes orders, created within the settlement window and not in the future, the order signed
// by the limit's per-request key for the limit's serial and within its byte limit, and the serial
// never settled before. Accepted egress counts in the payout period it is settled in.
import { PieceAction, ProtocolError, ProtocolErrorCode, SettlementStatus, takesBandwidthOrders, verifyBandwidthOrder, verifyOrderLimit, type SettlementRequest, type SettlementResult } from '../../protocol/index.js';
import type { EgressAction, SettlementDB } from './db.js';

/** How far in the future an order limit's creation may be at settlement (the satellite's own clock made it). */
export const SETTLEMENT_SKEW_MS = 60_000;

/** Most items one settlement request may carry (each is two signatures to check). */
export const MAX_SETTLEMENT_ITEMS = 500;

export interface SettlementOptions {
  satelliteId: string;
  store: SettlementDB;
  now: () => number;
  /** Order limits created longer ago than this are refused (and their serials forgotten after). */
  settlementWindowMs: number;
  /** How far in the future an order limit's creation may be (clock skew). */
  skewMs: number;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The results of one node's settlement request, one per item in order. */
export async function settleOrders(nodeId: string, request: SettlementRequest, o: SettlementOptions): Promise<SettlementResult[]> {
  if (request.items.length > MAX_SETTLEMENT_ITEMS) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `a settlement carries at most ${MAX_SETTLEMENT_ITEMS} orders, got ${request.items.length}`);
  }
  const results: SettlementResult[] = [];
  const seen = new Set<string>();
  for (const item of request.items) {
    let serial = new Uint8Array(0);
    try {
      const limit = await verifyOrderLimit({ limit: item.limit, signature: item.limitSignature }, (l) => {
        // Cheap checks before any signature: another satellite's limits are not ours to pay.
        if (l.satelliteId !== o.satelliteId) throw new ProtocolError(ProtocolErrorCode.UntrustedSatellite, 'the order limit is not this satellite\'s');
        if (l.nodeId !== nodeId) throw new ProtocolError(ProtocolErrorCode.WrongNode, 'the order limit is for another node');
        if (!takesBandwidthOrders(l.action)) throw new ProtocolError(ProtocolErrorCode.WrongAction, 'only GET and REPAIR_GET egress is settled');
        const age = o.now() - Number(l.orderCreation);
        if (age > o.settlementWindowMs) throw new ProtocolError(ProtocolErrorCode.Expired, `the order limit is older than the settlement window (${o.settlementWindowMs} ms)`);
        if (-age > o.skewMs) throw new ProtocolError(ProtocolErrorCode.FromTheFuture, 'the order limit was created in the future');
      });
      serial = limit.serialNumber;
      const created = Number(limit.orderCreation);
      const order = await verifyBandwidthOrder({ order: item.order, signature: item.orderSignature }, limit);
      if (order.amount === 0n) throw new ProtocolError(ProtocolErrorCode.Malformed, 'the order allows no bytes');
      const key = hex(serial);
      if (seen.has(key)) {
        results.push({ serialNumber: serial, status: SettlementStatus.SETTLEMENT_DUPLICATE, reason: 'the serial is in this request twice' });
        continue;
      }
      seen.add(key);
      const action: EgressAction = limit.action === PieceAction.GET ? 'GET' : 'REPAIR_GET';
      const fresh = await o.store.settle({ serial: key, nodeId, action, amount: Number(order.amount), created }, created + o.settlementWindowMs + o.skewMs);
      results.push(fresh ? { serialNumber: serial, status: SettlementStatus.SETTLEMENT_ACCEPTED, reason: '' } : { serialNumber: serial, status: SettlementStatus.SETTLEMENT_DUPLICATE, reason: 'the serial was settled before' });
    } catch (err) {
      // Only a check that failed refuses the item for good; anything else (the store failing, a
      // full disk) fails the whole request, and the node keeps its orders for a later try.
      if (!(err instanceof ProtocolError)) throw err;
      const code = err.code;
      results.push({ serialNumber: serial, status: SettlementStatus.SETTLEMENT_REJECTED, reason: `${code}: ${(err as Error).message}`.slice(0, 256) });
    }
  }
  return results;
}

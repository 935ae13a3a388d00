// /stowage/orders/1.0.0: one SettlementRequest from a node, one SettlementResponse. Thin over
// settleOrders: the connection's peer id is the node being paid; only registered nodes settle,
// and each one's settlement requests are rate limited (each may make it check 1,000 signatures).
import { StowageError } from '../../common/index.js';
import { SettlementRequest, SettlementResponse, SettlementStatus, type FramedStream } from '../../protocol/index.js';
import type { NodeDB } from '../overlay/index.js';
import { settleOrders, type SettlementOptions } from './settlement.js';

export interface SettlementEndpointDeps extends SettlementOptions {
  registry: Pick<NodeDB, 'get'>;
  /** Takes a token for the node and its address or throws RATE_LIMITED (one per request of up to 500 orders). */
  charge?: (nodeId: string, remote: string) => void;
  /** Told of each settled request: items accepted, duplicate and rejected, and bytes accepted. */
  onSettled?: (nodeId: string, counts: { accepted: number; duplicate: number; rejected: number }) => void;
}

export async function handleSettlement(d: SettlementEndpointDeps, framed: FramedStream, nodeId: string, remote: string): Promise<void> {
  try {
    const req = await framed.expect(SettlementRequest, 'settlement');
    if (!(await d.registry.get(nodeId))) throw new StowageError('NODE_UNKNOWN', 'only a node that checked in settles orders');
    d.charge?.(nodeId, remote);
    const results = await settleOrders(nodeId, req, d);
    const count = (status: SettlementStatus) => results.filter((r) => r.status === status).length;
    d.onSettled?.(nodeId, { accepted: count(SettlementStatus.SETTLEMENT_ACCEPTED), rejected: count(SettlementStatus.SETTLEMENT_REJECTED), duplicate: count(SettlementStatus.SETTLEMENT_DUPLICATE) });
    await framed.write(SettlementResponse, { results });
  } catch (err) {
    const error = err instanceof StowageError ? { code: err.code, message: err.message } : { code: 'SATELLITE_INTERNAL_ERROR', message: 'the satellite failed to settle' };
    await framed.write(SettlementResponse, { error }).catch(() => undefined);
  } finally {
    await framed.closeWrite();
  }
}

// The satellite's side of /stowage/node-stats/1.0.0: a node's own reputation here (scores,
// flags, audit counts) and the bytes the satellite counts on it, for the node's dashboard. The
// node is the connection's peer: nobody reads another node's numbers.
import { NodeStatsRequest, NodeStatsResponse, type FramedStream } from '../../protocol/index.js';
import { StowageError } from '../../common/index.js';
import type { GarbageCollector } from '../gc/index.js';
import type { PayoutService } from '../payouts/index.js';
import { formatTokens } from '../payouts/index.js';
import type { ReputationStore } from '../reputation/index.js';

export interface NodeStatsDeps {
  reputation: ReputationStore;
  gc: GarbageCollector;
  payouts: PayoutService;
  now: () => number;
}

export async function handleNodeStats(d: NodeStatsDeps, framed: FramedStream, nodeId: string): Promise<void> {
  try {
    await framed.expect(NodeStatsRequest, 'request');
    const rep = await d.reputation.describe(nodeId, d.now());
    if (!rep) throw new StowageError('NODE_NOT_FOUND', `node ${nodeId} never checked in`);
    const held = (await d.gc.usedByNode()).get(nodeId) ?? 0;
    const estimate = await d.payouts.estimate(nodeId);
    await framed.write(NodeStatsResponse, {
      stats: {
        auditScore: rep.auditScore,
        onlineScore: rep.onlineScore,
        vetted: rep.vetted,
        suspended: BigInt(rep.suspended ?? 0),
        disqualified: BigInt(rep.disqualified ?? 0),
        auditsPassed: BigInt(rep.audits.successes),
        auditsFailed: BigInt(rep.audits.failures),
        auditsOffline: BigInt(rep.audits.offline),
        auditsContained: BigInt(rep.audits.contained),
        heldBytes: BigInt(held),
        period: BigInt(estimate.period),
        periodStart: BigInt(estimate.start),
        periodEstimate: formatTokens(estimate.units)
      }
    });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'INTERNAL';
    await framed.write(NodeStatsResponse, { error: { code, message: (err as Error).message } }).catch(() => undefined);
  } finally {
    await framed.closeWrite();
  }
}

// The satellite's side of /stowage/node-stats/1.0.0: a node's own reputation here (scores,
// flags, audit counts) and the bytes the satellite counts on it, for the node's dashboard. The
// node is the connection's peer: nobody reads another node's numbers. Answers come from the
// NodeStatsCache (cache.ts): a request does not walk the segments.
import { NodeStatsRequest, NodeStatsResponse, type FramedStream } from '../../protocol/index.js';
import { StowageError } from '../../common/index.js';
import { formatTokens } from '../payouts/index.js';
import type { NodeStatsCache } from './cache.js';

export interface NodeStatsDeps {
  cache: NodeStatsCache;
}

export async function handleNodeStats(d: NodeStatsDeps, framed: FramedStream, nodeId: string): Promise<void> {
  try {
    await framed.expect(NodeStatsRequest, 'request');
    const s = await d.cache.get(nodeId);
    await framed.write(NodeStatsResponse, {
      stats: {
        auditScore: s.auditScore,
        onlineScore: s.onlineScore,
        vetted: s.vetted,
        suspended: BigInt(s.suspended ?? 0),
        disqualified: BigInt(s.disqualified ?? 0),
        auditsPassed: BigInt(s.audits.successes),
        auditsFailed: BigInt(s.audits.failures),
        auditsOffline: BigInt(s.audits.offline),
        auditsContained: BigInt(s.audits.contained),
        heldBytes: BigInt(s.heldBytes),
        period: BigInt(s.period),
        periodStart: BigInt(s.periodStart),
        periodEstimate: formatTokens(s.periodUnits)
      }
    });
  } catch (err) {
    const error = err instanceof StowageError ? { code: err.code, message: err.message } : { code: 'SATELLITE_INTERNAL_ERROR', message: 'the satellite failed to answer' };
    await framed.write(NodeStatsResponse, { error }).catch(() => undefined);
  } finally {
    await framed.closeWrite();
  }
}

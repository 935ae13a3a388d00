// The node's reputation on each of its satellites (/stowage/node-stats/1.0.0), for the dashboard:
// asked when the dashboard asks, at most every `maxAgeMs` per satellite (30 s, or the check-in
// interval when shorter); the last answer (or the last error) is kept in memory.
import type { Libp2p } from '@libp2p/interface';
import { FramedStream, NodeStatsRequest, NodeStatsResponse, PROTOCOL_NODE_STATS, ProtocolError } from '../protocol/index.js';
import { satelliteAddrs, type TrustedSatellite } from './config.js';

export interface SatelliteStats {
  auditScore: number;
  onlineScore: number;
  vetted: boolean;
  suspended: number | null;
  disqualified: number | null;
  audits: { passed: number; failed: number; offline: number; contained: number };
  heldBytes: number;
  /** The open payout period, its start, and the tokens earned in it so far (an estimate). */
  period: number;
  periodStart: number;
  periodEstimate: string;
  /** When the satellite answered. */
  at: number;
}

export async function fetchSatelliteStats(libp2p: Libp2p, satellite: TrustedSatellite, timeoutMs: number, now: number): Promise<SatelliteStats> {
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = await libp2p.dialProtocol(satelliteAddrs(satellite), PROTOCOL_NODE_STATS, { signal });
  const framed = new FramedStream(stream, { idleTimeoutMs: timeoutMs });
  try {
    await framed.write(NodeStatsRequest, {});
    const res = await framed.expect(NodeStatsResponse, 'stats');
    if (res.error) throw new ProtocolError(res.error.code, res.error.message);
    const s = res.stats;
    if (!s) throw new ProtocolError('PROTOCOL_MALFORMED', 'answer has neither stats nor error');
    return {
      auditScore: s.auditScore,
      onlineScore: s.onlineScore,
      vetted: s.vetted,
      suspended: s.suspended > 0n ? Number(s.suspended) : null,
      disqualified: s.disqualified > 0n ? Number(s.disqualified) : null,
      audits: { passed: Number(s.auditsPassed), failed: Number(s.auditsFailed), offline: Number(s.auditsOffline), contained: Number(s.auditsContained) },
      heldBytes: Number(s.heldBytes),
      period: Number(s.period),
      periodStart: Number(s.periodStart),
      periodEstimate: s.periodEstimate,
      at: now
    };
  } finally {
    await framed.closeWrite();
  }
}

export class SatelliteStatsCache {
  private readonly last = new Map<string, { stats?: SatelliteStats; error?: string; at: number }>();

  constructor(
    private readonly libp2p: Libp2p,
    private readonly satellites: TrustedSatellite[],
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly maxAgeMs = 30_000,
    private readonly onStats?: (satelliteId: string, stats: SatelliteStats) => void
  ) {}

  /** Each satellite's latest stats, asking again where the kept answer is older than maxAgeMs. */
  async all(): Promise<Map<string, { stats?: SatelliteStats; error?: string }>> {
    await Promise.all(
      this.satellites.map(async (s) => {
        const kept = this.last.get(s.peerId);
        if (kept && this.now() - kept.at < this.maxAgeMs) return;
        try {
          const stats = await fetchSatelliteStats(this.libp2p, s, this.timeoutMs, this.now());
          this.last.set(s.peerId, { stats, at: this.now() });
          this.onStats?.(s.peerId, stats);
        } catch (err) {
          this.last.set(s.peerId, { stats: kept?.stats, error: (err as Error).message, at: this.now() });
        }
      })
    );
    return new Map([...this.last].map(([id, v]) => [id, { stats: v.stats, error: v.error }]));
  }
}

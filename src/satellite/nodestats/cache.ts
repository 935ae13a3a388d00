// Node stats from memory: what an answer needs from the segments (bytes held per node, tokens
// earned per node in the open period: a walk of all segments each) is kept per node, computed for
// all nodes at once at most once per `ttlMs` however many nodes ask. Without it each request
// walked every segment twice (a node spamming node-stats was a walk of the whole metadata per
// request). The reputation part (scores, flags, audit counts) and the open period are a few point
// reads, read fresh per request: a node that asks after an audit, or after a period closed, sees it.
import { StowageError } from '../../common/index.js';
import type { GarbageCollector } from '../gc/index.js';
import type { PayoutService } from '../payouts/index.js';
import type { ReputationStore } from '../reputation/index.js';

/** What the satellite tells a node about itself (NodeStatsResponse.stats, as numbers). */
export interface NodeStats {
  auditScore: number;
  onlineScore: number;
  vetted: boolean;
  suspended: number | null;
  disqualified: number | null;
  audits: { successes: number; failures: number; offline: number; contained: number };
  heldBytes: number;
  period: number;
  periodStart: number;
  /** Tokens in the open period so far, in 10^-6 units, after held-back amounts. */
  periodUnits: bigint;
}

export interface NodeStatsSources {
  reputation: ReputationStore;
  gc: Pick<GarbageCollector, 'usedByNode'>;
  payouts: Pick<PayoutService, 'current' | 'credits'>;
  /** The satellite's clock (what the numbers are computed at). */
  now: () => number;
}

interface Totals {
  at: number;
  held: Map<string, number>;
  period: number;
  start: number;
  units: Map<string, bigint>;
}

export class NodeStatsCache {
  private totals: Totals | undefined;
  private loading: Promise<Totals> | undefined;
  /** Walks of the segments so far (two per load of the totals). */
  walks = 0;

  constructor(
    private readonly d: NodeStatsSources,
    private readonly ttlMs: number,
    /** Real time, for the ages of what is kept (the satellite's clock may be injected and still). */
    private readonly clock: () => number = Date.now
  ) {}

  /** `nodeId`'s stats; NODE_NOT_FOUND for a node that never checked in. */
  async get(nodeId: string): Promise<NodeStats> {
    const rep = await this.d.reputation.describe(nodeId, this.d.now());
    if (!rep) throw new StowageError('NODE_NOT_FOUND', `node ${nodeId} never checked in`);
    // A point read: once a period closes, the totals of the one before are not used.
    const cur = await this.d.payouts.current();
    const totals = await this.loadTotals(cur.period);
    return {
      auditScore: rep.auditScore,
      onlineScore: rep.onlineScore,
      vetted: rep.vetted,
      suspended: rep.suspended,
      disqualified: rep.disqualified,
      audits: { successes: rep.audits.successes, failures: rep.audits.failures, offline: rep.audits.offline, contained: rep.audits.contained },
      heldBytes: totals.held.get(nodeId) ?? 0,
      period: totals.period,
      periodStart: totals.start,
      periodUnits: totals.units.get(nodeId) ?? 0n
    };
  }

  private fresh(at: number): boolean {
    return this.ttlMs > 0 && this.clock() - at < this.ttlMs;
  }

  private async loadTotals(period: number): Promise<Totals> {
    if (this.totals && this.totals.period === period && this.fresh(this.totals.at)) return this.totals;
    this.loading ??= this.computeTotals().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async computeTotals(): Promise<Totals> {
    const at = this.clock();
    this.walks += 2;
    const held = await this.d.gc.usedByNode();
    const cur = await this.d.payouts.current();
    const units = new Map<string, bigint>();
    for (const c of await this.d.payouts.credits(cur.start, this.d.now())) units.set(c.nodeId, (units.get(c.nodeId) ?? 0n) + c.units);
    const totals = { at, held, period: cur.period, start: cur.start, units };
    if (this.ttlMs > 0) this.totals = totals;
    return totals;
  }
}

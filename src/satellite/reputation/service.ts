// Node reputation as Storj computes it. Audit score: a beta reputation with forgetting factor
// lambda: on success alpha <- lambda*alpha + w, beta <- lambda*beta; on failure alpha <-
// lambda*alpha, beta <- lambda*beta + w; score = alpha / (alpha + beta); disqualified at or below
// the threshold. Online score comes from the registry's uptime windows; a node under the
// suspension threshold gets no new pieces, and after a grace period still under it may be
// disqualified. A node is vetted after enough successful audits.
import type { Level } from 'level';
import type { NodeRecord, NodeDB } from '../overlay/index.js';

export interface ReputationConfig {
  lambda: number;
  weight: number;
  alpha0: number;
  beta0: number;
  /** Disqualified at or below this audit score. */
  disqualifyAt: number;
  /** Suspended below this online score. */
  suspendBelow: number;
  /** How long a suspended node has to get its online score back. */
  suspensionGraceMs: number;
  /** Whether a node still suspended after the grace period is disqualified. */
  disqualifyAfterGrace: boolean;
  /** Successful audits after which a node counts as vetted. */
  auditsToVet: number;
}

export const REPUTATION_DEFAULTS: ReputationConfig = {
  lambda: 0.999,
  weight: 1,
  alpha0: 1000,
  beta0: 0,
  disqualifyAt: 0.96,
  suspendBelow: 0.6,
  suspensionGraceMs: 7 * 24 * 60 * 60 * 1000,
  disqualifyAfterGrace: false,
  auditsToVet: 100
};

export interface AuditReputation {
  alpha: number;
  beta: number;
  successes: number;
  failures: number;
  /** Audits the node could not be reached for (they count toward the online score only). */
  offline: number;
  contained: number;
}

export function initialReputation(c: ReputationConfig): AuditReputation {
  return { alpha: c.alpha0, beta: c.beta0, successes: 0, failures: 0, offline: 0, contained: 0 };
}

/** The beta-reputation update for one audit that passed or failed. */
export function applyAudit(r: AuditReputation, passed: boolean, c: ReputationConfig): AuditReputation {
  return {
    ...r,
    alpha: c.lambda * r.alpha + (passed ? c.weight : 0),
    beta: c.lambda * r.beta + (passed ? 0 : c.weight),
    successes: r.successes + (passed ? 1 : 0),
    failures: r.failures + (passed ? 0 : 1)
  };
}

/**
 * Recent audit failures not yet outweighed: beta (each failure adds 1, every audit multiplies it
 * by lambda) of at least `threshold`. With lambda 0.999, 1.5 means two failures within the last
 * few hundred audits: a node that keeps failing is distrusted after its second, long before the
 * ~41 failures that disqualify it, while one odd failure of an honest node is not enough.
 */
export function hasRecentFailures(r: AuditReputation, threshold = DISTRUST_BETA): boolean {
  return r.beta >= threshold;
}

export const DISTRUST_BETA = 1.5;

export function auditScore(r: AuditReputation): number {
  return r.alpha + r.beta === 0 ? 1 : r.alpha / (r.alpha + r.beta);
}

export interface NodeReputation {
  nodeId: string;
  auditScore: number;
  onlineScore: number;
  audits: AuditReputation;
  vetted: boolean;
  disqualified: number | null;
  suspended: number | null;
}

export class ReputationStore {
  private readonly audits;
  /** The last record() of each node still running: a node's audits are counted one at a time. */
  private readonly recording = new Map<string, Promise<unknown>>();

  constructor(
    db: Level<string, unknown>,
    private readonly registry: NodeDB,
    private readonly config: ReputationConfig
  ) {
    this.audits = db.sublevel<string, AuditReputation>('reputation', { valueEncoding: 'json' });
  }

  async get(nodeId: string): Promise<AuditReputation> {
    return (await this.audits.get(nodeId)) ?? initialReputation(this.config);
  }

  /**
   * Counts one audit outcome. Success and failure move the audit score (and may vet or disqualify
   * the node); offline and contained are only counted. (A skipped audit is not recorded here.)
   * Calls for one node run one after the other: a round may audit a node twice at once (a
   * contained challenge and a fresh one), and each update reads the one before.
   */
  async record(nodeId: string, outcome: 'success' | 'failure' | 'offline' | 'contained', now: number): Promise<AuditReputation> {
    const previous = this.recording.get(nodeId) ?? Promise.resolve();
    const run = previous.then(
      () => this.recordNow(nodeId, outcome, now),
      () => this.recordNow(nodeId, outcome, now)
    );
    this.recording.set(nodeId, run);
    try {
      return await run;
    } finally {
      if (this.recording.get(nodeId) === run) this.recording.delete(nodeId);
    }
  }

  private async recordNow(nodeId: string, outcome: 'success' | 'failure' | 'offline' | 'contained', now: number): Promise<AuditReputation> {
    let r = await this.get(nodeId);
    if (outcome === 'offline') r = { ...r, offline: r.offline + 1 };
    else if (outcome === 'contained') r = { ...r, contained: r.contained + 1 };
    else r = applyAudit(r, outcome === 'success', this.config);
    await this.audits.put(nodeId, r);
    const node = await this.registry.get(nodeId);
    if (node) {
      const vetted = node.vetted || r.successes >= this.config.auditsToVet;
      const disqualified = node.flags.disqualified ?? (auditScore(r) <= this.config.disqualifyAt ? now : null);
      if (vetted !== node.vetted || disqualified !== node.flags.disqualified) {
        await this.registry.update(nodeId, (n) => ({ ...n, vetted, flags: { ...n.flags, disqualified } }));
      }
    }
    return r;
  }

  /** Suspends nodes under the online threshold, lifts it for those above, disqualifies after grace. */
  async evaluateOnline(now: number): Promise<void> {
    const nodes: NodeRecord[] = [];
    for await (const n of this.registry.list()) nodes.push(n);
    for (const n of nodes) {
      if (n.flags.disqualified !== null || n.flags.exited !== null) continue;
      const online = await this.registry.onlineScore(n.id, now);
      let suspended: number | null = n.flags.suspended;
      let disqualified: number | null = null;
      if (online < this.config.suspendBelow) {
        suspended ??= now;
        if (this.config.disqualifyAfterGrace && now - suspended >= this.config.suspensionGraceMs) disqualified = now;
      } else {
        suspended = null;
      }
      if (suspended !== n.flags.suspended || disqualified !== n.flags.disqualified) {
        await this.registry.update(n.id, (rec) => ({ ...rec, flags: { ...rec.flags, suspended, disqualified } }));
      }
    }
  }

  async describe(nodeId: string, now: number): Promise<NodeReputation | undefined> {
    const node = await this.registry.get(nodeId);
    if (!node) return undefined;
    const audits = await this.get(nodeId);
    return {
      nodeId,
      auditScore: auditScore(audits),
      onlineScore: await this.registry.onlineScore(nodeId, now),
      audits,
      vetted: node.vetted,
      disqualified: node.flags.disqualified,
      suspended: node.flags.suspended
    };
  }

  /** Nodes with recent audit failures not yet outweighed (hasRecentFailures). */
  async distrusted(): Promise<Set<string>> {
    const out = new Set<string>();
    for await (const [nodeId, r] of this.audits.iterator()) if (hasRecentFailures(r)) out.add(nodeId);
    return out;
  }

  async all(now: number): Promise<NodeReputation[]> {
    const out: NodeReputation[] = [];
    for await (const n of this.registry.list()) out.push((await this.describe(n.id, now))!);
    return out;
  }
}

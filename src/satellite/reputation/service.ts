// Node reputation as Storj computes it. Audit score: a beta reputation with forgetting factor
// lambda: on success alpha <- lambda*alpha + w, beta <- lambda*beta; on failure alpha <-
// lambda*alpha, beta <- lambda*beta + w; score = alpha / (alpha + beta); disqualified at or below
// the threshold. Online score comes from the registry's uptime windows; a node under the
// suspension threshold gets no new pieces, and after a grace period still under it may be
// disqualified. A node is vetted after enough successful audits.
import type { NodeRecord, NodeDB } from '../overlay/index.js';
import type { ReputationConfig } from './config.js';
import type { AuditReputation, ReputationDB } from './db.js';
import { applyAudit, auditScore, hasRecentFailures, initialReputation } from './score.js';

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
  /** The last record() of each node still running: a node's audits are counted one at a time. */
  private readonly recording = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: ReputationDB,
    private readonly registry: NodeDB,
    private readonly config: ReputationConfig
  ) {}

  async get(nodeId: string): Promise<AuditReputation> {
    return (await this.store.get(nodeId)) ?? initialReputation(this.config);
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
    await this.store.put(nodeId, r);
    const node = await this.registry.get(nodeId);
    if (node) {
      const vetted = node.vetted || r.successes >= this.config.auditsToVet;
      const disqualified = node.flags.disqualified ?? (auditScore(r) <= this.config.disqualifyAt ? now : null);
      if (vetted !== node.vetted || disqualified !== node.flags.disqualified) {
        // Merged into the record as it is when written: a flag set meanwhile (a disqualification
        // by the online score) is kept, never put back to what was read above.
        await this.registry.update(nodeId, (n) => ({ ...n, vetted: n.vetted || vetted, flags: { ...n.flags, disqualified: n.flags.disqualified ?? disqualified } }));
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
        // `n` was read before this loop's awaits: an audit may have disqualified the node since,
        // and that stands (the update would otherwise write the flag back to null).
        await this.registry.update(n.id, (rec) => (rec.flags.disqualified !== null || rec.flags.exited !== null ? rec : { ...rec, flags: { ...rec.flags, suspended, disqualified } }));
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
    for await (const [nodeId, r] of this.store.entries()) if (hasRecentFailures(r)) out.add(nodeId);
    return out;
  }

  async all(now: number): Promise<NodeReputation[]> {
    const out: NodeReputation[] = [];
    for await (const n of this.registry.list()) out.push((await this.describe(n.id, now))!);
    return out;
  }
}

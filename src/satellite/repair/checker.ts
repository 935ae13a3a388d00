// The repair checker walks the segments (one at a time, never all in memory) and counts each
// one's healthy pieces (see health.ts). Segments at or below the repair threshold go into the
// durable queue, fewest healthy pieces first; segments below k are lost (counted, listed, logged).
import type { RepairDeps } from './deps.js';
import { healthyPieces, nodeView } from './health.js';

export interface CheckResult {
  segments: number;
  queued: number;
  lost: number;
  /** Segments by their number of healthy pieces. */
  histogram: Record<number, number>;
}

export class RepairChecker {
  private checking: Promise<CheckResult> | undefined;
  lastCheck: CheckResult | undefined;

  constructor(private readonly d: RepairDeps) {}

  /** Walks every segment once and updates the queue and the lost set. */
  async check(): Promise<CheckResult> {
    this.checking ??= this.runCheck().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async runCheck(): Promise<CheckResult> {
    const now = this.d.now();
    const view = await nodeView(this.d.registry, this.d.distrusted);
    const result: CheckResult = { segments: 0, queued: 0, lost: 0, histogram: {} };
    for await (const { key, segment } of this.d.metadata.remoteSegments()) {
      result.segments++;
      const healthy = healthyPieces(segment, view, now, this.d.onlineWithinMs).length;
      result.histogram[healthy] = (result.histogram[healthy] ?? 0) + 1;
      const needsRepair = healthy <= segment.profile.repair;
      if (needsRepair) result.queued++;
      const lost = healthy < segment.profile.minimum;
      if (lost) {
        result.lost++;
        this.d.log.error({ segment: key, healthy, needed: segment.profile.minimum }, 'segment lost: fewer healthy pieces than needed to rebuild it');
      }
      await this.d.queue.recordCheck(key, { healthy, needsRepair, lost, checkedAt: now, minimum: segment.profile.minimum });
    }
    this.lastCheck = result;
    return result;
  }

  /** Waits for a check in progress to end. */
  async close(): Promise<void> {
    await Promise.allSettled([this.checking]);
  }
}

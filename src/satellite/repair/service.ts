// Repair: the checker (checker.ts) queues the segments whose healthy pieces fell to the repair
// threshold and lists the lost ones; the repairer (repairer.ts) rebuilds the queued ones onto new
// nodes. This is the face the satellite and the admin API use.
import type { PlannedPiece } from '../metainfo/index.js';
import { RepairChecker, type CheckResult } from './checker.js';
import type { RepairConfig } from './config.js';
import type { QueuedSegment } from './db.js';
import type { RepairDeps } from './deps.js';
import { Repairer, type RepairResult } from './repairer.js';

export class RepairService {
  private readonly checker: RepairChecker;
  private readonly repairer: Repairer;

  constructor(
    private readonly d: RepairDeps,
    config: RepairConfig
  ) {
    this.checker = new RepairChecker(d);
    this.repairer = new Repairer(d, config);
  }

  /** The result of the last check that ended. */
  get lastCheck(): CheckResult | undefined {
    return this.checker.lastCheck;
  }

  /** Walks every segment once and updates the queue and the lost set. */
  async check(): Promise<CheckResult> {
    return this.checker.check();
  }

  /** Repairs queued segments, fewest healthy pieces first, until the queue is empty (or `max`). */
  async run(max = Infinity): Promise<RepairResult[]> {
    return this.repairer.run(max);
  }

  async queued(limit = 1000): Promise<QueuedSegment[]> {
    return this.d.queue.list(limit);
  }

  async queueLength(): Promise<number> {
    return this.d.queue.length();
  }

  async lost(): Promise<string[]> {
    return this.d.queue.lost();
  }

  inFlightPieces(): PlannedPiece[] {
    return this.repairer.inFlightPieces();
  }

  /** Segments being repaired now. */
  segmentsInFlight(): number {
    return this.repairer.segmentsInFlight();
  }

  async close(): Promise<void> {
    // The pools close once neither a check nor a run is in progress.
    await this.checker.close();
    await this.repairer.close();
  }
}

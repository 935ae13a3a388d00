// The repair chore's settings: how often the checker and the repairer run, and how hard they work.
import { ConfigError } from '../../common/index.js';

export interface RepairConfig {
  /** How often the checker walks the segments; 0 turns the schedule off. */
  checkIntervalMs: number;
  /** How often the repairer works through the queue; 0 turns the schedule off. */
  repairIntervalMs: number;
  /** How long one piece transfer may take. */
  pieceTimeoutMs: number;
  /** Segments repaired at once (each holds about a segment and its parity in memory). */
  concurrency: number;
  /**
   * Extra workers that take only segments close to loss: at least k and at most k +
   * `urgentMargin` healthy pieces at their last check (the closest first, as the queue is
   * ordered). Ordinary segments never have more than `concurrency` repairs at once; segments near
   * loss up to `concurrency + urgentConcurrency` (the memory bound). 0 turns them off.
   */
  urgentConcurrency: number;
  /** How many healthy pieces above k still count as close to loss for the urgent workers. */
  urgentMargin: number;
  /**
   * After a failed repair transfer to or from a node, how long the node is passed over as a source
   * or target (doubling with each further failure up to `maxBackoffMs`, forgotten on a success);
   * 0 turns the backoff off. Kept in memory only.
   */
  backoffMs: number;
  /** The longest a node is passed over after failed repair transfers. */
  maxBackoffMs: number;
}

export const REPAIR_DEFAULTS: RepairConfig = {
  checkIntervalMs: 5 * 60 * 1000,
  repairIntervalMs: 60 * 1000,
  pieceTimeoutMs: 60_000,
  concurrency: 2,
  urgentConcurrency: 2,
  urgentMargin: 1,
  backoffMs: 30_000,
  maxBackoffMs: 10 * 60 * 1000
};

/**
 * Refuses repair settings that would quietly do something else: a negative, fractional or
 * non-numeric count (the repairer used to floor them, so `concurrency: 0.5` ran one worker and
 * `urgentConcurrency: "4"` none), a negative interval or timeout.
 */
export function checkRepairConfig(c: RepairConfig): RepairConfig {
  const counts: (keyof RepairConfig)[] = ['concurrency', 'urgentConcurrency', 'urgentMargin'];
  for (const [name, value] of Object.entries(c) as [keyof RepairConfig, unknown][]) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ConfigError(`repair.${name} must be a non-negative number, got ${JSON.stringify(value)}`);
    }
    if (counts.includes(name) && !Number.isSafeInteger(value)) throw new ConfigError(`repair.${name} must be a whole number, got ${value}`);
  }
  if (c.concurrency < 1) throw new ConfigError(`repair.concurrency must be at least 1, got ${c.concurrency}`);
  if (c.pieceTimeoutMs <= 0) throw new ConfigError(`repair.pieceTimeoutMs must be more than 0, got ${c.pieceTimeoutMs}`);
  return c;
}

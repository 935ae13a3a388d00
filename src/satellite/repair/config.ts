// The repair chore's settings: how often the checker and the repairer run, and how hard they work.

export interface RepairConfig {
  /** How often the checker walks the segments; 0 turns the schedule off. */
  checkIntervalMs: number;
  /** How often the repairer works through the queue; 0 turns the schedule off. */
  repairIntervalMs: number;
  /** How long one piece transfer may take. */
  pieceTimeoutMs: number;
  /** Segments repaired at once (each holds about a segment and its parity in memory). */
  concurrency: number;
}

export const REPAIR_DEFAULTS: RepairConfig = { checkIntervalMs: 5 * 60 * 1000, repairIntervalMs: 60 * 1000, pieceTimeoutMs: 60_000, concurrency: 2 };

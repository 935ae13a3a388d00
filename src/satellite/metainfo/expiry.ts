// Pending expiry: uploads never committed are dropped once older than the pending TTL, swept
// hourly at most (every half TTL when that is shorter, and not more than once a second).
const EXPIRY_SWEEP_MS = 60 * 60 * 1000;

/** How often the sweep runs for a given pending TTL. */
export function expirySweepInterval(pendingTtlMs: number): number {
  return Math.min(EXPIRY_SWEEP_MS, Math.max(1000, pendingTtlMs / 2));
}

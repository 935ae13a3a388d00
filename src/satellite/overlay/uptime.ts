// What every NodeDB backend computes the same way: the record a check-in or an uptime check
// leaves behind, and the arithmetic of uptime windows (a check counts in the window its time falls
// in; the online score sums the windows of the scoring period).
import type { CheckInInfo, NodeRecord, Reached, UptimeOptions } from './db.js';

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The start of the window `now` falls in. */
export function windowStart(now: number, uptime: UptimeOptions): number {
  return Math.floor(now / uptime.windowMs) * uptime.windowMs;
}

/** The starts of the windows that count toward the online score at `now`: from..to, both included. */
export function scoredWindows(now: number, uptime: UptimeOptions): { from: number; to: number } {
  return { from: Math.max(0, windowStart(now - uptime.periodMs, uptime)), to: now };
}

/** Windows starting before this fell out of the scoring period and are pruned. */
export function pruneBefore(now: number, uptime: UptimeOptions): number {
  return now - uptime.periodMs - uptime.windowMs;
}

/** Share of successful checks; 1 for a node never checked. */
export function onlineScoreOf(checks: number, successes: number): number {
  return checks === 0 ? 1 : successes / checks;
}

/** A node's record after a check-in (`old`: its record before, if any). */
export function checkedInRecord(id: string, info: CheckInInfo, reachable: boolean, now: number, old: NodeRecord | undefined, reached?: Reached): NodeRecord {
  return {
    id,
    ...info,
    firstContact: old?.firstContact ?? now,
    lastContact: now,
    reachable,
    lastReached: reachable ? now : (old?.lastReached ?? null),
    // The address reached last counts (uptime pings over it) only while the node still
    // announces what it was reached through; the subnet stays, reached or not.
    reachedAddress: reached?.address ?? (old && sameList(old.addresses, info.addresses) ? (old.reachedAddress ?? null) : null),
    subnet: reached?.subnet ?? old?.subnet ?? null,
    vetted: old?.vetted ?? false,
    flags: old?.flags ?? { disqualified: null, suspended: null, exited: null }
  };
}

/** A node's record after an uptime check (its reachability, and where it was reached). */
export function checkedRecord(rec: NodeRecord, ok: boolean, now: number, reached?: Reached): NodeRecord {
  const where = reached ? { reachedAddress: reached.address, subnet: reached.subnet } : {};
  return { ...rec, ...where, reachable: ok, lastReached: ok ? now : rec.lastReached };
}

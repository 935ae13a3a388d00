// The durability simulation's settings: what is taken from the satellite's own defaults, what is
// assumed (each assumption with its reason or source, repeated in the README), and the statistics
// the results are reported with.
import { AUDIT_DEFAULTS } from '../../src/satellite/audit/index.js';
import { CONTACT_DEFAULTS } from '../../src/satellite/contact/index.js';
import { METAINFO_DEFAULTS, type RedundancyProfile } from '../../src/satellite/metainfo/index.js';
import { REPAIR_DEFAULTS } from '../../src/satellite/repair/index.js';
import { REPUTATION_DEFAULTS, type ReputationConfig } from '../../src/satellite/reputation/index.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const YEAR = 365.25 * DAY;
export const MONTH = YEAR / 12;

export interface SimConfig {
  seed: number;
  profile: RedundancyProfile;
  /** Storage nodes at the start; joins keep the population about here. */
  nodes: number;
  /** Segments uploaded at the start (no uploads or deletes after). */
  segments: number;
  /** Simulated time. */
  years: number;
  /** Plain bytes per segment; pieces are segmentBytes / k. */
  segmentBytes: number;
  /** Mean time a node stays in the network (exponential): then it leaves or its disk dies, with its pieces. Infinity: never. */
  meanLifetimeMs: number;
  /** Temporary outages (the node comes back with its pieces): mean time between them per node (Infinity: none). */
  outageEveryMs: number;
  /** Share of outages that are short (restarts, updates), and the mean length of short and long ones (exponential). */
  outageShortShare: number;
  outageShortMeanMs: number;
  outageLongMeanMs: number;
  /** Share of nodes that start corrupting data at some point of their life, and the share of their pieces they corrupt (uniform between the two). */
  corruptShare: number;
  corruptPiecesMin: number;
  corruptPiecesMax: number;
  /** Satellite settings (its defaults unless a scenario changes them). */
  onlineWithinMs: number;
  uptimeCheckIntervalMs: number;
  checkIntervalMs: number;
  repairIntervalMs: number;
  auditIntervalMs: number;
  auditsAfterFailure: number;
  reputation: ReputationConfig;
  newNodeShare: number;
  distinctSubnets: boolean;
  repairConcurrency: number;
  /** Extra workers for segments with k to k + urgentMargin healthy pieces (repair.urgentConcurrency). */
  urgentConcurrency: number;
  urgentMargin: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** Assumed repair link per worker (bytes/s, download and upload together) and fixed cost per segment (dials, orders, decoding). */
  repairBytesPerSecond: number;
  repairOverheadMs: number;
  /** After a failed or partial repair the segment is tried again this much later (the repairer's next run). */
  repairRetryMs: number;
  /**
   * Vetted nodes offered to one selectNodes call: a uniform sample of at least this many (and at
   * least 2 x count + 16; unvetted ones sampled likewise). selectNodes draws uniformly among the
   * eligible, so a uniform sample larger than its draw leaves the choice's distribution unchanged
   * and saves shuffling 10,000 records per repair. 0 offers the whole registry.
   */
  selectionSample: number;
  /**
   * Segments start at a uniformly random point of their repair cycle (some of their pieces already
   * gone with nodes that left), the steady state under exponential lifetimes, instead of all new:
   * otherwise a year with 24-month lifetimes would hardly see a repair. Off without churn.
   */
  steadyStart: boolean;
  /** Cross-checks the incremental counts against healthyPieces and a recount at every step (tests). */
  verify: boolean;
}

/** The satellite's own defaults and the model's assumptions (README: "Durability simulation"). */
export function defaultConfig(overrides: Partial<SimConfig> = {}): SimConfig {
  return {
    seed: 1,
    profile: METAINFO_DEFAULTS.profile,
    nodes: 10_000,
    segments: 20_000,
    years: 1,
    // The client's DEFAULT_SEGMENT_SIZE.
    segmentBytes: 64 * 1024 * 1024,
    // Storj's own durability tables assume a mean node lifetime (MTTF) of 1, 6 or 12 months on a
    // 10,000-node network (storj/whitepaper, RS-appendix-files/10000nodes.tex); in 2023 about 1 %
    // of Storj's ~23,000 nodes called a graceful exit each month on one satellite (forum.storj.io,
    // "Announcement: Changes to Storj Node Payouts"), before nodes that just vanish. 12 months is
    // the pessimistic end of that; the sweep runs 3 to 24.
    meanLifetimeMs: 12 * MONTH,
    // Assumed: an outage every 14 days per node, 70 % of them short (mean 30 min: restarts,
    // updates), 30 % long (mean 24 h: a dead router, a holiday): about 98 % online, above Storj's
    // 60 % suspension line and under its 99.3 % target.
    outageEveryMs: 14 * DAY,
    outageShortShare: 0.7,
    outageShortMeanMs: 30 * 60_000,
    outageLongMeanMs: 24 * HOUR,
    // Assumed: 2 % of nodes start corrupting data (a failing disk, a wiped folder) at a uniformly
    // random time in their life, 10-100 % of their pieces; audits find them.
    corruptShare: 0.02,
    corruptPiecesMin: 0.1,
    corruptPiecesMax: 1,
    onlineWithinMs: METAINFO_DEFAULTS.onlineWithinMs,
    uptimeCheckIntervalMs: CONTACT_DEFAULTS.uptimeCheckIntervalMs,
    checkIntervalMs: REPAIR_DEFAULTS.checkIntervalMs,
    repairIntervalMs: REPAIR_DEFAULTS.repairIntervalMs,
    // SATELLITE_DEFAULTS.auditIntervalMs (5 min; not imported to keep the composition root out).
    auditIntervalMs: 5 * 60_000,
    auditsAfterFailure: AUDIT_DEFAULTS.auditsAfterFailure,
    reputation: REPUTATION_DEFAULTS,
    newNodeShare: METAINFO_DEFAULTS.newNodeShare,
    distinctSubnets: METAINFO_DEFAULTS.distinctSubnets,
    repairConcurrency: REPAIR_DEFAULTS.concurrency,
    urgentConcurrency: REPAIR_DEFAULTS.urgentConcurrency,
    urgentMargin: REPAIR_DEFAULTS.urgentMargin,
    backoffMs: REPAIR_DEFAULTS.backoffMs,
    maxBackoffMs: REPAIR_DEFAULTS.maxBackoffMs,
    // Assumed: 100 Mbit/s per repair worker, 5 s per segment on top.
    repairBytesPerSecond: 12.5e6,
    repairOverheadMs: 5_000,
    repairRetryMs: REPAIR_DEFAULTS.repairIntervalMs,
    selectionSample: 32,
    steadyStart: true,
    verify: false,
    ...overrides
  };
}

/**
 * Exact (Garwood) two-sided 95 % interval for a Poisson count x: the rate per unit of exposure is
 * within [lower, upper] / exposure. For x = 0 the one-sided 95 % upper bound is about 3 (the "rule of three").
 */
export function poissonInterval(x: number): { lower: number; upper: number; upperOneSided: number } {
  const cdf = (k: number, lambda: number): number => {
    // P(X <= k) for Poisson(lambda), each term from its logarithm (exp(-lambda) alone underflows for large counts).
    let logTerm = -lambda;
    let sum = Math.exp(logTerm);
    for (let i = 1; i <= k; i++) {
      logTerm += Math.log(lambda / i);
      sum += Math.exp(logTerm);
    }
    return sum;
  };
  const solve = (f: (lambda: number) => number, target: number): number => {
    // f decreases in lambda from f(0) >= target.
    let lo = 0;
    let hi = Math.max(10, 4 * x + 10);
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const upper = solve((l) => cdf(x, l), 0.025);
  const upperOneSided = solve((l) => cdf(x, l), 0.05);
  const lower = x === 0 ? 0 : solve((l) => cdf(x - 1, l), 0.975);
  return { lower, upper, upperOneSided };
}

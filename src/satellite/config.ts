// The satellite's configuration: one typed object gathering each chore's config and defaults
// (loaded from flags, environment and a file by load-config.ts; every default is in the README).
import type { AuditConfig } from './audit/index.js';
import type { GcConfig } from './gc/index.js';
import type { RedundancyProfile } from './metainfo/index.js';
import type { PayoutConfig } from './payouts/index.js';
import type { RepairConfig } from './repair/index.js';
import type { ReputationConfig } from './reputation/index.js';
import { AUDIT_DEFAULTS } from './audit/index.js';
import { GC_DEFAULTS } from './gc/index.js';
import { PAYOUT_DEFAULTS } from './payouts/index.js';
import { REPAIR_DEFAULTS } from './repair/index.js';
import { REPUTATION_DEFAULTS } from './reputation/index.js';

export interface SatelliteConfig {
  dataDir: string;
  listen: string[];
  announce: string[];
  /** How long a dial-back or uptime check may take. */
  dialTimeoutMs: number;
  /** Suggested to nodes as the delay to their next check-in. */
  checkInIntervalMs: number;
  /** How often every known node is pinged; 0 turns the schedule off (tests call checkUptime()). */
  uptimeCheckIntervalMs: number;
  uptimeWindowMs: number;
  uptimePeriodMs: number;
  /** host:port of the admin HTTP API and /metrics; '' turns it off. */
  admin: string;
  /** Reed-Solomon profile for new segments. */
  profile: RedundancyProfile;
  /** One node per /24 or /64 in a segment; off for networks on one host (devnet, tests). */
  distinctSubnets: boolean;
  /** Share of each segment's nodes given to unvetted nodes. */
  newNodeShare: number;
  /** Segments up to this size may be stored inline. */
  maxInlineBytes: number;
  maxPieceSize: number;
  /** GET orders beyond k per segment, for the long tail. */
  downloadMargin: number;
  /** How long order limits may be used. */
  orderTtlMs: number;
  /** How long an upload may stay uncommitted. */
  pendingTtlMs: number;
  /** A node counts as online for selection if reached within this long. */
  onlineWithinMs: number;
  /** How often an audit round runs; 0 turns the schedule off (POST /api/audits/run still works). */
  auditIntervalMs: number;
  audit: AuditConfig;
  reputation: ReputationConfig;
  payout: PayoutConfig;
  repair: RepairConfig;
  gc: GcConfig;
  logLevel: string;
}

export const SATELLITE_DEFAULTS: SatelliteConfig = {
  dataDir: './stowage-satellite',
  listen: ['/ip4/0.0.0.0/tcp/7777'],
  announce: [],
  dialTimeoutMs: 10_000,
  checkInIntervalMs: 60 * 60 * 1000,
  uptimeCheckIntervalMs: 60 * 60 * 1000,
  uptimeWindowMs: 12 * 60 * 60 * 1000,
  uptimePeriodMs: 30 * 24 * 60 * 60 * 1000,
  admin: '127.0.0.1:7778',
  profile: { minimum: 29, repair: 35, success: 80, total: 110 },
  distinctSubnets: true,
  newNodeShare: 0.05,
  maxInlineBytes: 4096,
  maxPieceSize: 64 * 1024 * 1024,
  downloadMargin: 4,
  orderTtlMs: 60 * 60 * 1000,
  pendingTtlMs: 24 * 60 * 60 * 1000,
  onlineWithinMs: 4 * 60 * 60 * 1000,
  auditIntervalMs: 5 * 60 * 1000,
  audit: AUDIT_DEFAULTS,
  reputation: REPUTATION_DEFAULTS,
  payout: PAYOUT_DEFAULTS,
  repair: REPAIR_DEFAULTS,
  gc: GC_DEFAULTS,
  logLevel: 'info'
};


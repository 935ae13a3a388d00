// The metainfo part's configuration (flat keys of the satellite's config file) and its defaults.
import { PROJECT_LIMIT_DEFAULTS, type ProjectLimits } from './limits.js';
import type { RedundancyProfile } from './profile.js';

export interface MetainfoConfig {
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
  /** How long an upload may stay uncommitted. */
  pendingTtlMs: number;
  /** A node counts as online for selection if reached within this long. */
  onlineWithinMs: number;
  /** Client requests each IP (IPv6: each /64) may make per second, on average; 0 turns the limit off. */
  metainfoRequestsPerSecond: number;
  /** Client requests an IP may make at once after a quiet spell. */
  metainfoBurst: number;
  /** Every project's limits, unless its API key has its own (limits.ts). */
  projectLimits: ProjectLimits;
}

export const METAINFO_DEFAULTS: MetainfoConfig = {
  profile: { minimum: 29, repair: 35, success: 80, total: 110 },
  distinctSubnets: true,
  newNodeShare: 0.05,
  maxInlineBytes: 4096,
  maxPieceSize: 64 * 1024 * 1024,
  downloadMargin: 4,
  pendingTtlMs: 24 * 60 * 60 * 1000,
  onlineWithinMs: 4 * 60 * 60 * 1000,
  metainfoRequestsPerSecond: 200,
  metainfoBurst: 2000,
  projectLimits: PROJECT_LIMIT_DEFAULTS
};

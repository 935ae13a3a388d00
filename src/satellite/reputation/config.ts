// The reputation part's settings and their defaults.

export interface ReputationConfig {
  lambda: number;
  weight: number;
  alpha0: number;
  beta0: number;
  /** Disqualified at or below this audit score. */
  disqualifyAt: number;
  /** Suspended below this online score. */
  suspendBelow: number;
  /** How long a suspended node has to get its online score back. */
  suspensionGraceMs: number;
  /** Whether a node still suspended after the grace period is disqualified. */
  disqualifyAfterGrace: boolean;
  /** Successful audits after which a node counts as vetted. */
  auditsToVet: number;
}

export const REPUTATION_DEFAULTS: ReputationConfig = {
  lambda: 0.999,
  weight: 1,
  alpha0: 1000,
  beta0: 0,
  disqualifyAt: 0.96,
  suspendBelow: 0.6,
  suspensionGraceMs: 7 * 24 * 60 * 60 * 1000,
  disqualifyAfterGrace: false,
  auditsToVet: 100
};

/** The beta at or above which a node has recent failures not yet outweighed (hasRecentFailures). */
export const DISTRUST_BETA = 1.5;

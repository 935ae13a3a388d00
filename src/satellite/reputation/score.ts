// Audit scoring: pure functions of a node's audit reputation (see service.ts for the model).
import { DISTRUST_BETA, type ReputationConfig } from './config.js';
import type { AuditReputation } from './db.js';

export function initialReputation(c: ReputationConfig): AuditReputation {
  return { alpha: c.alpha0, beta: c.beta0, successes: 0, failures: 0, offline: 0, contained: 0 };
}

/** The beta-reputation update for one audit that passed or failed. */
export function applyAudit(r: AuditReputation, passed: boolean, c: ReputationConfig): AuditReputation {
  return {
    ...r,
    alpha: c.lambda * r.alpha + (passed ? c.weight : 0),
    beta: c.lambda * r.beta + (passed ? 0 : c.weight),
    successes: r.successes + (passed ? 1 : 0),
    failures: r.failures + (passed ? 0 : 1)
  };
}

/**
 * Recent audit failures not yet outweighed: beta (each failure adds 1, every audit multiplies it
 * by lambda) of at least `threshold`. With lambda 0.999, 1.5 means two failures within the last
 * few hundred audits: a node that keeps failing is distrusted after its second, long before the
 * ~41 failures that disqualify it, while one odd failure of an honest node is not enough.
 */
export function hasRecentFailures(r: AuditReputation, threshold = DISTRUST_BETA): boolean {
  return r.beta >= threshold;
}

export function auditScore(r: AuditReputation): number {
  return r.alpha + r.beta === 0 ? 1 : r.alpha / (r.alpha + r.beta);
}

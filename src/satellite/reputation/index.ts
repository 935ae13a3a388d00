// Reputation: audit scores (beta reputation) per node, suspension and disqualification.
export { REPUTATION_DEFAULTS, DISTRUST_BETA, type ReputationConfig } from './config.js';
export { initialReputation, applyAudit, hasRecentFailures, auditScore } from './score.js';
export { type AuditReputation, type ReputationDB } from './db.js';
export { ReputationStore, type NodeReputation } from './service.js';

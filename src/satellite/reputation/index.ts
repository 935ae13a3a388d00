// Reputation: audit scores (beta reputation) per node, suspension and disqualification.
export { REPUTATION_DEFAULTS, initialReputation, applyAudit, hasRecentFailures, DISTRUST_BETA, auditScore, ReputationStore, type ReputationConfig, type AuditReputation, type NodeReputation } from './service.js';

// Audit: challenges a node with a fresh nonce over random leaves of a piece and verifies the Merkle proof.
export { AUDIT_DEFAULTS, verifyAuditAnswer, AuditService, type AuditOutcome, type AuditConfig, type AuditChallenge, type AuditRecord, type AuditDeps } from './service.js';

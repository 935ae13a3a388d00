// Audit: challenges a node with a fresh nonce over random leaves of a piece and verifies the Merkle proof.
export { AUDIT_DEFAULTS, type AuditConfig } from './config.js';
export { verifyAuditAnswer } from './verify.js';
export { pieceKey, type AuditDB, type AuditOutcome, type AuditChallenge, type AuditRecord, type Containment, type Suspect } from './db.js';
export { AuditService, type AuditDeps } from './service.js';
export { auditRound } from './chore.js';

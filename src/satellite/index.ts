// Public face of the satellite.
export { Satellite, SATELLITE_DEFAULTS, type SatelliteConfig, type SatelliteOptions } from './satellite.js';
export { NodeRegistry, type NodeRecord, type NodeFlags, type CheckInInfo, type UptimeOptions } from './registry.js';
export { dialBack, handleCheckIn, MAX_ANNOUNCED_ADDRESSES, type ContactContext, type DialBackResult } from './contact.js';
export { selectNodes, subnetOf, isEligible, NotEnoughNodesError, type SelectionOptions } from './selection.js';
export { ApiKeys, ApiKeyError, type ApiKeyRecord } from './apikeys.js';
export { createAdminServer, parseHostPort, SatelliteMetrics, type AdminDeps } from './admin.js';
export { loadSatelliteConfig, parseProfile, DEFAULT_PROFILE, type RedundancyProfile } from './config.js';
export { Metadata, MetadataError, MAX_LIST_LIMIT, MAX_KEY_BYTES, type ObjectRecord, type SegmentRecord, type SegmentPiece, type PendingSegment, type ReceiptContent, type ListOptions } from './metadata.js';
export { OrderIssuer, derivePieceId, type OrderIssuerOptions, type OrderTarget } from './orders.js';
export { MetainfoService, handleMetainfo, type MetainfoOptions, type MetainfoDeps } from './metainfo.js';
export { AuditService, AUDIT_DEFAULTS, verifyAuditAnswer, type AuditConfig, type AuditChallenge, type AuditRecord, type AuditOutcome } from './audits.js';
export { ReputationStore, REPUTATION_DEFAULTS, DISTRUST_BETA, applyAudit, auditScore, hasRecentFailures, initialReputation, type ReputationConfig, type AuditReputation, type NodeReputation } from './reputation.js';
export { PayoutService, PAYOUT_DEFAULTS, HELD_BACK_SCHEDULE, type PayoutConfig } from './payouts.js';
export { Ledger, entryHash, type LedgerEntry, type LedgerEntryKind, type PeriodRecord, type Credit } from './ledger.js';
export { formatTokens, parseTokens, TOKEN_DECIMALS } from './tokens.js';
export { RepairService, REPAIR_DEFAULTS, isHealthyNode, type RepairConfig, type CheckResult, type RepairResult, type QueuedSegment } from './repair.js';
export { GarbageCollector, GC_DEFAULTS, type GcConfig, type GcResult } from './gc.js';

// Public face of the satellite: the composition root (Satellite), its configuration, and each
// part's face (one folder per chore; see the README's layout section).
export { ENDPOINT_LIMITS, EndpointGuard, type EndpointLimits } from './endpoint-guard.js';
export { Satellite, type SatelliteOptions } from './satellite.js';
export { SATELLITE_DEFAULTS, type SatelliteConfig } from './config.js';
export { loadSatelliteConfig } from './load-config.js';
export { Metadata, NodeRegistry, ApiKeys, Ledger, LevelSatelliteDB, LevelSettlementDB } from './store/leveldb/index.js';
export { openLevelSatelliteDB, openPostgresSatelliteDB, openSatelliteDB, PostgresSatelliteDB, DatabaseError, type LeaseStore, type SatelliteDB, type SatelliteDBOptions } from './store/index.js';
export { migrateLevelToPostgres, MigrationError, type MigrationSummary } from './store/index.js';
export { LeaseKeeper } from './leases.js';
export { Chore, type ChoreOptions } from './chore.js';
export { type NodeDB, type NodeRecord, type NodeFlags, type CheckInInfo, type UptimeOptions } from './overlay/index.js';
export { dialBack, handleCheckIn, MAX_ANNOUNCED_ADDRESSES, type ContactContext, type DialBackResult } from './contact/index.js';
export { selectNodes, subnetOf, subnetOfIp, isEligible, NotEnoughNodesError, type SelectionOptions } from './overlay/index.js';
export { ApiKeyError, type ApiKeyDB, type ApiKeyRecord } from './apikeys/index.js';
export { createAdminServer, parseHostPort, SatelliteMetrics, ADMIN_TOKEN_FILE, loadOrCreateAdminToken, type AdminDeps, type AdminServerOptions } from './admin/index.js';
export { parseProfile, DEFAULT_PROFILE, type RedundancyProfile } from './metainfo/index.js';
export { MetadataError, type MetadataDB, MAX_LIST_LIMIT, MAX_KEY_BYTES, type ObjectRecord, type SegmentRecord, type SegmentPiece, type PendingSegment, type ReceiptContent, type ListOptions } from './metainfo/index.js';
export { OrderIssuer, derivePieceId, settleOrders, MAX_SETTLEMENT_ITEMS, type OrderIssuerOptions, type OrderTarget, type SettlementOptions, type EgressAction, type EgressTotal, type SettledOrder, type SettlementDB } from './orders/index.js';
export { MetainfoService, handleMetainfo, type MetainfoOptions, type MetainfoDeps } from './metainfo/index.js';
export { PROJECT_LIMIT_DEFAULTS, type ProjectLimits, type ProjectUsage } from './metainfo/index.js';
export { AuditService, AUDIT_DEFAULTS, verifyAuditAnswer, type AuditDB, type AuditConfig, type AuditChallenge, type AuditRecord, type AuditOutcome } from './audit/index.js';
export { ReputationStore, type ReputationDB, REPUTATION_DEFAULTS, DISTRUST_BETA, applyAudit, auditScore, hasRecentFailures, initialReputation, type ReputationConfig, type AuditReputation, type NodeReputation } from './reputation/index.js';
export { PayoutService, PayoutPublisher, PAYOUT_DEFAULTS, CHAIN_PAYOUT_DEFAULTS, HELD_BACK_SCHEDULE, buildPublication, type PayoutConfig, type ChainPayoutConfig, type Publication } from './payouts/index.js';
export { entryHash, type LedgerEntry, type LedgerEntryKind, type PeriodRecord, type Credit } from './payouts/index.js';
export { formatTokens, parseTokens, TOKEN_DECIMALS } from './payouts/index.js';
export { RepairService, type RepairQueueDB, REPAIR_DEFAULTS, isHealthyNode, type RepairConfig, type CheckResult, type RepairResult, type QueuedSegment } from './repair/index.js';
export { GarbageCollector, GC_DEFAULTS, type GcConfig, type GcResult } from './gc/index.js';

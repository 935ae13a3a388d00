// The LevelDB implementations of the satellite's stores, one per part's store interface, over
// one LevelDB (the sublevel names are the on-disk format: they never change).
export { Metadata } from './metadata.js';
export { NodeRegistry } from './nodes.js';
export { ApiKeys } from './apikeys.js';
export { Ledger } from './ledger.js';
export { LevelPayoutState } from './payout-state.js';
export { LevelAuditDB } from './audits.js';
export { LevelReputationDB } from './reputation.js';
export { LevelRepairQueue } from './repair-queue.js';
export { LevelSettlementDB } from './settlement.js';
export { LevelSatelliteDB, openLevelSatelliteDB } from './open.js';

// Repair: the checker finds segments whose healthy pieces fell to the repair threshold; the repairer rebuilds them onto new nodes.
export { REPAIR_DEFAULTS, checkRepairConfig, type RepairConfig } from './config.js';
export { isHealthyNode } from './health.js';
export { type RepairQueueDB, type QueuedSegment, type QueueEntry, type SegmentHealth } from './db.js';
export { type RepairDeps } from './deps.js';
export { type CheckResult } from './checker.js';
export { mayTake, type RepairResult, type RepairWorker } from './repairer.js';
export { RepairService } from './service.js';
export { repairCheckRound, repairRunRound, type RepairGauges } from './chores.js';

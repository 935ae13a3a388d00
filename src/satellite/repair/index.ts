// Repair: the checker finds segments whose healthy pieces fell to the repair threshold; the repairer rebuilds them onto new nodes.
export { REPAIR_DEFAULTS, isHealthyNode, RepairService, type RepairConfig, type QueuedSegment, type CheckResult, type RepairResult, type RepairDeps } from './service.js';

// Overlay: the nodes the satellite knows (NodeDB: check-ins, flags, uptime windows), how
// segments pick among them (selection, over the in-memory list of candidates that cache.ts keeps),
// and the pruning of nodes long gone (prune).
export { type NodeDB, type NodeFlags, type NodeRecord, type UptimeOptions, type CheckInInfo, type Reached } from './db.js';
export { checkedInRecord, checkedRecord, onlineScoreOf, pruneBefore, scoredWindows, windowStart } from './uptime.js';
export { NotEnoughNodesError, subnetOf, subnetOfIp, isEligible, selectNodes, type SelectionOptions } from './selection.js';
export { CachedNodeDB, isCandidate, type NodeCacheOptions } from './cache.js';
export { OVERLAY_DEFAULTS, type OverlayConfig } from './config.js';
export { PRUNE_EVERY_MS, pruneInterval, pruneRegistry, type PruneDeps, type PruneResult } from './prune.js';
